terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  # Provider versions are pinned; the lock file is committed after the first init.
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

  # project, environment and owner on every resource, so the leftovers of a
  # failed apply (NAT gateways, EIPs) can be found and removed (FAILURES.md P4).
  default_tags {
    tags = local.tags
  }
}
