"""A phone number waiting for its code (SMS sign-in, a member's new number) is kept in the session only
encrypted, as the roster keeps it: sessions live in the database or Redis, neither encrypted at rest.
A session from before (the number in clear) reads as expired: the number is asked again."""

import json
import re
from importlib import import_module

import pytest
from django.conf import settings

from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db
NEW_NUMBER = "13655556666"
SIGNIN_NUMBER = "13831500101"
# An 11-digit number standing alone (not a run of digits within a token, a hash or a timestamp).
CLEAR_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{11}(?![0-9A-Za-z])")


def stored_session(client):
    """The session's data as the session store has saved it (read back from the store, not the client)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return json.dumps(store.load(), ensure_ascii=False)


def sent_code(outbox):
    return re.search(r"\d{6}", outbox[-1][1]).group()


def put_in_session(client, key, value):
    session = client.session
    session[key] = value
    session.save()


def test_asking_to_change_the_number_keeps_it_only_encrypted_and_the_code_still_confirms(
    client_for, huiyuan, huiyuan_member, sms_outbox, django_capture_on_commit_callbacks
):
    client = client_for(huiyuan)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/me/phone/", {"phone": NEW_NUMBER})["Location"] == "/me/phone/confirm/"
    data = stored_session(client)
    assert "portal_phone_change" in data
    assert NEW_NUMBER not in data and CLEAR_NUMBER.findall(data) == []
    assert "136****6666" in client.get("/me/phone/confirm/").text
    assert client.post("/me/phone/confirm/", {"code": sent_code(sms_outbox)})["Location"] == "/me/"
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.phone == NEW_NUMBER


def test_the_sms_sign_in_keeps_the_number_only_encrypted_and_the_code_still_signs_in(
    client, units, sms_outbox, django_capture_on_commit_callbacks
):
    member = make_member(units["g1"], "马春燕", phone=SIGNIN_NUMBER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signin/", {"phone": SIGNIN_NUMBER, "id_number": member.id_number})
    assert response["Location"] == "/signin/code/"
    data = stored_session(client)
    assert "portal_signin_phone" in data
    assert SIGNIN_NUMBER not in data and CLEAR_NUMBER.findall(data) == []
    assert "138****0101" in client.get("/signin/code/").text
    assert client.post("/signin/code/", {"code": sent_code(sms_outbox)})["Location"] == "/me/"
    member.refresh_from_db()
    assert member.user is not None


def test_a_sign_in_session_from_before_with_the_number_in_clear_asks_for_it_again(client):
    put_in_session(client, "portal_signin_phone", SIGNIN_NUMBER)
    assert client.get("/signin/code/")["Location"] == "/signin/"
    assert SIGNIN_NUMBER not in stored_session(client)  # dropped, not kept until the session ends


def test_a_phone_change_from_before_with_the_number_in_clear_is_asked_again(client_for, huiyuan, huiyuan_member):
    client = client_for(huiyuan)
    old = {"phone": NEW_NUMBER, "code_index": "x", "sent_at": 0.0, "expires_at": 4e9, "attempts": 0}
    put_in_session(client, "portal_phone_change", old)
    response = client.get("/me/phone/confirm/", follow=True)
    assert response.redirect_chain == [("/me/phone/", 302)] and "验证码已过期，请重新获取" in response.text
    assert NEW_NUMBER not in stored_session(client)
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.phone == "13911112222"
