"""The mask hides: every role opens every page, export, history and search it can reach that shows a
member, and outside a logged read there is no full ID number, and what is there (the mask, the full
birth date, the gender, the unit and with it the district, a coming birthday) leaves at least 20
candidates for the number. The roles that may reveal the number are no exception: their reveal is
logged, and a page that rebuilt the number without it would make the log say nothing."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import idnumber
from core.encryption import mask_id_number
from core.models import AccessLog
from members.models import Member

ID_SEARCH = "身份证号（按完整号码查找）"


def _sheet_text(content):
    rows = load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    return "\n".join(" ".join("" if v is None else str(v) for v in row) for row in rows)


@pytest.fixture
def group(make_member):
    # One whose birthday comes in three days, for the care officer's and the chair's birthday reminders.
    soon = timezone.localdate() + datetime.timedelta(days=3)
    members = [
        make_member("张伟", "g1", birth_date=datetime.date(1985, 3, 12)),
        make_member("李娜", "g1", gender="F", birth_date=datetime.date(1991, 11, 23)),
        make_member(
            "王芳", "g1", gender="F", birth_date=datetime.date(1988, soon.month, soon.day)
        ),  # 1988: a leap year
    ]
    # A history row in which the birth date changed (12 to 2 March).
    corrected = Member.objects.get(pk=members[0].pk)
    corrected.birth_date = datetime.date(1985, 3, 2)
    corrected.note = "核对出生日期"
    corrected.save()
    return [Member.objects.get(pk=m.pk) for m in members]


def _everything_reachable(client, members):
    """(label, text) of every page, partial, export and history showing these members that the persona
    can open without a logged read: the members pages, the care officer's visit, birthday and mark
    pages, the home page's reminders, and the roster searched by each member's ID and phone last four."""
    pages = [
        ("home", "/"),
        ("list", reverse("members:list")),
        ("statistics", reverse("members:statistics")),
        ("transfers", reverse("members:transfers")),
        ("care overview", reverse("care:index")),
        ("care visits and birthdays", reverse("care:visits")),
    ]
    for m in members:
        pages += [
            ("search by ID last four", reverse("members:list") + f"?q={m.id_number[-4:]}"),
            ("search by phone last four", reverse("members:list") + f"?q={m.phone[-4:]}"),
            ("care member search", reverse("care:tags") + f"?q={m.name}"),
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


def _candidates(member, masked):
    """The ID numbers that fit ``masked`` for one who knows the member's region (the unit tells the
    district), full birth date and gender: the sequence's last digit goes with the gender, the check
    digit follows from the rest, and every digit the mask shows must match."""
    first14 = member.id_number[:6] + member.birth_date.strftime("%Y%m%d")
    odd = member.gender == "M"
    numbers = []
    for sequence in range(1000):
        if (sequence % 2 == 1) != odd:
            continue
        first17 = f"{first14}{sequence:03d}"
        number = first17 + idnumber.check_char(first17)
        if all(shown in ("*", digit) for shown, digit in zip(masked, number, strict=True)):
            numbers.append(number)
    return numbers


def _masks_in(text):
    """Every ID-number-length run of digits and stars with a star in it: a mask, whatever wrote it."""
    return {run for run in re.findall(r"(?<![0-9X*])[0-9X*]{18}(?![0-9X*])", text) if "*" in run}


@pytest.mark.parametrize(
    ("persona", "reachable"),
    [
        ("xiaozu", {"detail and history", "edit", "export .xlsx", "export .csv"}),
        ("weiyuan", {"detail and history", "edit", "export .xlsx", "export .csv"}),
        # Those who may reveal the number: the chair (whose edit form is a logged read) and the care
        # officer, who both see coming birthdays and the care pages.
        ("zhuxi", {"detail and history", "export .xlsx", "export .csv", "care visits and birthdays"}),
        ("bangfu", {"detail and history", "care visits and birthdays", "care member search"}),
    ],
)
def test_what_a_role_sees_of_a_member_without_a_logged_read_leaves_at_least_20_id_numbers(
    persona, reachable, request, client_for, group
):
    client = client_for(request.getfixturevalue(persona))
    seen = _everything_reachable(client, group)
    labels = {label for label, _text in seen}
    assert reachable | {"search by ID last four", "search by phone last four", "list rows (htmx)"} <= labels
    texts = [text for _label, text in seen]
    masks = set().union(*(_masks_in(text) for text in texts))
    assert masks == {mask_id_number(m.id_number) for m in group}  # one mask, wherever a number shows
    for member in group:
        assert not any(member.id_number in text for text in texts)
        masked = mask_id_number(member.id_number)
        # Assume the reader knows the full birth date: the member's page shows it.
        assert len(_candidates(member, masked)) >= 20, persona


@pytest.mark.parametrize("persona", ["zhuxi", "bangfu"])
def test_the_chair_and_the_care_officer_see_full_birth_dates_and_coming_birthdays(persona, request, client_for, group):
    """What 4a19a12 took down to the year: with the sequence and check digit hidden, the birth date no
    longer opens the number, so the page shows it in full again, exact age included."""
    client = client_for(request.getfixturevalue(persona))
    member = group[1]
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "1991年11月23日（" in html and mask_id_number(member.id_number) in html
    history = client.get(reverse("members:detail", args=[group[0].pk])).content.decode()
    assert "1985-03-12" in history and "1985-03-02" in history
    birthday = group[2].birth_date
    visits = client.get(reverse("care:visits")).content.decode()
    assert group[2].name in visits and f"{birthday.month}月{birthday.day}日生日" in visits


def test_the_mask_keeps_the_first_four_digits_alone(group):
    for member in group:
        masked = mask_id_number(member.id_number)
        assert masked == member.id_number[:4] + "*" * 14


def test_a_search_by_the_id_numbers_last_four_finds_nobody_by_them_the_phones_still_do(
    client_for, xiaozu, zhuxi, make_member
):
    """The last four are hidden now: a search that matched them would give them back, 0000 to 9999."""
    member = make_member("李娜", "g1", gender="F", birth_date=datetime.date(1991, 11, 23), phone="13812340000")
    assert member.id_number[-4:] != "0000"
    for persona in (xiaozu, zhuxi):
        client = client_for(persona)
        by_id = client.get(reverse("members:list"), {"q": member.id_number[-4:]}).context["page"]
        by_phone = client.get(reverse("members:list"), {"q": "0000"}).context["page"]
        assert (list(by_id), [m.name for m in by_phone]) == ([], ["李娜"])
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["xiaozu", "zhuxi", "bangfu"])
def test_a_full_id_number_searched_finds_its_member_and_is_logged(persona, request, client_for, group, units):
    """Beside the birth date, the gender and the unit, a few hundred candidates remain; each search by a
    full number answers whether one is right, so every member it finds is an ID check in the log."""
    reader = request.getfixturevalue(persona)
    client = client_for(reader)
    member = group[1]
    page = client.get(reverse("members:list"), {"q": member.id_number.lower()}).context["page"]
    assert [m.name for m in page] == ["李娜"]
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.unit, log.fields) == (reader, str(member.pk), units["g1"], ID_SEARCH)
    wrong = member.id_number[:14] + ("0000" if member.id_number[14:] != "0000" else "0010")
    assert list(client.get(reverse("members:list"), {"q": wrong}).context["page"]) == []
    assert AccessLog.objects.count() == 1


def test_the_care_officers_member_search_finds_a_full_number_and_logs_it(client_for, bangfu, group):
    client = client_for(bangfu)
    member = group[1]
    assert member.name not in client.get(reverse("care:tags"), {"q": member.id_number[-4:]}).content.decode()
    assert member.name in client.get(reverse("care:tags"), {"q": member.id_number}).content.decode()
    log = AccessLog.objects.get(fields=ID_SEARCH)
    assert (log.user, log.object_id) == (bangfu, str(member.pk))


def test_the_reveal_gives_the_full_number_and_is_logged(client_for, zhuxi, group):
    member = group[1]
    client = client_for(zhuxi)
    assert not AccessLog.objects.exists()
    html = client.post(reverse("members:reveal", args=[member.pk])).content.decode()
    assert member.id_number in html and member.phone in html
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.unit) == (zhuxi, str(member.pk), member.unit)


def test_full_id_number_searches_share_the_member_forms_hourly_budget(client_for, xiaozu, group):
    """A few hundred candidates, each search answering for one: past the hour's budget of ID checks (the
    same the member form's duplicate check spends) the search says so beside the roster and finds nobody,
    on the roster and on the care officer's member search alike."""
    from members import privacy

    member = group[1]
    client = client_for(xiaozu)
    wrong = member.id_number[:14] + ("0000" if member.id_number[14:] != "0000" else "0010")
    for _ in range(privacy.ID_CHECKS_PER_HOUR):
        assert list(client.get(reverse("members:list"), {"q": wrong}).context["page"]) == []
    answer = client.get(reverse("members:list"), {"q": member.id_number}, headers={"HX-Request": "true"})
    assert list(answer.context["page"]) == []
    assert "按身份证号查找过于频繁" in answer.content.decode()
    assert not AccessLog.objects.filter(fields=ID_SEARCH).exists()  # not looked up, so nothing read
    # A name search still works within the hour.
    assert [m.name for m in client.get(reverse("members:list"), {"q": "李娜"}).context["page"]] == ["李娜"]


def test_the_care_officers_search_past_the_budget_is_refused_with_a_message(client_for, bangfu, group):
    from members import privacy

    member = group[1]
    client = client_for(bangfu)
    for _ in range(privacy.ID_CHECKS_PER_HOUR):
        client.get(reverse("care:tags"), {"q": "110101199001010000"})
    html = client.get(reverse("care:tags"), {"q": member.id_number}, follow=True).content.decode()
    assert "按身份证号查找过于频繁" in html
    assert not AccessLog.objects.filter(fields=ID_SEARCH).exists()
