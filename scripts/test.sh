#!/usr/bin/env bash
# Runs every check: type check, lint, and every package's tests (including the
# tests that start real PostgreSQL, Redis and Prometheus servers on 127.0.0.1).
# Exits non-zero on the first failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_toolchain
# Servers the tests start for real; postgres ships with these machines.
ensure_apt redis-server:redis-server prometheus:prometheus chromium:/usr/bin/chromium
cd "$REPO_ROOT"

log "type check"
yarn tsc
log "lint"
yarn lint:all
log "tests"
CI=true yarn backstage-cli repo test
