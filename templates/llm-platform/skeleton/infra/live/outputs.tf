output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.platform.cluster_name
}

output "update_kubeconfig" {
  description = "Command that points kubectl at this cluster."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.platform.cluster_name}"
}

output "ebs_csi_role_arn" {
  description = "IAM role of the EBS CSI controller."
  value       = module.platform.ebs_csi_role_arn
}

output "addon_versions" {
  description = "Installed EKS add-on versions."
  value       = module.platform.addon_versions
}
{%- if values.addons.mlflow %}

output "mlflow_db_endpoint" {
  description = "Host of MLflow's PostgreSQL database."
  value       = module.platform.mlflow_db_endpoint
}

output "mlflow_db_secret_arn" {
  description = "Secrets Manager secret with the MLflow database password (read by scripts/create-secrets.sh)."
  value       = module.platform.mlflow_db_secret_arn
}

output "mlflow_artifact_bucket" {
  description = "S3 bucket of the MLflow artifacts."
  value       = module.platform.mlflow_artifact_bucket
}
{%- endif %}
