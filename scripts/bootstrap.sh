#!/usr/bin/env bash
# Shared set-up for bin/serve and bin/test: a local virtual environment with the project's
# dependencies (re-installed only when pyproject.toml changes), and the system libraries
# WeasyPrint needs. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi

apt_install() {
  local runner=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "Please install these Debian packages: $*" >&2; exit 1; }
    runner=(sudo)
  fi
  echo "Installing system packages: $*"
  "${runner[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq "$@" >/dev/null
}

# WeasyPrint renders with Pango.
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation
fi

VENV="${VENV:-$ROOT/.venv}"  # VENV=… uses another virtual environment
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${BOOTSTRAP_EXTRAS:-base}"
if [ ! -f "$STAMP" ]; then
  echo "Installing Python dependencies into .venv …"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  if [ -n "${BOOTSTRAP_EXTRAS:-}" ]; then
    "$VENV/bin/python" -m pip install -q -e ".[${BOOTSTRAP_EXTRAS}]"
  else
    "$VENV/bin/python" -m pip install -q -e .
  fi
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
mkdir -p "$ROOT/var"
