variable "kserve_version" {
  description = "Pinned KServe version (the kserve-crd and kserve charts)."
  type        = string
  default     = "v0.15.2"
}

variable "cert_manager_version" {
  description = "Pinned cert-manager chart version."
  type        = string
  default     = "v1.16.2"
}
