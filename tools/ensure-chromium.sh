#!/usr/bin/env bash
# The Swagger UI e2e test drives Debian's chromium (playwright-core cannot download a browser
# here). Installs the package when it is missing; run by `npm run test:e2e` and `.ci/run`.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
  exit 0
fi
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "[ensure-chromium] installing Debian's chromium package (for the Swagger UI test)" >&2
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq >/dev/null
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "[ensure-chromium] cannot install chromium: not root and no sudo; install it or set CHROMIUM_PATH" >&2
  exit 1
fi
command -v chromium >/dev/null 2>&1
