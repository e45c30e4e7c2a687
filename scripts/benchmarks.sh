#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md in sequence, with the options the
# document names, and regenerates its marked sections.
#
#   ./scripts/benchmarks.sh           # the documented sizes (several times the quick run)
#   ./scripts/benchmarks.sh --quick   # smaller sizes and fewer runs, about 10 minutes; prints only
#
# Every section's generated block (between <!-- benchmark:NAME:start/end -->
# markers) is rewritten from its benchmark's output: "LLM Platform tab" and
# "Portal" by their scripts (--write), the planner, template, workload and
# latency sections by scripts/bench/write-section.ts. The explanations around
# the blocks are written by hand. --quick leaves docs/benchmarks.md as it is:
# its sizes are not the documented ones. Every output is also kept in a folder
# named at the end.
# Needs Debian's chromium and prometheus packages.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_yarn
cd "$REPO_ROOT"

quick=false
for arg in "$@"; do
  case "$arg" in
  --quick) quick=true ;;
  *)
    echo "usage: $0 [--quick]" >&2
    exit 2
    ;;
  esac
done

out="$(mktemp -d "${TMPDIR:-/tmp}/llmp-benchmarks.XXXXXX")"
node_ts=(node --require @backstage/cli/config/nodeTransform.cjs)

run() {
  local name="$1"
  shift
  log "benchmark: $name ($*)"
  "$@" | tee "$out/$name.md"
}

# Runs a benchmark and writes its output into its section's markers.
run_and_write() {
  local name="$1"
  shift
  run "$name" "$@"
  "${node_ts[@]}" scripts/bench/write-section.ts "$name" "$out/$name.md" "$*"
}

if $quick; then
  run planner-validator "${node_ts[@]}" scripts/bench/planner-validator.ts --runs 3
  run templates yarn workspace @llm-platform/templates-tests bench 5
  run workloads "${node_ts[@]}" scripts/bench/workloads.ts --scenario small-fleet --runs 3
  run metrics "${node_ts[@]}" scripts/bench/metrics.ts --pods 64 --rounds 3
  run llm-platform-tab yarn --cwd plugins/llm-platform benchmark --runs 3 --refreshes 10
  run portal yarn workspace app benchmark:portal --pods 200,2000 --runs 3 --polls 3
else
  run_and_write planner-validator "${node_ts[@]}" scripts/bench/planner-validator.ts --runs 7
  run_and_write templates yarn workspace @llm-platform/templates-tests bench 20
  run_and_write workloads "${node_ts[@]}" scripts/bench/workloads.ts --scenario benchmark-fleet --runs 5
  run_and_write metrics "${node_ts[@]}" scripts/bench/metrics.ts --pods 64,256 --rounds 7
  run llm-platform-tab yarn --cwd plugins/llm-platform benchmark --write
  run portal yarn workspace app benchmark:portal --pods 200,2000 --runs 5 --polls 20 --write
fi

$quick || log "docs/benchmarks.md: every section's generated block regenerated"
log "every benchmark's output: $out"
