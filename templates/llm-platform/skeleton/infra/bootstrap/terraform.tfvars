project        = "${{ values.name }}"
owner          = "${{ values.owner }}"
aws_account_id = "${{ values.awsAccountId }}"
region         = "${{ values.awsRegion }}"
state_bucket   = "${{ values.stateBucket }}"
lock_table     = "${{ values.lockTable }}"
services       = [{% for svc in values.services %}"${{ svc }}"{% if not loop.last %}, {% endif %}{% endfor %}{% if values.addons.mlflow %}{% if values.services | length %}, {% endif %}"mlflow"{% endif %}]
