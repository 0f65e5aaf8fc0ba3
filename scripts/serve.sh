#!/usr/bin/env bash
# Set up (first run) and start the server: migrations, HTTP API, worker. Settings: TTS_* variables or .env.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/tts-server serve "$@"
