#!/usr/bin/env bash
# The whole suite: checks first, then pytest on SQLite, then again on PostgreSQL when one is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
APPS=$(ls -d */locale 2>/dev/null | cut -d/ -f1)
export GONGHUI_TESTING=1

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== migrations are complete"
$PY manage.py makemigrations --check --dry-run

echo "== translations compile"
if command -v msgfmt >/dev/null; then
  for app in $APPS; do
    if [ -d "$app/locale" ]; then (cd "$app" && ../$PY ../manage.py compilemessages -v0); fi
  done
  if [ -n "$(git status --porcelain -- '*.mo' 2>/dev/null)" ] && [ -z "${CI:-}" ]; then
    echo "note: compiled .mo files changed; commit them"
  fi
  echo "== every string marked for translation is in its catalogue, translated"
  $PY scripts/catalogues_extracted.py
else
  echo "msgfmt not found (apt-get install gettext): skipping compilation, the committed .mo files are used"
fi

echo "== production path (DEBUG off, collectstatic, gunicorn)"
bash scripts/production_check.sh

ran=()
echo "== pytest on SQLite"
env -u DATABASE_URL $PY -m pytest "$@"
ran+=("SQLite")

pg_url="${DATABASE_URL:-}"
if [ -z "$pg_url" ] && $PY -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then
  pg_url="postgres://postgres@127.0.0.1:5432/test"
fi
if [ -n "$pg_url" ] && [[ "$pg_url" == postgres* ]]; then
  echo "== pytest on PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" $PY -m pytest "$@"
  ran+=("PostgreSQL")
else
  echo "== PostgreSQL not reachable: set DATABASE_URL to run the suite on it too"
fi
# Once more on RQ: every test file that runs background tasks, enqueued through Redis (run in-process).
if $PY -c "import socket; socket.create_connection(('127.0.0.1', 6379), 1)" 2>/dev/null; then
  task_tests=$(grep -rlE "enqueue|ImportJob|mail\.outbox|django_tasks" --include='test_*.py' */tests | sort)
  echo "== task tests on RQ (Redis 127.0.0.1:6379): $(echo $task_tests | wc -w) files"
  env -u DATABASE_URL TASKS_QUEUE=redis REDIS_URL=redis://127.0.0.1:6379/15 $PY -m pytest -m "not browser" $task_tests
  ran+=("RQ (task tests)")
else
  echo "== Redis not reachable on 127.0.0.1:6379: task tests not run on RQ"
fi
echo "== the suite ran on: ${ran[*]}"
