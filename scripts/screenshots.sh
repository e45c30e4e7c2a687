#!/usr/bin/env bash
# Refreshes the screenshots the READMEs show from one run of the browser tests
# (packages/app/src/e2e/portal.e2e.test.ts), which drive Debian's Chromium
# against the portal and the local sandbox exactly as `./scripts/test.sh` does.
#
#   ./scripts/screenshots.sh
#
# Every screenshot of the run stays in e2e-test-report/ (git-ignored); the ones
# below are copied next to the READMEs that show them.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_yarn
ensure_deps
ensure_apt prometheus:prometheus chromium:/usr/bin/chromium
cd "$REPO_ROOT"

rm -rf e2e-test-report
(cd packages/app && CI=true yarn backstage-cli package test src/e2e/portal)

# report file -> where a README shows it
declare -A shots=(
  [llm-platform-tab.png]=docs/screenshots/llm-platform-tab.png
  [llm-platform-tab-dark.png]=docs/screenshots/llm-platform-tab-dark.png
  [pod-row-open.png]=docs/screenshots/pod-row-open.png
  [template-fit-refused.png]=docs/screenshots/template-fit-refused.png
  [template-task-done.png]=docs/screenshots/template-task-done.png
  [template-new-entity-tab.png]=docs/screenshots/template-new-entity-tab.png
)
for name in "${!shots[@]}"; do
  src="e2e-test-report/$name"
  if [[ ! -f "$src" ]]; then
    echo "the browser tests wrote no $name" >&2
    exit 1
  fi
  mkdir -p "$(dirname "${shots[$name]}")"
  cp "$src" "${shots[$name]}"
  log "updated ${shots[$name]}"
done
