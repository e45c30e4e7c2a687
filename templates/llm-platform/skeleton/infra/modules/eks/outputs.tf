output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "API server endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider for IRSA."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "node_group_arns" {
  description = "ARNs of the managed node groups; add-ons wait for these (FAILURES.md P3, P5)."
  value       = [aws_eks_node_group.general.arn${{ ', aws_eks_node_group.gpu.arn' if values.addons.gpuAutoscaling == 'fixed' }}]
}
{%- if values.addons.helmReleases %}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API server, for the helm provider."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}
{%- endif %}
{%- if values.addons.karpenter %}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the cluster; Karpenter nodes join it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_role_arn" {
  description = "IAM role of the nodes."
  value       = aws_iam_role.node.arn
}

output "node_role_name" {
  description = "Name of the node IAM role; the EC2NodeClass in k8s/base/karpenter names it."
  value       = aws_iam_role.node.name
}
{%- endif %}
{%- if values.addons.generalAutoscaling == 'cluster-autoscaler' %}

output "general_autoscaling_group" {
  description = "Auto Scaling group of the general node group, for the Cluster Autoscaler's tags."
  value       = aws_eks_node_group.general.resources[0].autoscaling_groups[0].name
}
{%- if values.addons.gpuAutoscaling == 'fixed' %}

output "gpu_autoscaling_group" {
  description = "Auto Scaling group of the GPU node group, for the Cluster Autoscaler's tags."
  value       = aws_eks_node_group.gpu.resources[0].autoscaling_groups[0].name
}
{%- endif %}
{%- endif %}
