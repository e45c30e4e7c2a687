# EKS control plane, OIDC provider for IRSA, and the managed node groups
# (general, and GPU unless Karpenter provisions the GPU nodes).
# Managed node groups let EKS pick the AMI and write the bootstrap user data:
# there is no custom launch template whose missing user data would keep nodes
# from joining (FAILURES.md P1).

data "aws_partition" "current" {}

resource "aws_iam_role" "cluster" {
  name = "${var.cluster_name}-cluster"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = var.public_access_cidrs
  }

  access_config {
    authentication_mode                         = "API_AND_CONFIG_MAP"
    bootstrap_cluster_creator_admin_permissions = true
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator"]

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.cluster]
}

# IRSA: pods exchange their service account token for an IAM role. IAM checks
# the issuer against its trusted CAs, so no thumbprint is pinned (AWS provider >= 5.81).
resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]

  tags = var.tags
}

resource "aws_iam_role" "node" {
  name = "${var.cluster_name}-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

# General nodes run the services and the observability stack. Their size is an
# input sized to the sum of those requests (FAILURES.md D12, D30).
resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.cluster_name}-general"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids

  ami_type       = "AL2023_x86_64_STANDARD"
  instance_types = [var.general_instance_type]
  capacity_type  = "ON_DEMAND"
  disk_size      = 50

  scaling_config {
    desired_size = var.general_desired_size
    min_size     = var.general_min_size
    max_size     = var.general_max_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "llm-platform.io/node-group" = "general"
  }

  tags = var.tags
{%- if values.addons.generalAutoscaling == 'cluster-autoscaler' %}

  # The Cluster Autoscaler owns the desired size once the group exists; a
  # re-apply must not shrink the group back.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
{%- endif %}

  depends_on = [aws_iam_role_policy_attachment.node]
}

{%- if values.addons.gpuAutoscaling == 'fixed' %}

# GPU nodes: an AMI type with NVIDIA drivers and the container toolkit, so the
# node advertises nvidia.com/gpu once the device plugin runs (FAILURES.md D09).
# The label is the one the NVIDIA device plugin's affinity selects (D10); the
# taint keeps everything but GPU workloads off these expensive nodes.
resource "aws_eks_node_group" "gpu" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.cluster_name}-gpu"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids

  ami_type = var.gpu_ami_type
  # The instance type the fit planner sized vLLM's requests for (FAILURES.md
  # D11, D16): change it by running the template's planner again, not here alone.
  instance_types = ["${{ values.gpu.instanceType }}"]
  capacity_type  = "ON_DEMAND"
  # vLLM images are large; the model cache lives on its own EBS volume.
  disk_size = 200

  scaling_config {
    desired_size = var.gpu_desired_size
    min_size     = var.gpu_min_size
    max_size     = var.gpu_max_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "nvidia.com/gpu.present"     = "true"
    "llm-platform.io/node-group" = "gpu"
  }

  taint {
    key    = "nvidia.com/gpu"
    value  = "true"
    effect = "NO_SCHEDULE"
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.gpu_min_size <= var.gpu_desired_size && var.gpu_desired_size <= var.gpu_max_size
      error_message = "The GPU node group needs min <= desired <= max; desired (${var.gpu_desired_size}) starts one node per vLLM replica, so raise gpu_max_size (${var.gpu_max_size}) in terraform.tfvars."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}
{%- endif %}
