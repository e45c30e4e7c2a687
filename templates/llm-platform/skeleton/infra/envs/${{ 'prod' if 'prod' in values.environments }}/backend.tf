# State in S3, locked in DynamoDB; both are created once by infra/bootstrap.
terraform {
  backend "s3" {
    bucket         = "${{ values.stateBucket }}"
    key            = "${{ values.name }}/prod/terraform.tfstate"
    region         = "${{ values.awsRegion }}"
    dynamodb_table = "${{ values.lockTable }}"
    encrypt        = true
  }
}
