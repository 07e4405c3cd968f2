"""The mask hides: every role opens every members page, export and history view it can reach, and
outside a logged read there is no full ID number, nor a birth date beyond its year that beside the mask
would give the number back. The roles that may reveal the number are no exception: their reveal is
logged, and a page that rebuilt the number without it would make the log say nothing."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import idnumber
from core.encryption import mask_id_number
from core.models import AccessLog
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
    pages += [(f"list, ages {band}", reverse("members:list") + f"?age={band}") for band in ("u35", "36_45", "46_55")]
    found = []
    for label, url in pages:
        response = _unlogged(client.get, url)
        if response is not None and response.status_code == 200:
            found.append((label, response.content.decode()))
    htmx = client.get(reverse("members:list"), HTTP_HX_REQUEST="true")
    found.append(("list rows (htmx)", htmx.content.decode()))
    # The masked sheet: those who may have the full one are asked first, and its download is logged.
    xlsx = _unlogged(client.get, reverse("members:export"), {"masked": "1"})
    if xlsx is not None and xlsx.status_code == 200:
        found.append(("export .xlsx", _sheet_text(xlsx.content)))
        csv = _unlogged(client.get, reverse("members:export"), {"format": "csv", "masked": "1"})
        found.append(("export .csv", csv.content.decode("utf-8-sig")))
    return found


def _unlogged(get, *args):
    """The response, unless it was a logged read (the edit form of one who may see the number)."""
    before = AccessLog.objects.count()
    response = get(*args)
    return response if AccessLog.objects.count() == before else None


def _candidates(masked, region, days):
    """The ID numbers that fit the mask, the region the unit tells and the birth dates the page allows."""
    first17s = (f"{region}{day:%Y%m%d}{masked[14:17]}" for day in days)
    return [n + masked[17] for n in first17s if n[:4] == masked[:4] and idnumber.check_char(n) == masked[17]]


def _days_of(year):
    return [datetime.date(year, 1, 1) + datetime.timedelta(days=n) for n in range(366 if year % 4 == 0 else 365)]


@pytest.mark.parametrize(
    ("persona", "reachable"),
    [
        ("xiaozu", {"detail and history", "edit", "export .xlsx", "export .csv"}),
        ("weiyuan", {"detail and history", "edit", "export .xlsx", "export .csv"}),
        # Those who may reveal the number: the chair (whose edit form is a logged read) and the care officer.
        ("zhuxi", {"detail and history", "export .xlsx", "export .csv"}),
        ("bangfu", {"detail and history"}),
    ],
)
def test_no_full_id_number_can_be_rebuilt_from_what_a_role_sees_without_a_logged_read(
    persona, reachable, request, client_for, group
):
    client = client_for(request.getfixturevalue(persona))
    seen = _everything_reachable(client, group)
    labels = {label for label, _text in seen}
    assert reachable | {"search by last four", "list rows (htmx)"} <= labels
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


@pytest.mark.parametrize("persona", ["zhuxi", "bangfu", "xiaozu"])
def test_the_detail_page_leaves_dozens_of_candidates_even_knowing_the_district(persona, request, client_for, group):
    """Before the fix, the chair's page gave 1101**********1234 beside 1985-03-12: with the unit's
    district, one number. Now the birth year alone: a year's dates, filtered by the check digit."""
    member = group[1]
    html = (
        client_for(request.getfixturevalue(persona)).get(reverse("members:detail", args=[member.pk])).content.decode()
    )
    masked = mask_id_number(member.id_number)
    assert masked in html and "1991年" in html
    day_shown = any(form in html for form in _birth_forms(member.birth_date))
    days = [member.birth_date] if day_shown else _days_of(member.birth_date.year)
    assert len(_candidates(masked, member.id_number[:6], days)) >= 20


def test_the_reveal_gives_the_full_number_and_birth_date_and_is_logged(client_for, zhuxi, group):
    member = group[1]
    client = client_for(zhuxi)
    assert not AccessLog.objects.exists()
    html = client.post(reverse("members:reveal", args=[member.pk])).content.decode()
    assert member.id_number in html and "1991-11-23" in html and "出生日期" in html
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.unit) == (zhuxi, str(member.pk), member.unit)
