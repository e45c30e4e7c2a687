#!/usr/bin/env bash
# Smoke checks after a deploy: GPUs advertised, volumes bound, pods ready, the
# model answering. Exits non-zero on the first failed check.
#   scripts/golden-checks.sh
set -euo pipefail

MODEL="${{ values.vllm.model }}"
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok:   $*"; }

gpus="$(kubectl get nodes -l nvidia.com/gpu.present=true -o jsonpath='{.items[*].status.allocatable.nvidia\.com/gpu}')"
[ -n "$gpus" ] || fail "no GPU node advertises nvidia.com/gpu (AMI type D09, device plugin D10)"
pass "GPU nodes advertise nvidia.com/gpu: $gpus"

kubectl get storageclass gp3 >/dev/null || fail "StorageClass gp3 missing (D02)"
pending="$(kubectl get pvc -A --no-headers | awk '$3 != "Bound" {print $1"/"$2}')"
[ -z "$pending" ] || fail "PVCs not bound: $pending (EBS CSI driver D01, StorageClass D02)"
pass "every PVC is Bound"

for ns in llm-serving{% for svc in values.services %} ${{ 'platform' if svc == 'gateway' else svc | replace('-api', '') }}{% endfor %}{% if values.observability | length %} observability{% endif %}{% if values.addons.mlflow %} mlflow{% endif %}; do
  kubectl -n "$ns" wait --for=condition=Available deployment --all --timeout=20m >/dev/null \
    || fail "deployments in $ns not available: kubectl -n $ns get pods; see docs/runbooks.md"
  pass "deployments in $ns available"
done

kubectl -n llm-serving port-forward svc/vllm 18000:8000 >/dev/null 2>&1 &
forward=$!
trap 'kill "$forward" 2>/dev/null || true' EXIT
sleep 3
served="$(curl -fsS http://127.0.0.1:18000/v1/models)" || fail "vLLM /v1/models unreachable"
echo "$served" | grep -q "\"$MODEL\"" || fail "vLLM does not serve $MODEL: $served"
pass "vLLM serves $MODEL"
curl -fsS http://127.0.0.1:18000/v1/completions -H 'content-type: application/json' \
  -d "{\"model\": \"$MODEL\", \"prompt\": \"The capital of France is\", \"max_tokens\": 8}" >/dev/null \
  || fail "completion request failed"
pass "completion answered"
{%- if values.addons.mlflow %}

# MLflow reaches its database: the connection check of the runbook.
kubectl -n mlflow exec deploy/mlflow -c mlflow -- python -c \
  "import os, socket, urllib.parse; u = urllib.parse.urlparse(os.environ['MLFLOW_BACKEND_STORE_URI']); socket.create_connection((u.hostname, u.port or 5432), 5)" \
  || fail "MLflow cannot reach its PostgreSQL database: see docs/runbooks.md (MLflow)"
pass "MLflow reaches its database"
{%- endif %}
{%- if values.addons.argoWorkflows %}

kubectl get crd workflowtemplates.argoproj.io >/dev/null || fail "Argo Workflows CRDs missing (D08): run scripts/terraform.sh <env> apply"
kubectl -n argo get workflowtemplate{% if 'finetune-api' in values.services %} finetune{% endif %}{% if 'eval-api' in values.services %} eval{% endif %} >/dev/null || fail "WorkflowTemplates missing: kubectl apply -k k8s/overlays/<env>"
pass "Argo WorkflowTemplates installed"
{%- endif %}
