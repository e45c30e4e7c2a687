variable "name" {
  description = "Prefix of the resource names: the cluster name."
  type        = string
}

variable "artifact_bucket" {
  description = "Name of the S3 bucket for MLflow artifacts (globally unique)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; pods connect to the database from it."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the database."
  type        = list(string)
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  type        = string
}

variable "postgres_version" {
  description = "Pinned PostgreSQL engine version."
  type        = string
  default     = "16.4"
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.small"
}

variable "deletion_protection" {
  description = "Refuse to delete the database (and keep a final snapshot); on in prod."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
