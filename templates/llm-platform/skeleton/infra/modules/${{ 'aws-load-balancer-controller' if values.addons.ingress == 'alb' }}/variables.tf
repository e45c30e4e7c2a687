variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster; given explicitly so the controller needs no instance metadata."
  type        = string
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
  description = "Pinned aws-load-balancer-controller chart version."
  type        = string
  default     = "1.13.0"
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
