#!/usr/bin/env bash
set -euo pipefail
kubectl -n llm rollout status deploy/mistral-7b
curl -fsS http://localhost:8000/health
