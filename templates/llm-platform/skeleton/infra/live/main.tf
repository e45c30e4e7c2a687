locals {
  tags = {
    project     = var.project
    environment = var.environment
    owner       = var.owner
    managed-by  = "terraform"
  }
}

# One root module for every environment: the whole environment is
# infra/modules/platform, and infra/envs/<env> holds only its state
# (backend.hcl) and values (terraform.tfvars). scripts/terraform.sh <env> runs it.
module "platform" {
  source = "../modules/platform"

  project                = var.project
  environment            = var.environment
  owner                  = var.owner
  aws_account_id         = var.aws_account_id
  region                 = var.region
  cluster_name           = var.cluster_name
  kubernetes_version     = var.kubernetes_version
  vpc_cidr               = var.vpc_cidr
  one_nat_gateway_per_az = var.one_nat_gateway_per_az
  general_instance_type  = var.general_instance_type
  general_desired_size   = var.general_desired_size
  general_min_size       = var.general_min_size
  general_max_size       = var.general_max_size
{%- if values.addons.gpuAutoscaling == 'fixed' %}
  gpu_ami_type           = var.gpu_ami_type
  gpu_desired_size       = var.gpu_desired_size
  gpu_min_size           = var.gpu_min_size
  gpu_max_size           = var.gpu_max_size
{%- endif %}
  addon_versions         = var.addon_versions
{%- if values.addons.karpenter %}

  karpenter_interruption_queue = var.karpenter_interruption_queue
{%- endif %}

  tags = local.tags
}

# Where these resources lived when each environment root held a copy of the
# platform: state applied by an earlier version moves instead of being
# destroyed and created again.
moved {
  from = module.vpc
  to   = module.platform.module.vpc
}

moved {
  from = module.eks
  to   = module.platform.module.eks
}

moved {
  from = module.ebs_csi_irsa
  to   = module.platform.module.ebs_csi_irsa
}

moved {
  from = module.addons
  to   = module.platform.module.addons
}
{%- if values.addons.karpenter %}

moved {
  from = module.karpenter
  to   = module.platform.module.karpenter
}
{%- endif %}
{%- if values.addons.generalAutoscaling == 'cluster-autoscaler' %}

moved {
  from = module.cluster_autoscaler
  to   = module.platform.module.cluster_autoscaler
}
{%- endif %}
{%- if values.addons.ingress == 'alb' %}

moved {
  from = module.aws_load_balancer_controller
  to   = module.platform.module.aws_load_balancer_controller
}
{%- endif %}
{%- if values.addons.servingRuntime == 'kserve' %}

moved {
  from = module.kserve
  to   = module.platform.module.kserve
}
{%- endif %}
{%- if values.addons.argoWorkflows %}

moved {
  from = module.argo_workflows
  to   = module.platform.module.argo_workflows
}
{%- endif %}
{%- if values.addons.mlflow %}

moved {
  from = module.mlflow
  to   = module.platform.module.mlflow
}
{%- endif %}
