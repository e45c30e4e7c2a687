terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  # Provider versions are pinned; the lock file is committed after the first init.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.81"
    }
{%- if values.addons.helmReleases %}
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.17"
    }
{%- endif %}
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
{%- if values.addons.helmReleases %}

# Add-ons that Terraform installs with Helm talk to the new cluster with a
# short-lived token; the release modules wait for the node groups.
provider "helm" {
  kubernetes {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)

    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
    }
  }
}
{%- endif %}
