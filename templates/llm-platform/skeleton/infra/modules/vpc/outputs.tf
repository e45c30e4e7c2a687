output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnets, where the node groups run."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Public subnets, for internet-facing load balancers."
  value       = aws_subnet.public[*].id
}
