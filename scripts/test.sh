#!/usr/bin/env bash
# Runs every check: type check, lint, and every package's tests (including the
# tests that start real PostgreSQL, Redis and Prometheus servers on 127.0.0.1).
# Exits non-zero on the first failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_toolchain
# Servers the tests start for real (postgres ships with these machines), the
# browser the browser tests drive, and the Python packages the generated
# repository's own tests run with.
ensure_apt redis-server:redis-server prometheus:prometheus chromium:/usr/bin/chromium \
  python3-fastapi:/usr/lib/python3/dist-packages/fastapi \
  python3-httpx:/usr/lib/python3/dist-packages/httpx \
  python3-pytest:/usr/bin/pytest-3 \
  python3-prometheus-client:/usr/lib/python3/dist-packages/prometheus_client
cd "$REPO_ROOT"

log "type check"
yarn tsc
log "lint"
yarn lint:all
log "tests"
CI=true yarn backstage-cli repo test
