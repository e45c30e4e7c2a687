# The platform of every environment: VPC, EKS with its node groups, the EKS
# add-ons and the add-ons the template enabled. This one root module serves
# every environment: infra/envs/<env> holds only its state (backend.hcl) and
# values (terraform.tfvars), and scripts/terraform.sh <env> runs it.

locals {
  # Only plain input variables go into names and tags, never a computed
  # attribute of another resource (FAILURES.md P2).
  cluster_name = "${var.cluster_name}-${var.environment}"
  tags = {
    project     = var.project
    environment = var.environment
    owner       = var.owner
    managed-by  = "terraform"
  }
}

data "aws_partition" "current" {}

module "vpc" {
  source = "../modules/vpc"

  name                   = local.cluster_name
  cluster_name           = local.cluster_name
  cidr                   = var.vpc_cidr
  one_nat_gateway_per_az = var.one_nat_gateway_per_az
  # The general type and the planner's GPU type (also in infra/modules/eks).
  required_instance_types = [var.general_instance_type, "${{ values.gpu.instanceType }}"]
  tags                    = local.tags
}

module "eks" {
  source = "../modules/eks"

  cluster_name       = local.cluster_name
  kubernetes_version = var.kubernetes_version
  private_subnet_ids = module.vpc.private_subnet_ids

  general_instance_type = var.general_instance_type
  general_desired_size  = var.general_desired_size
  general_min_size      = var.general_min_size
  general_max_size      = var.general_max_size

{%- if values.addons.gpuAutoscaling == 'fixed' %}

  gpu_ami_type     = var.gpu_ami_type
  gpu_desired_size = var.gpu_desired_size
  gpu_min_size     = var.gpu_min_size
  gpu_max_size     = var.gpu_max_size
{%- endif %}

  tags = local.tags
}

# The EBS CSI controller's IAM role: without the driver every PVC stays Pending
# (FAILURES.md D01).
module "ebs_csi_irsa" {
  source = "../modules/irsa"

  name              = "${local.cluster_name}-ebs-csi-driver"
  oidc_provider_arn = module.eks.oidc_provider_arn
  oidc_issuer_url   = module.eks.oidc_issuer_url
  namespace         = "kube-system"
  service_account   = "ebs-csi-controller-sa"
  policy_arns       = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]
  tags              = local.tags
}

# Add-ons wait for the whole EKS module, node groups included, so CoreDNS and
# the CSI controller have nodes to run on (FAILURES.md P3, P5).
module "addons" {
  source = "../modules/eks-addons"

  cluster_name = module.eks.cluster_name
  addons = {
{%- if values.addons.networkPolicy %}
    # The VPC CNI enforces the NetworkPolicies of k8s/base/network-policy
    # itself: no second CNI (Calico) installed next to it (seed 001 #3).
    vpc-cni = {
      version              = var.addon_versions["vpc-cni"]
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
{%- else %}
    vpc-cni    = { version = var.addon_versions["vpc-cni"] }
{%- endif %}
    kube-proxy = { version = var.addon_versions["kube-proxy"] }
    coredns    = { version = var.addon_versions["coredns"] }
    aws-ebs-csi-driver = {
      version                  = var.addon_versions["aws-ebs-csi-driver"]
      service_account_role_arn = module.ebs_csi_irsa.role_arn
    }
  }
  tags = local.tags

  depends_on = [module.eks]
}
{%- if values.addons.karpenter %}

# Karpenter and its CRDs, after the node groups and the EKS add-ons, so its
# controller has a managed node to run on (FAILURES.md P3, P5). The NodePools
# are in k8s/base/karpenter.
module "karpenter" {
  source = "../modules/karpenter"

  cluster_name              = local.cluster_name
  cluster_arn               = module.eks.cluster_arn
  cluster_security_group_id = module.eks.cluster_security_group_id
  node_role_arn             = module.eks.node_role_arn
  oidc_provider_arn         = module.eks.oidc_provider_arn
  oidc_issuer_url           = module.eks.oidc_issuer_url
  interruption_queue        = var.karpenter_interruption_queue
  tags                      = local.tags

  depends_on = [module.addons]
}
{%- endif %}
{%- if values.addons.generalAutoscaling == 'cluster-autoscaler' %}

# The Cluster Autoscaler scales the managed node groups between their min and
# max, after the nodes and add-ons exist (FAILURES.md P3, P5).
module "cluster_autoscaler" {
  source = "../modules/cluster-autoscaler"

