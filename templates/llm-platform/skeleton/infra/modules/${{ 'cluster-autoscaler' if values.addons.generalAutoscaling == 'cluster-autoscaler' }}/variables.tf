variable "cluster_name" {
  description = "Name of the EKS cluster, a plain input: it becomes part of tag keys (FAILURES.md P2)."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version; picks the matching Cluster Autoscaler image."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "general_autoscaling_group" {
  description = "Auto Scaling group behind the general managed node group."
  type        = string
}

variable "scale_gpu_group" {
  description = "Also scale the GPU managed node group (false when Karpenter provisions GPU nodes). A plain flag, so the set of tags is known at plan time."
  type        = bool
  default     = false
}

variable "gpu_autoscaling_group" {
  description = "Auto Scaling group behind the GPU managed node group, when scale_gpu_group is set."
  type        = string
  default     = ""
}

variable "gpus_per_node" {
  description = "GPUs of one GPU node, for scaling the GPU group up from zero."
  type        = number
  default     = 1
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  type        = string
}

variable "chart_version" {
  description = "Pinned cluster-autoscaler chart version."
  type        = string
  default     = "9.51.0"
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
