output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "update_kubeconfig" {
  description = "Command that points kubectl at this cluster."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}

output "ebs_csi_role_arn" {
  description = "IAM role of the EBS CSI controller."
  value       = module.ebs_csi_irsa.role_arn
}

output "addon_versions" {
  description = "Installed EKS add-on versions."
  value       = module.addons.addon_versions
}
