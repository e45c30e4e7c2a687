variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
}

variable "addons" {
  description = "Add-ons by name. A null version means the default version for the cluster's Kubernetes version."
  type = map(object({
    version                  = optional(string)
    service_account_role_arn = optional(string)
    configuration_values     = optional(string)
  }))
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
