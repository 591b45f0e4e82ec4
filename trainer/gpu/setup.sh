#!/usr/bin/env bash
# Creates trainer/gpu/.venv from the pinned requirements. Idempotent: it does nothing when the
# environment was already built from the same requirement files, and an install cut short is
# redone (the stamp is written last), so .ci/run and npm test can call it every time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
stamp="$venv/.requirements.sha256"
python="${HEXS_PYTHON:-python3}"
want="$(cat "$here/requirements.txt" "$here/requirements-test.txt" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "trainer/gpu: $("$python" --version 2>&1) is too old; Python 3.10 or newer is needed (set HEXS_PYTHON)" >&2
  exit 1
fi
echo "trainer/gpu: installing the pinned environment into $venv (torch brings ~3 GB of CUDA libraries; once per machine)"
rm -f "$stamp"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-test.txt"
echo "$want" > "$stamp"
