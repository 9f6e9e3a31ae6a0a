#!/usr/bin/env bash
# Quick start 1: set up .venv and parse samples/ into out/samples (one JSON per letter).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/vn-officialdoc parse samples --out out/samples
echo "records written to out/samples/"