  cluster_name              = local.cluster_name
  kubernetes_version        = var.kubernetes_version
  region                    = var.region
  general_autoscaling_group = module.eks.general_autoscaling_group
{%- if values.addons.gpuAutoscaling == 'fixed' %}
  scale_gpu_group           = true
  gpu_autoscaling_group     = module.eks.gpu_autoscaling_group
  gpus_per_node             = ${{ values.gpu.gpusPerNode }}
{%- endif %}
  oidc_provider_arn         = module.eks.oidc_provider_arn
  oidc_issuer_url           = module.eks.oidc_issuer_url
  tags                      = local.tags

  depends_on = [module.addons]
}
{%- endif %}
{%- if values.addons.ingress == 'alb' %}

# The AWS Load Balancer Controller makes the ALB of k8s/base/ingress, in the
# subnets infra/modules/vpc tags for it (T-ingress); after the nodes (P3, P5).
module "aws_load_balancer_controller" {
  source = "../modules/aws-load-balancer-controller"

  cluster_name      = local.cluster_name
  region            = var.region
  vpc_id            = module.vpc.vpc_id
  oidc_provider_arn = module.eks.oidc_provider_arn
  oidc_issuer_url   = module.eks.oidc_issuer_url
  tags              = local.tags

  depends_on = [module.addons]
}
{%- endif %}
{%- if values.addons.servingRuntime == 'kserve' %}

# KServe (RawDeployment) and cert-manager, with the CRDs of the vLLM
# ServingRuntime and InferenceService (FAILURES.md D08); after the nodes (P3, P5).
module "kserve" {
  source = "../modules/kserve"

  depends_on = [module.addons]
}
{%- endif %}
{%- if values.addons.argoWorkflows %}

# Argo Workflows and its CRDs, for the WorkflowTemplates of k8s/base/pipelines
# (FAILURES.md D08); after the nodes (P3, P5).
module "argo_workflows" {
  source = "../modules/argo-workflows"

  depends_on = [module.addons]
}
{%- endif %}
{%- if values.addons.mlflow %}

# MLflow's database and artifact bucket, and the IAM role of its service
# account. scripts/create-secrets.sh turns the outputs into the mlflow-backend
# Secret; the password stays in Secrets Manager.
module "mlflow" {
  source = "../modules/mlflow"

  name                = local.cluster_name
  artifact_bucket     = "${var.project}-mlflow-${var.environment}-${var.aws_account_id}"
  vpc_id              = module.vpc.vpc_id
  vpc_cidr            = var.vpc_cidr
  private_subnet_ids  = module.vpc.private_subnet_ids
  oidc_provider_arn   = module.eks.oidc_provider_arn
  oidc_issuer_url     = module.eks.oidc_issuer_url
  deletion_protection = var.environment == "prod"
  tags                = local.tags
}
{%- endif %}

# State applied while this root module called the platform as one child
# module, module.platform, moves to the same resources at the top level
# instead of being destroyed and created again.
moved {
  from = module.platform.module.vpc
  to   = module.vpc
}

moved {
  from = module.platform.module.eks
  to   = module.eks
}

moved {
  from = module.platform.module.ebs_csi_irsa
  to   = module.ebs_csi_irsa
}

moved {
  from = module.platform.module.addons
  to   = module.addons
}
{%- if values.addons.karpenter %}

moved {
  from = module.platform.module.karpenter
  to   = module.karpenter
}
{%- endif %}
{%- if values.addons.generalAutoscaling == 'cluster-autoscaler' %}

moved {
  from = module.platform.module.cluster_autoscaler
  to   = module.cluster_autoscaler
}
{%- endif %}
{%- if values.addons.ingress == 'alb' %}

moved {
  from = module.platform.module.aws_load_balancer_controller
  to   = module.aws_load_balancer_controller
}
{%- endif %}
{%- if values.addons.servingRuntime == 'kserve' %}

moved {
  from = module.platform.module.kserve
  to   = module.kserve
}
{%- endif %}
{%- if values.addons.argoWorkflows %}

moved {
  from = module.platform.module.argo_workflows
  to   = module.argo_workflows
}
{%- endif %}
{%- if values.addons.mlflow %}

moved {
  from = module.platform.module.mlflow
  to   = module.mlflow
}
{%- endif %}
