"""Personal API tokens: hashed at rest, read or read-write, revocable, last use recorded."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from federation.models import ApiToken
from federation.services import api_token_create, api_token_revoke


def bearer(raw):
    # As a program calls: CSRF checked as for any other client, no cookie to pass it.
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_read_token_reads_what_its_user_may_see(zhuxi, units):
    token, raw = api_token_create(user=zhuxi, scope="read", name="县统计系统")
    response = bearer(raw).get("/api/v1/orgs/units")
    assert response.status_code == 200
    assert {u["code"] for u in response.json()["items"]} == {"demo-school", "demo-school-g1", "demo-school-g2"}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_token_cannot_write_and_a_write_token_can(zhuxi, units):
    _read, read_raw = api_token_create(user=zhuxi, scope="read", name="只读")
    _write, write_raw = api_token_create(user=zhuxi, scope="write", name="读写")
    url = "/api/v1/plans/items/999999/status"
    refused = bearer(read_raw).post(url, {"status": "done"}, content_type="application/json")
    assert refused.status_code == 403 and "只能读取" in refused.json()["detail"]
    # Past authentication (no CSRF needed with a token), the item simply does not exist.
    missing = bearer(write_raw).post(url, {"status": "done"}, content_type="application/json")
    assert missing.status_code == 404 and missing.json() == {"detail": "找不到这条记录，或您无权查看。"}


def test_a_signed_in_browser_writes_with_its_csrf_token_only(zhuxi, units):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(zhuxi)
    refused = browser.post("/api/v1/plans/items/999999/status", {"status": "done"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"] and "访问令牌" in refused.json()["detail"]


def test_a_token_speaks_the_language_its_user_chose(zhuxi, units):
    zhuxi.language = "en"
    zhuxi.save()
    _token, raw = api_token_create(user=zhuxi, scope="read", name="只读")
    refused = bearer(raw).post("/api/v1/plans/items/1/status", {"status": "done"}, content_type="application/json")
    assert refused.json() == {"detail": "This token may only read data."}
    assert bearer(raw).get("/api/v1/plans/plans?year=abc").json()["detail"][0]["msg"] == "Must be a whole number."


def test_only_the_hash_is_stored(zhuxi, units):
    token, raw = api_token_create(user=zhuxi, scope="read", name="a")
    assert raw.startswith("gh_") and len(raw) > 40
    assert raw not in {token.token_hash, token.hint} and token.hint == raw[-4:]
    assert not ApiToken.objects.filter(token_hash=raw).exists()


def test_a_revoked_or_unknown_token_is_refused(zhuxi, units):
    _token, raw = api_token_create(user=zhuxi, scope="read", name="旧系统")
    assert api_token_revoke(user=zhuxi, name="旧系统") == 1
    assert bearer(raw).get("/api/v1/orgs/units").status_code == 401
    assert bearer("gh_not-a-token").get("/api/v1/orgs/units").status_code == 401


def test_a_deactivated_users_tokens_stop_working(zhuxi, units):
    _token, raw = api_token_create(user=zhuxi, scope="read", name="a")
    zhuxi.is_active = False
    zhuxi.save()
    assert bearer(raw).get("/api/v1/orgs/units").status_code == 401


def test_the_commands_print_a_token_once_and_revoke_it(zhuxi, units):
    out = io.StringIO()
    call_command(
        "create_api_token", "zhuxi", "--scope", "read", "--name", "县统计系统", stdout=out, stderr=io.StringIO()
    )
    raw = out.getvalue().strip()
    assert bearer(raw).get("/api/v1/orgs/units").status_code == 200
    with pytest.raises(CommandError, match="同名"):
        call_command("create_api_token", "zhuxi", "--scope", "read", "--name", "县统计系统", stdout=io.StringIO())
    call_command("revoke_api_token", "zhuxi", "--name", "县统计系统", stdout=io.StringIO())
    assert bearer(raw).get("/api/v1/orgs/units").status_code == 401
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "zhuxi", "--name", "县统计系统", stdout=io.StringIO())


def test_the_openapi_schema_documents_the_session_and_bearer_tokens(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"SessionAuth", "TokenAuth"} <= set(schemes)
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert "Authorization: Bearer" in schema["info"]["description"]


def test_the_token_page_shows_a_new_token_once_and_revokes_after_confirmation(client_for, zhuxi):
    client = client_for(zhuxi)
    page = client.post("/federation/tokens/", {"name": "县统计系统", "scope": "read"}).content.decode()
    token = ApiToken.objects.get()
    assert 'data-testid="new-token"' in page
    assert 'data-testid="new-token"' not in client.get("/federation/tokens/").content.decode()
    assert "确定撤销吗" in client.get(f"/federation/tokens/{token.pk}/revoke/").content.decode()
    client.post(f"/federation/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_token_asked_for_twice_at_once_is_made_once_and_the_second_is_told_why(zhuxi):
    from core.testing import second_while_first_open
    from federation.services import FederationError

    def ask():
        return api_token_create(user=zhuxi, scope="read", name="县统计系统")

    with pytest.raises(FederationError, match="已有同名的有效令牌“县统计系统”"):
        second_while_first_open(ask, ask)
    assert ApiToken.objects.filter(user=zhuxi).count() == 1


def test_the_user_menu_offers_tokens_to_officers_not_to_members(client_for, zhuxi, huiyuan):
    link = 'href="/federation/tokens/"'
    assert link in client_for(zhuxi).get("/").content.decode()
    member_page = client_for(huiyuan).get("/me/").content.decode()
    assert "修改密码" in member_page and link not in member_page  # her user menu, without the tokens
