variable "chart_version" {
  description = "Pinned argo-workflows chart version."
  type        = string
  default     = "0.45.0"
}
