#!/usr/bin/env bash
# What the browser tests need beyond Python: Debian's chromium, its headless shell (which
# prints the PDF briefings) and axe-core from npm. Installs the Chromiums with apt-get when
# they are missing and we may (root); otherwise the browser tests say why they skip (and fail
# under CI, where CI=true), and the briefings are printed by whichever Chromium there is.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for program in chromium chromium-headless-shell; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: not installed: ${missing[*]}; without chromium the browser tests are skipped" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
    npm ci --prefix tests/browser --no-audit --no-fund --silent
  fi
else
  echo "note: npm is not installed; the accessibility tests will be skipped" >&2
fi
