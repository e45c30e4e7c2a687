variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version, for example 1.31."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the control plane ENIs and the nodes."
  type        = list(string)
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint."
  type        = list(string)
  default     = ["0.0.0.0/0"]
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
  description = "Managed node group AMI type for the GPU group; it must ship NVIDIA drivers."
  type        = string
  default     = "AL2023_x86_64_NVIDIA"

  # A plain AMI on a GPU instance gives a node without nvidia.com/gpu (FAILURES.md D09).
  validation {
    condition     = contains(["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA", "AL2_x86_64_GPU"], var.gpu_ami_type)
    error_message = "gpu_ami_type must be an AMI type with NVIDIA drivers: AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA or AL2_x86_64_GPU."
  }
}

variable "gpu_desired_size" {
  description = "Desired size of the GPU node group: at least the nodes the vLLM replicas need."
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

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
