#!/usr/bin/env bash
# Installs what the integration, UI and Python tests need, skipping every part already in place:
#   1. Debian packages (only as root, only when something is missing): chromium, ripgrep,
#      libkrb5-dev (code-server's kerberos addon needs gssapi.h), plus git, make, g++, python3
#      and ca-certificates when a fresh machine lacks them (python3-venv when creating the venv fails).
#   2. code-server@4.100.3 (VS Code 1.100.3 server + web workbench) into .vscode-test/host.
#   3. A Python venv in .venv with requirements-test.txt.
#
# Options: --skip-apt  --skip-venv  --skip-host
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CODE_SERVER_VERSION=4.100.3
HOST_DIR="$ROOT/.vscode-test/host"
SERVER_MAIN="$HOST_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
HOST_MARKER="$HOST_DIR/.installed-code-server-$CODE_SERVER_VERSION"
VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/requirements-test.txt"
# The ripgrep archive @vscode/ripgrep 1.15.11 looks for in $TMPDIR before trying GitHub.
RG_CACHE_DIR=vscode-ripgrep-cache-1.15.11
RG_TARBALL="ripgrep-v13.0.0-10-$(uname -m)-unknown-linux-musl.tar.gz"

skip_apt=0 skip_venv=0 skip_host=0
for arg in "$@"; do
  case "$arg" in
    --skip-apt) skip_apt=1 ;;
    --skip-venv) skip_venv=1 ;;
    --skip-host) skip_host=1 ;;
    *) echo "setup-test-host: unknown option $arg (known: --skip-apt --skip-venv --skip-host)" >&2; exit 2 ;;
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
if [ $skip_host -eq 1 ]; then
  log "VS Code host: skipped (--skip-host)"
elif [ -f "$HOST_MARKER" ] && [ -f "$SERVER_MAIN" ]; then
  log "VS Code host: code-server $CODE_SERVER_VERSION already installed in ${HOST_DIR#"$ROOT"/}"
else
  step "installing code-server@$CODE_SERVER_VERSION into ${HOST_DIR#"$ROOT"/} (about a minute)"
  command -v rg >/dev/null 2>&1 || { log "ripgrep (rg) is required to seed @vscode/ripgrep" >&2; exit 1; }
  mkdir -p "$HOST_DIR"
  # Its own package.json keeps npm from treating the repository as the project to install into.
  [ -f "$HOST_DIR/package.json" ] || echo '{ "name": "exptrack-test-host", "private": true }' > "$HOST_DIR/package.json"
  seed_tmp=$(mktemp -d)
  trap 'rm -rf "$seed_tmp"' EXIT
  mkdir -p "$seed_tmp/$RG_CACHE_DIR"
  cp "$(command -v rg)" "$seed_tmp/rg"
  tar -czf "$seed_tmp/$RG_CACHE_DIR/$RG_TARBALL" -C "$seed_tmp" rg
  (
    cd "$HOST_DIR"
    export TMPDIR="$seed_tmp"
    export npm_config_yes=true            # node-pty's postinstall runs `npx node-gyp`
    export npm_config_unsafe_perm=true    # code-server's postinstall refuses root otherwise
    export npm_config_nodedir=/usr        # node-gyp uses the installed headers instead of downloading
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  [ -f "$SERVER_MAIN" ] || { log "install finished but $SERVER_MAIN is missing" >&2; exit 1; }
  touch "$HOST_MARKER"
  rm -rf "$seed_tmp"
  trap - EXIT
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
