#!/usr/bin/env bash
# Creates the Secrets the manifests read and the repository never contains
# (FAILURES.md D06, D17, D29). Run once per cluster, after Terraform and before
# `kubectl apply -k`. Re-running keeps existing values.
#   HF_TOKEN=hf_... scripts/create-secrets.sh
set -euo pipefail

ensure_namespace() {
  kubectl create namespace "$1" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
}

ensure_namespace llm-serving
if [ -n "${HF_TOKEN:-}" ]; then
  kubectl -n llm-serving create secret generic hf-token --from-literal=token="$HF_TOKEN" \
    --dry-run=client -o yaml | kubectl apply -f -
  echo "secret llm-serving/hf-token written"
else
  echo "HF_TOKEN not set: no hf-token secret (fine for public models; gated ones such as Llama need it)"
fi
{%- if 'grafana' in values.observability %}

ensure_namespace observability
if kubectl -n observability get secret grafana-admin >/dev/null 2>&1; then
  echo "secret observability/grafana-admin exists: kept"
else
  # Generated here, shown once, never written to the repository.
  password="$(openssl rand -base64 24 | tr -d '/+=' | cut -c1-24)"
  kubectl -n observability create secret generic grafana-admin --from-literal=admin-password="$password"
  echo "secret observability/grafana-admin created; read it with:"
  echo "  kubectl -n observability get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d"
fi
{%- endif %}
{%- if values.addons.mlflow %}

# MLflow's backend store: the RDS endpoint and artifact bucket from Terraform,
# the password from the Secrets Manager secret RDS keeps. ENVIRONMENT picks the
# environment whose Terraform state is read (default ${{ values.environments[0] }}).
ensure_namespace mlflow
tf_output() {
  "$(dirname "$0")/terraform.sh" "${ENVIRONMENT:-${{ values.environments[0] }}}" output -raw "$1"
}
db_host="$(tf_output mlflow_db_endpoint)"
db_secret="$(tf_output mlflow_db_secret_arn)"
bucket="$(tf_output mlflow_artifact_bucket)"
db_password="$(aws secretsmanager get-secret-value --secret-id "$db_secret" --query SecretString --output text |
  python3 -c 'import json, sys, urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)["password"], safe=""))')"
kubectl -n mlflow create secret generic mlflow-backend \
  --from-literal=MLFLOW_BACKEND_STORE_URI="postgresql://mlflow:${db_password}@${db_host}:5432/mlflow" \
  --from-literal=MLFLOW_ARTIFACTS_DESTINATION="s3://${bucket}" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
echo "secret mlflow/mlflow-backend written (database ${db_host}, artifacts s3://${bucket})"
{%- endif %}
