output "controller_role_arn" {
  description = "IAM role of the Karpenter controller."
  value       = module.controller_irsa.role_arn
}

output "interruption_queue" {
  description = "Name of the SQS interruption queue, empty when disabled."
  value       = var.interruption_queue ? local.queue_name : ""
}
