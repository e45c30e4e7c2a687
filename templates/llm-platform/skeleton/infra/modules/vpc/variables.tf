variable "name" {
  description = "Name prefix of every VPC resource."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster name, used in the subnet discovery tags."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR block, for example 10.0.0.0/16."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 20
    error_message = "cidr must be a valid IPv4 CIDR of /20 or larger, such as 10.0.0.0/16."
  }
}

variable "az_count" {
  description = "How many availability zones to spread subnets over."
  type        = number
  default     = 3
}

variable "required_instance_types" {
  description = "Instance types of the node groups; subnets are placed only in AZs that offer all of them."
  type        = list(string)
  default     = []
}

variable "one_nat_gateway_per_az" {
  description = "One NAT gateway per AZ (resilient) instead of a single shared one (cheaper)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
