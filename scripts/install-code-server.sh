#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 with a real Node extension host) into a cache folder, offline-friendly.
# It is a test tool, not a dependency of the extension: it lives outside node_modules.
# Needs Debian's ripgrep and libkrb5-dev (.ci/run installs them), plus python3/make/g++ for node-gyp.
# usage: scripts/install-code-server.sh [DEST]   (default: $SECML_CODE_SERVER_DIR or .vscode-test/code-server)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${1:-${SECML_CODE_SERVER_DIR:-$ROOT/.vscode-test/code-server}}
VERSION=4.100.3
if [ -x "$DEST/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$VERSION\"" "$DEST/node_modules/code-server/package.json" 2>/dev/null; then
  echo "code-server $VERSION already in $DEST"; exit 0
fi
command -v rg >/dev/null || { echo "install-code-server: ripgrep (rg) is missing: apt-get install -y ripgrep" >&2; exit 1; }
mkdir -p "$DEST" && cd "$DEST"
[ -f package.json ] || echo '{"name":"secml-code-server-host","private":true}' > package.json
# @vscode/ripgrep's postinstall downloads rg; it first looks in $TMPDIR/vscode-ripgrep-cache-<ver>/, so seed that
# cache with Debian's rg under the asset name it expects.
export TMPDIR="$DEST/.tmp"; RGV=1.15.11; RGTAG=v13.0.0-10
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RGV" "$TMPDIR/rg"
cp "$(command -v rg)" "$TMPDIR/rg/rg"
tar czf "$TMPDIR/vscode-ripgrep-cache-$RGV/ripgrep-$RGTAG-x86_64-unknown-linux-musl.tar.gz" -C "$TMPDIR/rg" rg
# node-pty's postinstall runs `npx node-gyp`: let npx fetch it without a prompt.
export npm_config_yes=true
npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$VERSION"
echo "code-server $VERSION installed in $DEST"
