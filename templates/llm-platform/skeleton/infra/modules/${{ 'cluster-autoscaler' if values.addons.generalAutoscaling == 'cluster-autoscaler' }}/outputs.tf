output "role_arn" {
  description = "IAM role of the Cluster Autoscaler."
  value       = module.irsa.role_arn
}
