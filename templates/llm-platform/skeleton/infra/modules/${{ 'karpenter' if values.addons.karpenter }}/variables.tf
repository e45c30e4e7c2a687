variable "cluster_name" {
  description = "Name of the EKS cluster; also the karpenter.sh/discovery tag value."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the EKS cluster; the controller may describe only this one."
  type        = string
}

variable "cluster_security_group_id" {
  description = "The cluster security group that Karpenter nodes join."
  type        = string
}

variable "node_role_arn" {
  description = "IAM role of the nodes (the managed node groups' role, already allowed to join)."
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

variable "namespace" {
  description = "Namespace of the Karpenter controller."
  type        = string
  default     = "karpenter"
}

variable "chart_version" {
  description = "Pinned Karpenter chart version; its CRDs are karpenter.sh/v1 and karpenter.k8s.aws/v1."
  type        = string
  default     = "1.7.3"
}

variable "interruption_queue" {
  description = "Create the SQS interruption queue and EventBridge rules, so Karpenter drains nodes before spot reclaims, rebalances and scheduled maintenance."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
