#!/usr/bin/env bash
# Static checks: ruff (lint + format), mypy --strict, and the import-linter contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy
.venv/bin/lint-imports
