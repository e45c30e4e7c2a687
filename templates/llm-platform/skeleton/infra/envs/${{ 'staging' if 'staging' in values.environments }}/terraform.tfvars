# Values of the staging environment for infra/live: `scripts/terraform.sh staging plan`
# (or apply) passes this file as -var-file.
project            = "${{ values.name }}"
environment        = "staging"
owner              = "${{ values.owner }}"
aws_account_id     = "${{ values.awsAccountId }}"
region             = "${{ values.awsRegion }}"
cluster_name       = "${{ values.clusterName }}"
kubernetes_version = "${{ values.kubernetesVersion }}"
vpc_cidr           = "${{ values.vpcCidr }}"

one_nat_gateway_per_az = false

# Sized for the services and the observability stack with their requests
# (k8s/base), plus kube-system, on t3.large (FAILURES.md D12, D30).
general_instance_type = "t3.large"
general_desired_size  = 2
general_min_size      = 2
general_max_size      = 4
{%- if values.addons.gpuAutoscaling == 'fixed' %}

# From the fit planner; the instance type itself is in infra/modules/eks.
# desired covers every vLLM replica from the first apply, so the model does
# not wait in Pending for a node that never comes.
gpu_ami_type     = "${{ values.gpu.amiType }}"
gpu_desired_size = ${{ [values.gpu.minSize | int, values.replicas | int] | sort | last }}
gpu_min_size     = ${{ values.gpu.minSize }}
gpu_max_size     = ${{ values.gpu.maxSize }}
{%- else %}

# GPU nodes come from the Karpenter NodePool in k8s/base/karpenter, with the
# planner's instance type, up to ${{ values.gpu.maxSize }} nodes.
{%- endif %}
