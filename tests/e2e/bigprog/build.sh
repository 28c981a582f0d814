#!/usr/bin/env bash
# Generates the sources (120 files + main.c) into $GEN_DIR; run.sh compiles them.
set -e
if ! command -v python3 >/dev/null; then
  echo "python3 is not installed (needed by gen.py)"
  exit 77
fi
python3 "$SRC_DIR/gen.py" "$GEN_DIR"
