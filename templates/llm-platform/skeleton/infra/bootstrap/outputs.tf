output "state_bucket" {
  description = "S3 bucket holding Terraform state."
  value       = aws_s3_bucket.state.bucket
}

output "lock_table" {
  description = "DynamoDB table holding Terraform state locks."
  value       = aws_dynamodb_table.lock.name
}

output "repository_urls" {
  description = "ECR repository URL by service name."
  value       = module.ecr.repository_urls
}
