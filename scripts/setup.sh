#!/usr/bin/env bash
# Create .venv and install the project into it (idempotent, and quick when nothing changed).
# Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
# torch first: 2.13.0 is the CPU wheel on our dev/CI machines; users may keep any CUDA build they have
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install -q "torch==2.13.0"
fi
target="."
[ "${1:-}" = "--dev" ] && target=".[dev]"
# The install is editable, so code changes need no reinstall: only a changed pyproject.toml (dependencies, entry
# points) or another target does. The stamp remembers what was installed last.
stamp=.venv/.tts-installed
digest=$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
if [ -f "$stamp" ] && .venv/bin/python -c "import entrypoints.cli" 2>/dev/null; then
  read -r had_target had_digest < "$stamp" || true
  # an install with the dev extras also serves a plain start
  if [ "${had_digest:-}" = "$digest" ] && { [ "$had_target" = "$target" ] || [ "$had_target" = ".[dev]" ]; }; then
    exit 0
  fi
fi
.venv/bin/python -m pip install -q -e "$target"
echo "$target $digest" > "$stamp"
