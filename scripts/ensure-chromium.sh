#!/usr/bin/env bash
# Runs before `npm test` (and in .ci/run): the browser tests drive Debian's Chromium at
# /usr/bin/chromium. On a fresh Debian machine where we are root it is installed here, so
# `npm ci && npm test` needs nothing else; elsewhere this says what to install and the
# browser tests fail with the same message. TOLLGATE_NO_BROWSER_INSTALL=1 skips the install.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ -n "${TOLLGATE_NO_BROWSER_INSTALL:-}" ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (apt-get)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "the browser tests need Debian's Chromium at /usr/bin/chromium: sudo apt-get install chromium" >&2
