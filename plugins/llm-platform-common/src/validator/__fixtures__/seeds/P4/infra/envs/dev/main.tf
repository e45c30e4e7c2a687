provider "aws" {
  region = var.region
}

module "eks" {
  source       = "../../modules/eks"
  cluster_name = "demo-dev"
  node_groups  = var.node_groups
}
