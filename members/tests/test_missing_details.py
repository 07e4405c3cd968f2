"""What the roster's ID number and phone columns tell officers: who has not yet given the number that mutual
insurance (职工互助保障) and a transfer ask for. A filled number stays masked; a missing one is marked, and
the 其他 filter lists the members missing it, in the list and in its exports alike."""

import datetime
import io
import re

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import exports
from core.testing import in_english, untranslated
from members.models import Status

ID_MISSING = 'data-testid="id-number-missing"'
PHONE_MISSING = 'data-testid="phone-missing"'


@pytest.fixture
def roster(make_member, units):
    return {
        "complete": make_member("张伟", "g1", phone="13812345678"),
        "no_id": make_member("李娜", "g2", gender="F", id_number=""),
        "no_phone": make_member("王刚", "g1", phone=""),
        "neither": make_member("陈静", "g1", gender="F", id_number="", phone=""),
        "left_no_id": make_member("赵强", "g1", id_number="", status=Status.LEFT),
        # Another union (a sibling of the school) and another county: never on the school chair's list.
        "office_no_id": make_member("刘洋", "office", id_number="", phone=""),
        "other_no_id": make_member("孙丽", "other", gender="F", id_number="", phone=""),
    }


def names(response):
    return [m.name for m in response.context["page"]]


def table_row(html, name):
    """The roster table's row of the member called ``name`` (the phone list above it has no badges)."""
    table = html[html.index('data-testid="roster"') :]
    return next(row for row in re.findall(r"<tr>.*?</tr>", table, flags=re.S) if f">{name}</a>" in row)


def test_a_member_without_an_id_number_is_marked_not_dashed_and_one_with_it_shows_the_mask(client_for, zhuxi, roster):
    html = client_for(zhuxi).get(reverse("members:list")).content.decode()
    missing = table_row(html, "李娜")
    assert ID_MISSING in missing and "未登记" in missing and "—" not in missing
    assert "身份证号未登记" in missing  # what a screen reader hears: which number is missing
    assert PHONE_MISSING not in missing and roster["no_id"].phone_masked in missing
    complete = table_row(html, "张伟")
    assert ID_MISSING not in complete and PHONE_MISSING not in complete
    assert roster["complete"].id_number_masked in complete and "138****5678" in complete
    assert roster["complete"].id_number not in html  # the mask shows the first four digits only


def test_a_member_without_a_phone_is_marked_in_the_phone_column(client_for, zhuxi, roster):
    html = client_for(zhuxi).get(reverse("members:list")).content.decode()
    no_phone = table_row(html, "王刚")
    assert PHONE_MISSING in no_phone and "手机号未登记" in no_phone and ID_MISSING not in no_phone
    neither = table_row(html, "陈静")
    assert ID_MISSING in neither and PHONE_MISSING in neither


def test_the_filter_lists_exactly_the_members_missing_an_id_number_in_the_chairs_union(client_for, zhuxi, roster):
    client = client_for(zhuxi)
    assert names(client.get(reverse("members:list"), {"flag": "no_id_number"})) == ["陈静", "李娜"]
    # Combined with the status filter like any other: a leaver without one is found among all statuses.
    everyone = {"flag": "no_id_number", "status": "all"}
    assert names(client.get(reverse("members:list"), everyone)) == ["陈静", "李娜", "赵强"]


def test_the_filter_lists_exactly_the_members_missing_a_phone_in_the_chairs_union(client_for, zhuxi, roster):
    assert names(client_for(zhuxi).get(reverse("members:list"), {"flag": "no_phone"})) == ["陈静", "王刚"]


def test_the_group_leader_finds_only_their_groups_members_missing_an_id_number(client_for, xiaozu, roster):
    assert names(client_for(xiaozu).get(reverse("members:list"), {"flag": "no_id_number"})) == ["陈静"]


def test_a_number_the_keys_cannot_read_is_not_missing(client_for, zhuxi, roster, settings):
    """The filter reads the columns kept in clear, not the numbers: one the keys cannot read keeps its blind
    index and last four (fill_derived), so its member is neither listed as missing nor marked."""
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the deployment lost its key
    client = client_for(zhuxi)
    assert names(client.get(reverse("members:list"), {"flag": "no_id_number"})) == ["陈静", "李娜"]
    assert names(client.get(reverse("members:list"), {"flag": "no_phone"})) == ["陈静", "王刚"]
    complete = table_row(client.get(reverse("members:list")).content.decode(), "张伟")
    assert "无法读取" in complete and ID_MISSING not in complete and PHONE_MISSING not in complete


def test_a_filter_that_finds_nobody_offers_to_widen_it(client_for, zhuxi, make_member):
    make_member("张伟", "g1")
    html = client_for(zhuxi).get(reverse("members:list"), {"flag": "no_id_number"}).content.decode()
    assert "没有符合条件的会员" in html and "放宽筛选条件" in html


def test_the_export_of_the_filtered_roster_holds_only_the_members_missing_an_id_number(client_for, zhuxi, roster):
    response = client_for(zhuxi).get(reverse("members:export"), {"flag": "no_id_number", "masked": "1"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[2:]) == ["李娜", "陈静"]


def test_the_background_export_keeps_the_missing_phone_filter(client_for, zhuxi, units, roster, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", 1)
    job = exports.export_start(
        kind="members.roster",
        unit=units["school"],
        user=zhuxi,
        query="flag=no_phone",
        fmt="xlsx",
        unmasked=False,
        name="名册",
    )
    exports.export_run(job)
    response = client_for(zhuxi).get(reverse("core:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[2:]) == ["王刚", "陈静"]


@pytest.mark.parametrize("flag", ["no_id_number", "no_phone"])
def test_a_page_filtered_by_a_missing_number_costs_no_more_queries_than_the_whole_roster(
    client_for, zhuxi, make_member, flag, django_assert_max_num_queries
):
    for n in range(50):
        make_member(f"会员{n:02d}", "g1" if n % 2 else "g2", id_number="", phone="" if n % 3 else "13900000000")
    client = client_for(zhuxi)
    client.get(reverse("members:list"))  # the session and the caches as an officer's second page finds them
    with CaptureQueriesContext(connection) as whole:
        client.get(reverse("members:list"))
    assert len(whole.captured_queries) <= 12  # test_views' bound for any page of the roster
    with django_assert_max_num_queries(len(whole.captured_queries)):
        response = client.get(reverse("members:list"), {"flag": flag})
    assert len(response.context["page"]) == 30 and response.context["page"].has_next


def test_the_markers_and_choices_in_english(client_for, zhuxi, make_member, units):
    for unit in units.values():
        unit.name, unit.short_name = f"Unit {unit.code}", ""
        unit.save()
    zhuxi.full_name = "Wang Jianguo"
    zhuxi.save()
    make_member("Anna Li", "g1", gender="F", id_number="", phone="", birth_date=datetime.date(1990, 1, 1))
    html = in_english(client_for(zhuxi)).get(reverse("members:list")).content.decode()
    assert untranslated(html) == []
    assert "Missing" in html
