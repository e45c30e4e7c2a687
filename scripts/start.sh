#!/usr/bin/env bash
# Starts the portal on embedded defaults: the UI on :3000, the backend on :7007.
# Installs a project-local Node 22 and the dependencies first when needed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_toolchain
cd "$REPO_ROOT"
exec yarn start "$@"
