variable "project" {
  description = "Project name; prefixes the ECR repositories."
  type        = string
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

variable "state_bucket" {
  description = "Name of the S3 bucket holding Terraform state."
  type        = string
}

variable "lock_table" {
  description = "Name of the DynamoDB table holding Terraform state locks."
  type        = string
}

variable "services" {
  description = "Services with an image; one ECR repository each."
  type        = list(string)
}
