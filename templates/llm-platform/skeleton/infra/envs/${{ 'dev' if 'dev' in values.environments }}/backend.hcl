# State of the dev environment in S3, locked in DynamoDB; both are created once
# by infra/bootstrap. Read by `scripts/terraform.sh dev init`
# (terraform -chdir=infra/live init -backend-config=../envs/dev/backend.hcl).
bucket         = "${{ values.stateBucket }}"
key            = "${{ values.name }}/dev/terraform.tfstate"
region         = "${{ values.awsRegion }}"
dynamodb_table = "${{ values.lockTable }}"
encrypt        = true
