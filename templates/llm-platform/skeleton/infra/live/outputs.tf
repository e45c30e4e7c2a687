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
{%- if values.addons.mlflow %}

output "mlflow_db_endpoint" {
  description = "Host of MLflow's PostgreSQL database."
  value       = module.mlflow.db_endpoint
}

output "mlflow_db_secret_arn" {
  description = "Secrets Manager secret with the MLflow database password (read by scripts/create-secrets.sh)."
  value       = module.mlflow.db_secret_arn
}

output "mlflow_artifact_bucket" {
  description = "S3 bucket of the MLflow artifacts."
  value       = module.mlflow.artifact_bucket
}
{%- endif %}
