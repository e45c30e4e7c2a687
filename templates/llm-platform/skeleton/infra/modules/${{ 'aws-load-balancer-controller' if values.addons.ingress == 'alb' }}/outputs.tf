output "role_arn" {
  description = "IAM role of the AWS Load Balancer Controller."
  value       = module.irsa.role_arn
}
