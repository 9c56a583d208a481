#!/bin/sh
# Installs edgebench from this offline pack (made by `npm run pack:offline`).
# Needs a POSIX shell, tar, gzip and sha256sum (or shasum); no Node, no npm
# and no network: the release archive carries its own Node.js runtime and the
# board's prebuilt llama.cpp.
#
#   ./install.sh [--prefix DIR] [--no-models] [--force]
#
#   --prefix     where to install (default: $PREFIX, else $HOME/.local): the
#                archive goes to DIR/lib/edgebench, the command to DIR/bin/edgebench
#   --no-models  leave the carried models/ where they are
#   --force      install even if this machine's OS/CPU differs from the pack's
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/bundle.env"

die() { echo "install.sh: $*" >&2; exit 1; }

PREFIX="${PREFIX:-${HOME:?HOME is not set; pass --prefix}/.local}"
MODELS=1
FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; PREFIX="$2"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    --no-models) MODELS=0; shift ;;
    --force) FORCE=1; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# The archive carries one platform's binaries: refuse a board it cannot run on.
SYS=$(uname -s)
MACHINE=$(uname -m)
case " $BUNDLE_MACHINES " in *" $MACHINE "*) ok=1 ;; *) ok=0 ;; esac
if [ "$SYS" != "$BUNDLE_OS" ] || [ "$ok" = 0 ]; then
  if [ "$FORCE" = 1 ]; then
    echo "install.sh: warning: this is $SYS $MACHINE; the pack is for $BUNDLE_PLATFORM" >&2
  else
    die "this is $SYS $MACHINE, the pack is for $BUNDLE_PLATFORM ($BUNDLE_OS $BUNDLE_MACHINES); make one with npm run pack:offline -- --platform <this board's>, or pass --force"
  fi
fi

# sha256 of a file, with whichever tool the system has (coreutils and busybox: sha256sum; macOS: shasum).
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else die "neither sha256sum nor shasum is installed: cannot check $1"
  fi
}

# Checks every file a SHA256SUMS lists (sha256sum's format) in its directory; prints one line each.
check_sums() {
  dir=$1
  bad=0
  while read -r want name; do
    [ -n "$want" ] || continue
    name=${name#\*}
    if [ "$(sha256_of "$dir/$name")" = "$want" ]; then echo "$name: sha256 OK"; else echo "$name: sha256 MISMATCH"; bad=1; fi
  done < "$dir/SHA256SUMS"
  return $bad
}

check_sums "$HERE" || die "the archive does not match SHA256SUMS: the pack is damaged; nothing was installed"

mkdir -p "$PREFIX/lib" "$PREFIX/bin"
PREFIX=$(cd "$PREFIX" && pwd)
APP="$PREFIX/lib/edgebench"
# Unpacked beside the destination, then moved into place: an interrupted
# install leaves the previous one working.
TMP=$(mktemp -d "$PREFIX/lib/.edgebench-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
tar xzf "$HERE/$ARCHIVE" -C "$TMP" || die "could not unpack $ARCHIVE"
[ -x "$TMP/$ARCHIVE_DIR/edgebench" ] || die "$ARCHIVE holds no $ARCHIVE_DIR/edgebench"
if ! "$TMP/$ARCHIVE_DIR/node/bin/node" --version >/dev/null 2>&1; then
  "$TMP/$ARCHIVE_DIR/node/bin/node" --version >&2 || true
  die "the Node.js runtime in $ARCHIVE does not start on this board${NEEDS_GLIBC:+ (it needs glibc >= $NEEDS_GLIBC; \`ldd --version\` shows this board's)}"
fi
rm -rf "$APP.old"
[ ! -e "$APP" ] || mv "$APP" "$APP.old"
mv "$TMP/$ARCHIVE_DIR" "$APP"
rm -rf "$APP.old"
ln -sf "$APP/edgebench" "$PREFIX/bin/edgebench"
echo "installed edgebench $("$PREFIX/bin/edgebench" --version) for $BUNDLE_PLATFORM into $APP"

# Models carried alongside: checked against their sha256, then copied where
# edgebench looks for them (the same rule as uploader/src/config.ts: EDGEBENCH_MODELS,
# else $EDGEBENCH_HOME/models, else $XDG_CONFIG_HOME/edgebench/models).
if [ "$MODELS" = 1 ] && [ -f "$HERE/models/SHA256SUMS" ]; then
  MODELS_DIR="${EDGEBENCH_MODELS:-${EDGEBENCH_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/edgebench}/models}"
  check_sums "$HERE/models" || die "a carried model does not match its sha256; nothing was copied"
  mkdir -p "$MODELS_DIR"
  for f in "$HERE"/models/*; do
    [ "$(basename "$f")" = SHA256SUMS ] || cp "$f" "$MODELS_DIR/"
  done
  echo "models copied to $MODELS_DIR"
fi

# The signature says who made SHA256SUMS; only a checker trusted before this
# pack arrived can say so (the copy just installed came in the same pack).
echo "SHA256SUMS.sig: check it with \`edgebench verify-release $HERE\` from a copy you already trust, or with openssl (docs/release.md)"
case ":$PATH:" in
  *":$PREFIX/bin:"*) echo "run: edgebench detect" ;;
  *) echo "edgebench is $PREFIX/bin/edgebench; to put it on PATH: export PATH=\"$PREFIX/bin:\$PATH\"" ;;
esac
