#!/usr/bin/env bash
# The admin's browser tests drive Debian's Chromium (playwright-core cannot
# download a browser here). Installs it when missing; a no-op when present.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: run 'sudo apt-get install -y chromium' once." >&2
  exit 1
fi
echo "Installing Chromium for the admin's browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
