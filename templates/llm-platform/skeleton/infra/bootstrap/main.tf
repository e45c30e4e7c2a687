# One-time bootstrap, applied with local state before any environment:
# the S3 bucket and DynamoDB table that hold and lock every environment's state
# (T-tfstate), and the ECR repositories the CI workflow pushes to (D19, D20).
# Run: terraform -chdir=infra/bootstrap init && terraform -chdir=infra/bootstrap apply

terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.81"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.aws_account_id]

  # Every resource is tagged so it can be found and cleaned up (FAILURES.md P4).
  default_tags {
    tags = local.tags
  }
}

locals {
  tags = {
    project     = var.project
    environment = "shared"
    owner       = var.owner
    managed-by  = "terraform"
  }
}

resource "aws_s3_bucket" "state" {
  bucket = var.state_bucket

  tags = local.tags
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_dynamodb_table" "lock" {
  name         = var.lock_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"

  attribute {
    name = "LockID"
    type = "S"
  }

  tags = local.tags
}

module "ecr" {
  source = "../modules/ecr"

  project      = var.project
  repositories = var.services
  tags         = local.tags
}
