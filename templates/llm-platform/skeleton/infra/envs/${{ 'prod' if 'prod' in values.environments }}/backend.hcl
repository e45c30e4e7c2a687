# State of the prod environment in S3, locked in DynamoDB; both are created once
# by infra/bootstrap. Read by `scripts/terraform.sh prod init`
# (terraform -chdir=infra/live init -backend-config=../envs/prod/backend.hcl).
bucket         = "${{ values.stateBucket }}"
key            = "${{ values.name }}/prod/terraform.tfstate"
region         = "${{ values.awsRegion }}"
dynamodb_table = "${{ values.lockTable }}"
encrypt        = true
