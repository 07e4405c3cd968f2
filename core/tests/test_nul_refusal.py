"""A NUL character in an address is refused with a 400 that says so (a 422 in the JSON API, as its
other input errors), before any view reads it: no page links to one, and PostgreSQL refuses it in any
text (the units page's ?q= answered 500)."""

import pytest
from django.urls import reverse

from core.testing import in_english

SEARCHED = ["/orgs/", "/members/", "/activities/", "/plans/", "/api/v1/orgs/units"]


@pytest.mark.parametrize("path", SEARCHED)
def test_a_nul_in_the_query_is_a_400_saying_what_is_wrong(client_for, zhuxi, units, path):
    response = client_for(zhuxi).get(path, {"q": "城关\x00镇"})
    assert response.status_code == (422 if path.startswith("/api/") else 400)
    if not path.startswith("/api/"):
        assert "链接中含有无法识别的字符（空字符）" in response.text
    assert client_for(zhuxi).get(path, {"q": "城关镇"}).status_code == 200


def test_a_nul_in_a_parameters_name_or_the_path_is_refused_too(client_for, zhuxi, units, client):
    assert client_for(zhuxi).get("/orgs/", {"q\x00": "x"}).status_code == 400
    assert client.get("/join/demo-school%00/").status_code == 400  # before the code is looked up


def test_the_message_is_in_english_when_the_page_is(client_for, zhuxi, units):
    response = in_english(client_for(zhuxi)).get("/orgs/", {"q": "a\x00"})
    assert "The address holds a character that cannot be read (a null character)" in response.text


def test_a_malformed_record_number_says_which_parameter(client_for, zhuxi, units):
    response = client_for(zhuxi).get(reverse("orgs:tree"), {"root": "12abc"})
    assert response.status_code == 400
    assert "参数“root”应为记录编号，收到的是“12abc”" in response.text


@pytest.mark.parametrize("text", ["a\x00b", "x" * 11])
def test_api_text_refuses_a_nul_and_more_than_its_column_holds(text):
    from pydantic import TypeAdapter, ValidationError

    from core.params import Text

    with pytest.raises(ValidationError):
        TypeAdapter(Text(10)).validate_python(text)
    assert TypeAdapter(Text(10)).validate_python("城关镇中心学校工会") == "城关镇中心学校工会"


def test_a_nul_in_a_submitted_field_is_refused_before_the_view_writes_it(client_for, zhuxi, units):
    # The large-text switch's view reads its field without a form, as a few others do.
    client = client_for(zhuxi)
    response = client.post(reverse("accounts:large_text"), {"large_text": "1\x00"})
    assert response.status_code == 400
    assert "提交的内容中含有无法识别的字符（空字符）" in response.text
    assert client.post(reverse("accounts:large_text"), {"large_text": "1"}).status_code in (200, 204, 302)
