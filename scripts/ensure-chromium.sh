#!/usr/bin/env bash
# Makes sure a system Chromium is there for the browser tests. Never downloads a browser build:
# it uses Debian's package. As root it installs it; otherwise it says exactly what to run.
set -euo pipefail
find_chromium() {
  for c in "${CHROME_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}
if find_chromium >/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Chromium is missing: installing Debian's chromium package (apt-get install -y chromium)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  find_chromium >/dev/null && exit 0
fi
cat >&2 <<'MSG'
ua-kit's tests run in the system Chromium, and none was found.
Install it, then run npm test again:
    sudo apt-get update && sudo apt-get install -y chromium
(or set CHROME_PATH to a Chromium/Chrome binary).
MSG
exit 1
