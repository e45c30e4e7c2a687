provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "demo-platform"
      environment = "dev"
      owner       = "team-a"
    }
  }
}

module "eks" {
  source       = "../../modules/eks"
  cluster_name = "demo-dev"
  node_groups  = var.node_groups
}
