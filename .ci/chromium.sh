# Sourced by .ci/run: Debian's Chromium for the viewer's end-to-end tests (tests/viewer.test.ts
# drives /usr/bin/chromium with playwright-core; no browser is ever downloaded).
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
