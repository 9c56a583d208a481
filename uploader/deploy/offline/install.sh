#!/bin/sh
# Installs edgebench from this offline bundle (made by `npm run pack:offline`).
# Needs Node (the version in bundle.env) and nothing from the network: the
# package tarball carries its whole dependency tree and the board's prebuilt
# llama.cpp binary.
#
#   ./install.sh [--prefix DIR] [--method npm|copy] [--no-models] [--force]
#
#   --prefix   where to install (default: $PREFIX, else $HOME/.local);
#              the command lands in DIR/bin/edgebench
#   --method   npm: `npm install -g --offline` (the default when npm exists);
#              copy: unpack the tarball into DIR/lib/node_modules/edgebench
#              (for Node installs without npm, e.g. Debian's nodejs package)
#   --no-models  leave the carried models/ where they are
#   --force    install even if this machine's OS/CPU differs from the bundle's
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/bundle.env"

die() { echo "install.sh: $*" >&2; exit 1; }

PREFIX="${PREFIX:-${HOME:?HOME is not set; pass --prefix}/.local}"
METHOD=""
MODELS=1
FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; PREFIX="$2"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    --method) [ $# -ge 2 ] || die "--method needs npm or copy"; METHOD="$2"; shift 2 ;;
    --method=*) METHOD="${1#--method=}"; shift ;;
    --no-models) MODELS=0; shift ;;
    --force) FORCE=1; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# Node, at the version the package declares.
command -v node >/dev/null 2>&1 || die "Node.js >= $NODE_MIN is needed and was not found on PATH"
node -e '
  const want = process.argv[1].split(".").map(Number);
  const have = process.versions.node.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] || 0) > (want[i] || 0)) process.exit(0);
    if ((have[i] || 0) < (want[i] || 0)) process.exit(1);
  }
' "$NODE_MIN" || die "Node $(node --version) is too old: edgebench needs >= $NODE_MIN"

# The bundle carries one platform's binary: refuse a board it cannot run on.
SYS=$(uname -s)
MACHINE=$(uname -m)
case " $BUNDLE_MACHINES " in *" $MACHINE "*) ok=1 ;; *) ok=0 ;; esac
if [ "$SYS" != "$BUNDLE_OS" ] || [ "$ok" = 0 ]; then
  if [ "$FORCE" = 1 ]; then
    echo "install.sh: warning: this is $SYS $MACHINE; the bundle is for $BUNDLE_PLATFORM" >&2
  else
    die "this is $SYS $MACHINE, the bundle is for $BUNDLE_PLATFORM ($BUNDLE_OS $BUNDLE_MACHINES); make one with npm run pack:offline -- --platform <this board's>, or pass --force"
  fi
fi

if [ -z "$METHOD" ]; then
  if command -v npm >/dev/null 2>&1; then METHOD=npm; else METHOD=copy; fi
fi
mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)
PKG_DIR="$PREFIX/lib/node_modules/edgebench"

case "$METHOD" in
  npm)
    # --offline: every dependency is inside the tarball (bundleDependencies), so
    # npm must not ask any registry. NODE_LLAMA_CPP_SKIP_DOWNLOAD: node-llama-cpp's
    # postinstall must never try to fetch and build llama.cpp from source.
    NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
    npm_config_offline=true npm_config_audit=false npm_config_fund=false \
    npm_config_update_notifier=false npm_config_loglevel=error \
      npm install --global --prefix "$PREFIX" "$HERE/$BUNDLE_TARBALL" \
      || die "npm install failed (see above); --method copy installs without npm"
    ;;
  copy)
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/edgebench-install.XXXXXX")
    trap 'rm -rf "$TMP"' EXIT
    tar xzf "$HERE/$BUNDLE_TARBALL" -C "$TMP" || die "could not unpack $BUNDLE_TARBALL"
    rm -rf "$PKG_DIR"
    mkdir -p "$(dirname "$PKG_DIR")" "$PREFIX/bin"
    mv "$TMP/package" "$PKG_DIR"
    chmod +x "$PKG_DIR/bin/edgebench.mjs"
    ln -sf "$PKG_DIR/bin/edgebench.mjs" "$PREFIX/bin/edgebench"
    ;;
  *) die "--method must be npm or copy, not $METHOD" ;;
esac

[ -x "$PREFIX/bin/edgebench" ] || die "installed, but $PREFIX/bin/edgebench is missing"
echo "installed edgebench $("$PREFIX/bin/edgebench" --version) for $BUNDLE_PLATFORM into $PKG_DIR"

# Models carried alongside: checked against their sha256, then copied where
# edgebench looks for them (the same rule as uploader/src/config.ts: EDGEBENCH_MODELS,
# else $EDGEBENCH_HOME/models, else $XDG_CONFIG_HOME/edgebench/models).
if [ "$MODELS" = 1 ] && [ -f "$HERE/models/SHA256SUMS" ]; then
  MODELS_DIR="${EDGEBENCH_MODELS:-${EDGEBENCH_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/edgebench}/models}"
  node -e '
    const { createHash } = require("node:crypto");
    const fs = require("node:fs");
    const path = require("node:path");
    const dir = process.argv[1];
    let bad = 0;
    for (const line of fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8").split("\n")) {
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!m) continue;
      const h = createHash("sha256");
      const fd = fs.openSync(path.join(dir, m[2]), "r");
      const buf = Buffer.alloc(1 << 20);
      for (let n; (n = fs.readSync(fd, buf)) > 0; ) h.update(buf.subarray(0, n));
      fs.closeSync(fd);
      const ok = h.digest("hex") === m[1];
      if (!ok) bad++;
      console.log(`${m[2]}: ${ok ? "sha256 OK" : "sha256 MISMATCH"}`);
    }
    process.exit(bad ? 1 : 0);
  ' "$HERE/models" || die "a carried model does not match its sha256; nothing was copied"
  mkdir -p "$MODELS_DIR"
  for f in "$HERE"/models/*; do
    [ "$(basename "$f")" = SHA256SUMS ] || cp "$f" "$MODELS_DIR/"
  done
  echo "models copied to $MODELS_DIR"
fi

case ":$PATH:" in
  *":$PREFIX/bin:"*) echo "run: edgebench detect" ;;
  *) echo "edgebench is $PREFIX/bin/edgebench; to put it on PATH: export PATH=\"$PREFIX/bin:\$PATH\"" ;;
esac
