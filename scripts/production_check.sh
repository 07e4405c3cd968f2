#!/usr/bin/env bash
# README's production path, run the way production runs it: DEBUG off with the required settings behind
# the documented HTTPS proxy, `check --deploy`, migrate, collectstatic, gunicorn; then a login page, a
# missing page (the Chinese 404), an officer's home page after logging in, and private files that must
# not be served. SQLite in a throw-away VAR_DIR, so it runs anywhere `make test` does, in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$PWD/.venv/bin/python"

# In memory where the machine offers it: migrations on SQLite spend most of their time in fsync.
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
server=""
cleanup() {
  if [ -f "$work/gunicorn.pid" ]; then kill "$(cat "$work/gunicorn.pid")" 2>/dev/null || true; fi
  if [ -n "$server" ]; then wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Exactly what .env.example asks of production, and nothing from the test run around us.
run() {
  env -u GONGHUI_TESTING -u DATABASE_URL -u DATABASE_REPLICA_URL -u REDIS_URL -u TASKS_BACKEND -u TASKS_QUEUE \
    DEBUG=false \
    SECRET_KEY="$secret" \
    FIELD_ENCRYPTION_KEYS="$fernet" \
    ALLOWED_HOSTS="127.0.0.1,localhost" \
    BEHIND_HTTPS_PROXY=true \
    CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$port" \
    VAR_DIR="$work/var" \
    MEDIA_ROOT="$work/var/media" \
    PRIVATE_MEDIA_ROOT="$work/var/private" \
    "$@"
}
secret=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
fernet=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')

echo "== production: a start without the required settings stops with a message"
if out=$(env -u GONGHUI_TESTING -u SECRET_KEY -u FIELD_ENCRYPTION_KEYS -u ALLOWED_HOSTS DEBUG=false \
  VAR_DIR="$work/bare" $PY manage.py check 2>&1); then
  echo "a production start without SECRET_KEY was not refused" >&2; exit 1
fi
grep -q "SECRET_KEY, FIELD_ENCRYPTION_KEYS is not set" <<<"$out" || { echo "$out" >&2; exit 1; }
if [ -n "$(ls -A "$work/bare" 2>/dev/null)" ]; then
  echo "keys were written into VAR_DIR with DEBUG off: $(ls "$work/bare")" >&2; exit 1
fi

echo "== production: check --deploy, migrate, collectstatic"; SECONDS=0
# One Django process for the set-up steps (each start costs seconds on a busy machine); the same commands
# README lists, then an officer to log in as.
run $PY manage.py shell -v0 -c '
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from accounts.models import User
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role
unit = OrgUnit.objects.add_root({"code": "check-union", "name": "部署检查工会", "kind": UnitKind.UNION})
user = User.objects.create_user(username="chair", password="check-Password-2027", full_name="部署检查")
RoleAssignment.objects.create(user=user, unit=unit, role=Role.CHAIR)
'
test -z "$(ls -A "$work/var" | grep -E 'secret_key|field_encryption_key' || true)" || { echo "keys written into var/" >&2; exit 1; }
mkdir -p "$work/var/media/imports" "$work/var/private/imports"
echo "110105199003071234" > "$work/var/media/imports/roster.csv"
echo "110105199003071234" > "$work/var/private/imports/roster.csv"

echo "== production: gunicorn on 127.0.0.1:$port (set-up took ${SECONDS}s)"
run "$PWD/.venv/bin/gunicorn" gonghui.wsgi --bind "127.0.0.1:$port" --workers 1 --log-level warning \
  --pid "$work/gunicorn.pid" &
server=$!

PORT="$port" $PY - <<'PYTHON'
import os
import re
import sys
import time

import requests

base = f"http://127.0.0.1:{os.environ['PORT']}"
# What the documented Nginx sends: the scheme, and the client's address appended to X-Forwarded-For.
proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
origin = f"https://127.0.0.1:{os.environ['PORT']}"


def expect(response, status, text=None):
    label = f"{response.request.method} {response.request.path_url}"
    if response.status_code != status or (text and text not in response.text):
        sys.exit(f"{label}: expected {status}{' with ' + text if text else ''}, got {response.status_code}\n"
                 f"{response.text[:600]}")
    print(f"   {label}: {status}")


class Browser:
    """Behind the proxy the app sets Secure cookies, which requests keeps off plain http: carry them by hand."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, path, **kwargs):
        headers = {**proxy, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(method, base + path, headers=headers, timeout=10, **kwargs)
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


browser = Browser()
for _ in range(100):  # gunicorn takes a moment to boot
    try:
        login = browser.get("/accounts/login/")
        break
    except requests.ConnectionError:
        time.sleep(0.1)
else:
    sys.exit("gunicorn did not answer")
expect(login, 200, "登录")
for header in ("Strict-Transport-Security", "Content-Security-Policy"):
    if header not in login.headers:
        sys.exit(f"the login page has no {header}")
if "base-uri 'self'" not in login.headers["Content-Security-Policy"]:
    sys.exit("the CSP has no base-uri")
if "gonghui-demo" in login.text:
    sys.exit("the login page shows the demo logins with DEBUG off")
# Every stylesheet and script the page names is served from the collected, hashed files.
for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', login.text):
    expect(browser.get(asset), 200)

plain = requests.get(f"{base}/accounts/login/", allow_redirects=False, timeout=5)
if plain.status_code != 301 or not plain.headers["Location"].startswith("https://"):
    sys.exit(f"plain HTTP was not redirected to HTTPS: {plain.status_code}")
print("   plain HTTP: 301 to https")
# The load balancer's health probe speaks plain HTTP to the app server and must not be redirected.
probe = requests.get(f"{base}/healthz", allow_redirects=False, timeout=10)
if probe.status_code != 200:
    sys.exit(f"/healthz over plain HTTP answered {probe.status_code}")
print("   plain HTTP /healthz: 200")

expect(browser.get("/no-such-page/"), 404, "页面不存在")
expect(browser.get("/media/imports/roster.csv"), 404)
expect(browser.get("/private/imports/roster.csv"), 404)

done = browser.request(
    "POST",
    "/accounts/login/",
    data={"username": "chair", "password": "check-Password-2027", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    headers={"Referer": f"{origin}/accounts/login/", "Origin": origin},
    allow_redirects=False,
)
if done.status_code != 302:
    sys.exit(f"logging in failed: {done.status_code}\n{done.text[:600]}")
print("   POST /accounts/login/: 302")
expect(browser.get("/"), 200, "部署检查工会")
expect(browser.get("/media/imports/roster.csv"), 404)
expect(browser.get("/no-such-page/"), 404, "页面不存在")
PYTHON
echo "== production path works"
