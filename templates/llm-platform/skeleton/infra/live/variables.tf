variable "project" {
  description = "Project name, written into the project tag."
  type        = string
}

variable "environment" {
  description = "Environment name."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "owner" {
  description = "Owning team, written into the owner tag."
  type        = string
}

variable "aws_account_id" {
  description = "AWS account id (12 digits); applying to any other account is refused."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be exactly 12 digits."
  }
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "cluster_name" {
  description = "Cluster base name; the environment is appended."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC CIDR block."
  type        = string
}

variable "one_nat_gateway_per_az" {
  description = "One NAT gateway per AZ instead of a single shared one."
  type        = bool
  default     = false
}

variable "general_instance_type" {
  description = "Instance type of the general node group."
  type        = string
}

variable "general_desired_size" {
  description = "Desired size of the general node group."
  type        = number
}

variable "general_min_size" {
  description = "Minimum size of the general node group."
  type        = number
}

variable "general_max_size" {
  description = "Maximum size of the general node group."
  type        = number
}

{%- if values.addons.gpuAutoscaling == 'fixed' %}
variable "gpu_ami_type" {
  description = "AMI type of the GPU node group (must have NVIDIA drivers)."
  type        = string
}

variable "gpu_desired_size" {
  description = "Desired size of the GPU node group."
  type        = number
}

variable "gpu_min_size" {
  description = "Minimum size of the GPU node group."
  type        = number
}

variable "gpu_max_size" {
  description = "Maximum size of the GPU node group."
  type        = number
}
{%- endif %}

variable "addon_versions" {
  description = "Pinned EKS add-on versions; an unset one gets the default for the cluster's Kubernetes version."
  type = object({
    vpc-cni            = optional(string)
    kube-proxy         = optional(string)
    coredns            = optional(string)
    aws-ebs-csi-driver = optional(string)
  })
  default = {}
}
{%- if values.addons.karpenter %}

variable "karpenter_interruption_queue" {
  description = "Give Karpenter an SQS queue of EC2 interruption and health events, so it drains nodes before they go away."
  type        = bool
  default     = true
}
{%- endif %}
