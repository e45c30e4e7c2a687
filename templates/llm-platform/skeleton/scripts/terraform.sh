#!/usr/bin/env bash
# Terraform for one environment: the root module infra/live with the state
# (infra/envs/<env>/backend.hcl) and values (infra/envs/<env>/terraform.tfvars)
# of that environment.
#   scripts/terraform.sh <env> init
#   scripts/terraform.sh <env> plan|apply|destroy [args]
#   scripts/terraform.sh <env> output [args]
# Each environment keeps its own working directory (infra/live/.terraform-<env>),
# so switching environments never offers to copy one environment's state into
# another's backend.
set -euo pipefail

usage="usage: scripts/terraform.sh <${{ values.environments | join('|') }}> <terraform command> [args]"
env="${1:?$usage}"
command="${2:?$usage}"
shift 2
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$repo/infra/envs/$env/backend.hcl" ]; then
  echo "no environment \"$env\": infra/envs/$env/backend.hcl does not exist" >&2
  echo "$usage" >&2
  exit 2
fi
export TF_DATA_DIR="$repo/infra/live/.terraform-$env"
live=(terraform -chdir="$repo/infra/live")

case "$command" in
  init)
    exec "${live[@]}" init -reconfigure -backend-config="../envs/$env/backend.hcl" "$@" ;;
  plan | apply | destroy | import | refresh | console)
    exec "${live[@]}" "$command" -var-file="../envs/$env/terraform.tfvars" "$@" ;;
  *)
    exec "${live[@]}" "$command" "$@" ;;
esac
