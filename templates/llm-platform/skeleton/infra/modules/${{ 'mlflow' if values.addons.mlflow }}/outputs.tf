output "db_endpoint" {
  description = "Host of the PostgreSQL database."
  value       = aws_db_instance.mlflow.address
}

output "db_secret_arn" {
  description = "Secrets Manager secret with the database user and password, kept by RDS."
  value       = aws_db_instance.mlflow.master_user_secret[0].secret_arn
}

output "artifact_bucket" {
  description = "S3 bucket of the MLflow artifacts."
  value       = aws_s3_bucket.artifacts.bucket
}

output "role_arn" {
  description = "IAM role of the mlflow service account."
  value       = module.irsa.role_arn
}
