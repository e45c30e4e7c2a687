# State of the staging environment in S3, locked in DynamoDB; both are created once
# by infra/bootstrap. Read by `scripts/terraform.sh staging init`
# (terraform -chdir=infra/live init -backend-config=../envs/staging/backend.hcl).
bucket         = "${{ values.stateBucket }}"
key            = "${{ values.name }}/staging/terraform.tfstate"
region         = "${{ values.awsRegion }}"
dynamodb_table = "${{ values.lockTable }}"
encrypt        = true
