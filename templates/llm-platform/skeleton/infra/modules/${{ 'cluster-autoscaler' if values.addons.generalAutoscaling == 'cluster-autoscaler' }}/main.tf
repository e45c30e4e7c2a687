# Cluster Autoscaler for the managed node groups. It finds them by the
# auto-discovery tags k8s.io/cluster-autoscaler/enabled and
# k8s.io/cluster-autoscaler/<cluster name>; the tag key is built from the plain
# cluster_name input, never from a computed attribute that could reach AWS
# unresolved (FAILURES.md P2). The node-template tags tell it the labels and
# taints of a group it scales up from zero.

data "aws_partition" "current" {}

locals {
  # The Cluster Autoscaler minor version must match the cluster's.
  image_tags = {
    "1.30" = "v1.30.0"
    "1.31" = "v1.31.0"
    "1.32" = "v1.32.5"
    "1.33" = "v1.33.0"
  }

  discovery_tags = {
    "k8s.io/cluster-autoscaler/enabled"             = "true"
    "k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned"
  }

  group_tags = merge(
    { for k, v in merge(local.discovery_tags, {
      "k8s.io/cluster-autoscaler/node-template/label/llm-platform.io/node-group" = "general"
    }) : "general|${k}" => { group = var.general_autoscaling_group, key = k, value = v } },
    { for k, v in(var.scale_gpu_group ? merge(local.discovery_tags, {
      "k8s.io/cluster-autoscaler/node-template/label/llm-platform.io/node-group" = "gpu"
      "k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu.present"     = "true"
      "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"             = "true:NoSchedule"
      "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"         = tostring(var.gpus_per_node)
    }) : {}) : "gpu|${k}" => { group = var.gpu_autoscaling_group, key = k, value = v } },
  )
}

resource "aws_autoscaling_group_tag" "node_groups" {
  for_each = local.group_tags

  autoscaling_group_name = each.value.group

  tag {
    key                 = each.value.key
    value               = each.value.value
    propagate_at_launch = false
  }
}

data "aws_iam_policy_document" "controller" {
  statement {
    sid    = "Discover"
    effect = "Allow"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
    ]
    resources = ["*"]
  }

  # Only the groups of this cluster.
  statement {
    sid       = "Scale"
    effect    = "Allow"
    actions   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}"
      values   = ["owned"]
    }
  }
}

module "irsa" {
  source = "../irsa"

  name              = "${var.cluster_name}-cluster-autoscaler"
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_url   = var.oidc_issuer_url
  namespace         = "kube-system"
  service_account   = "cluster-autoscaler"
  inline_policies   = { cluster-autoscaler = data.aws_iam_policy_document.controller.json }
  tags              = var.tags
}

resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  namespace  = "kube-system"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = var.chart_version
  wait       = true

  values = [yamlencode({
    cloudProvider = "aws"
    awsRegion     = var.region
    autoDiscovery = { clusterName = var.cluster_name }
    image         = { tag = local.image_tags[var.kubernetes_version] }
    rbac = {
      serviceAccount = {
        name        = "cluster-autoscaler"
        annotations = { "eks.amazonaws.com/role-arn" = module.irsa.role_arn }
      }
    }
    extraArgs = {
      balance-similar-node-groups   = true
      skip-nodes-with-system-pods   = false
      expander                      = "least-waste"
      scale-down-unneeded-time      = "10m"
      skip-nodes-with-local-storage = false
    }
    nodeSelector = { "llm-platform.io/node-group" = "general" }
  })]

  # Requests count against the general node group (FAILURES.md D12, D30).
  set {
    name  = "replicaCount"
    value = "1"
  }

  set {
    name  = "resources.requests.cpu"
    value = "100m"
  }

  set {
    name  = "resources.requests.memory"
    value = "300Mi"
  }

  set {
    name  = "resources.limits.memory"
    value = "600Mi"
  }

  depends_on = [aws_autoscaling_group_tag.node_groups]
}
