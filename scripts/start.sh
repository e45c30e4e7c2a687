#!/usr/bin/env bash
# Starts the portal on embedded defaults: the UI on :3000, the backend on :7007,
# and next to it the local sandbox (a simulated cluster, a live vLLM/DCGM
# exporter and Prometheus) that the example entities point at.
# Installs a project-local Node 22 and the dependencies first when needed.
# LLMP_SANDBOX=0 starts the portal alone.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_toolchain
cd "$REPO_ROOT"

if [ "${LLMP_SANDBOX:-1}" != "0" ]; then
  if ! command -v prometheus >/dev/null 2>&1; then
    log "Prometheus is not installed, so the sandbox has no metrics and the latency panel says so."
    log "Install it with: sudo apt-get install -y prometheus"
  fi
  node --require "$REPO_ROOT/node_modules/@backstage/cli-node/config/nodeTransform.cjs" \
    plugins/llm-platform-backend/dev/sandbox/index.ts &
  sandbox_pid=$!
  # The sandbox stops its own Prometheus when it is told to stop.
  trap 'kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null' EXIT
fi

yarn start "$@"
