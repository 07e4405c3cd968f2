"""The mask hides: a group leader and a committee member (no members.view_sensitive) open every members
page, export and history view they can reach, and nowhere is there a full ID number, or a full birth
date that beside the mask would give most of it back."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.encryption import mask_id_number
from members.models import Member


def _birth_forms(day):
    """Every way a page or sheet could write the date."""
    return {
        day.strftime("%Y%m%d"),
        day.isoformat(),
        day.strftime("%Y/%m/%d"),
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day:%Y.%m.%d}",
    }


def _sheet_text(content):
    rows = load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    return "\n".join(" ".join("" if v is None else str(v) for v in row) for row in rows)


@pytest.fixture
def group(make_member):
    members = [
        make_member("张伟", "g1", birth_date=datetime.date(1985, 3, 12)),
        make_member("李娜", "g1", gender="F", birth_date=datetime.date(1991, 11, 23)),
        make_member("王芳", "g1", gender="F", birth_date=datetime.date(1978, 7, 9), note="生日 7 月"),
    ]
    # A history row in which the birth date changed (12 to 2 March): the history must show neither.
    corrected = Member.objects.get(pk=members[0].pk)
    corrected.birth_date = datetime.date(1985, 3, 2)
    corrected.note = "核对出生日期"
    corrected.save()
    return members


def _everything_reachable(client, members):
    """(label, text) of every members page, partial, export and history the persona can open."""
    pages = [
        ("list", reverse("members:list")),
        ("statistics", reverse("members:statistics")),
        ("transfers", reverse("members:transfers")),
    ]
    for m in members:
        pages += [
            ("search by last four", reverse("members:list") + f"?q={m.id_number[-4:]}"),
            ("detail and history", reverse("members:detail", args=[m.pk])),
            ("edit", reverse("members:edit", args=[m.pk])),
            ("status", reverse("members:status", args=[m.pk])),
            ("transfer", reverse("members:transfer_start", args=[m.pk])),
        ]
    found = []
    for label, url in pages:
        response = client.get(url)
        if response.status_code == 200:
            found.append((label, response.content.decode()))
    htmx = client.get(reverse("members:list"), HTTP_HX_REQUEST="true")
    found.append(("list rows (htmx)", htmx.content.decode()))
    xlsx = client.get(reverse("members:export"))
    if xlsx.status_code == 200:
        found.append(("export .xlsx", _sheet_text(xlsx.content)))
        found.append(
            ("export .csv", client.get(reverse("members:export"), {"format": "csv"}).content.decode("utf-8-sig"))
        )
    return found


@pytest.mark.parametrize("persona", ["xiaozu", "weiyuan"])
def test_no_full_id_number_can_be_rebuilt_from_what_a_role_without_sensitive_access_sees(
    persona, request, client_for, group
):
    client = client_for(request.getfixturevalue(persona))
    seen = _everything_reachable(client, group)
    labels = {label for label, _text in seen}
    assert {"detail and history", "edit", "export .xlsx", "export .csv", "search by last four"} <= labels
    for member in group:
        masked = mask_id_number(member.id_number)
        assert any(masked in text for _label, text in seen)  # the mask is shown ...
        for label, text in seen:
            assert member.id_number not in text, f"{label} shows {member.name}'s ID number"
            for written in _birth_forms(member.birth_date) | _birth_forms(datetime.date(1985, 3, 12)):
                assert written not in text, f"{label} shows {member.name}'s birth date as {written}"
            # ... and with it at most the birth year, which leaves the month, day and district unknown.
            for digits in re.findall(r"\d{14,}", text.replace("*", "")):
                assert digits not in member.id_number


def test_the_mask_keeps_neither_the_district_nor_any_birth_digit(group):
    for member in group:
        masked = mask_id_number(member.id_number)
        assert masked[:4] == member.id_number[:4] and masked[-4:] == member.id_number[-4:]
        assert set(masked[4:14]) == {"*"}


def test_a_role_with_sensitive_access_still_sees_the_full_birth_date(client_for, zhuxi, group):
    html = client_for(zhuxi).get(reverse("members:detail", args=[group[1].pk])).content.decode()
    assert "1991-11-23" in html
