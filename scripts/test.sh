#!/usr/bin/env bash
# Set up (first run), build the offline Kokoro model kit, and run the whole test suite. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
# the browser tests drive Debian's Chromium (a test tool's own browser download is not used)
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver; } >/dev/null \
    || echo "test.sh: could not install chromium; browser tests will be skipped" >&2
fi
# the PostgreSQL tests start their own throwaway server from Debian's binaries (tests/support/pg_server.py);
# the package's default cluster is switched off before the server package comes, so nothing listens on 5432
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-common \
    && $sudo pg_conftool /etc/postgresql-common/createcluster.conf set create_main_cluster false \
    && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } >/dev/null \
    || echo "test.sh: could not install postgresql; PostgreSQL tests will be skipped" >&2
fi
kit_builder=../shared/kokoro_offline/build.sh
if [ -z "${TTS_TEST_KOKORO_MODEL_DIR:-}" ] && [ -x "$kit_builder" ]; then
  TTS_TEST_KOKORO_MODEL_DIR=$(PYTHON=.venv/bin/python "$kit_builder" "${XDG_CACHE_HOME:-$HOME/.cache}/tts-kokoro-offline" | tail -n 1)
  export TTS_TEST_KOKORO_MODEL_DIR
fi
exec .venv/bin/python -m pytest "$@"
