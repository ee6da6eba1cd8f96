#!/usr/bin/env bash
# What the browser tests need beyond Python: Debian's chromium and axe-core from npm.
# Installs chromium with apt-get when it is missing and we may (root); otherwise the
# browser tests say why they skip (and fail under CI, where CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: chromium is not installed; the browser tests will be skipped" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
    npm ci --prefix tests/browser --no-audit --no-fund --silent
  fi
else
  echo "note: npm is not installed; the accessibility tests will be skipped" >&2
fi
