# State in S3, locked in DynamoDB (both created once by infra/bootstrap). Each
# environment's bucket, key and table are in infra/envs/<env>/backend.hcl, so
# this one root module serves every environment with its own state.
terraform {
  backend "s3" {}
}
