output "namespace" {
  description = "Namespace the workflows run in."
  value       = helm_release.argo_workflows.namespace
}
