"""What the roster tells an officer about members they may not see: an ID number is a member's
somewhere (asked sparingly, and logged where that member belongs). And ages: exact, as the birth date
beside the mask no longer gives the ID number away (core.encryption.mask_id_number)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_person
from core.models import AccessLog
from members import privacy
from members.importing import roster_import
from members.models import Member
from members.tests.sheets import id_for, xlsx
from orgs.roles import Role

TAKEN = "这个身份证号已登记为会员，不能重复登记（调动请办理转会）。"
TOO_MANY = "身份证号查验过于频繁，请一小时后再试；成批登记请用导入花名册。"
NOBODYS = id_for(1991, 7, 9, "F", seed=99)


def typed(number, unit, **fields):
    """The add form as a group leader fills it in for a new member of ``unit``."""
    return {"name": "陈静", "id_number": number, "unit": unit.pk, "category": "teacher", **fields}


def errors(response):
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


# --- the ID number asked of the whole tree


@pytest.mark.parametrize(
    "slip",
    [{"joined_on": "2099-01-01"}, {"gender": "M"}, {"birth_date": "1991-07-10"}, {"phone": "12345"}],
    ids=["joined-in-2099", "gender-against-the-id", "birth-date-against-the-id", "bad-phone"],
)
def test_a_group_leaders_probe_with_an_invalid_field_gets_no_answer_about_the_id_number(
    client_for, xiaozu, units, make_member, slip
):
    """How a masked ID number was rebuilt: candidates posted beside a field that kept anything from
    being saved. A member's number and nobody's now get the same answer, about that field alone."""
    theirs = make_member("王芳", "office", gender="F", birth_date=datetime.date(1991, 7, 9))
    client = client_for(xiaozu)
    add = reverse("members:add")
    answers = [errors(client.post(add, typed(number, units["g1"], **slip))) for number in (theirs.id_number, NOBODYS)]
    assert answers[0] == answers[1]
    assert "id_number" not in answers[0] and list(answers[0]) == list(slip)
    assert list(Member.objects.all()) == [theirs]
    assert not AccessLog.objects.exists()


def test_an_id_number_found_on_no_roster_registers_a_real_member(client_for, xiaozu, units):
    """The answer "free" is a member written, kept in the roster and its history under the officer's name."""
    response = client_for(xiaozu).post(reverse("members:add"), typed(NOBODYS, units["g1"]))
    member = Member.objects.get()
    assert response.status_code == 302 and member.unit == units["g1"]
    assert member.history.get().history_user == xiaozu


def test_a_hit_on_another_unions_member_is_logged_in_that_unions_access_log(client_for, xiaozu, units, make_member):
    theirs = make_member("王芳", "office", gender="F")
    response = client_for(xiaozu).post(reverse("members:add"), typed(theirs.id_number, units["g1"], gender="F"))
    assert errors(response) == {"id_number": [TAKEN]}  # what the officer needs to know, beside the field
    assert 'value="陈静"' in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.unit, log.object_id) == (xiaozu, units["office"], str(theirs.pk))
    assert log.fields == "身份证号（重复登记查验）"
    their_chair = make_person("bangong", "吴敏", units["office"], Role.CHAIR)
    assert list(AccessLog.objects.visible_to(their_chair, "core.access_log")) == [log]


def test_a_hit_on_a_member_the_officer_may_see_is_not_logged(client_for, xiaozu, units, make_member):
    ours = make_member("张伟", "g1")
    response = client_for(xiaozu).post(reverse("members:add"), typed(ours.id_number, units["g1"], gender="M"))
    assert errors(response) == {"id_number": [TAKEN]}
    assert not AccessLog.objects.exists()


def test_an_edit_to_another_unions_members_id_number_is_refused_and_logged(client_for, zhuxi, units, make_member):
    ours, theirs = make_member("张伟", "g1"), make_member("王芳", "office", gender="F")
    response = client_for(zhuxi).post(
        reverse("members:edit", args=[ours.pk]),
        {"name": "张伟", "gender": "F", "id_number": theirs.id_number, "unit": units["g1"].pk, "category": "teacher"},
    )
    assert errors(response) == {"id_number": [TAKEN]}
    ours.refresh_from_db()
    assert ours.gender == "M"
    assert AccessLog.objects.get(fields="身份证号（重复登记查验）").unit == units["office"]


def test_the_61st_id_number_checked_in_an_hour_is_refused_beside_the_field(
    client_for, xiaozu, zhuxi, units, make_member
):
    ours = make_member("张伟", "g1")
    client = client_for(xiaozu)
    for _ in range(privacy.ID_CHECKS_PER_HOUR):
        assert errors(client.post(reverse("members:add"), typed(ours.id_number, units["g1"], gender="M"))) == {
            "id_number": [TAKEN]
        }
    response = client.post(reverse("members:add"), typed(NOBODYS, units["g1"]))
    assert errors(response) == {"id_number": [TOO_MANY]}
    assert 'value="陈静"' in response.content.decode()
    assert list(Member.objects.all()) == [ours]
    # An edit that keeps the ID number asks nothing, and another officer's budget is their own.
    kept = {"name": "张伟", "gender": "M", "unit": units["g1"].pk, "category": "cadre"}
    assert client.post(reverse("members:edit", args=[ours.pk]), kept).status_code == 302
    response = client_for(zhuxi).post(reverse("members:add"), typed(NOBODYS, units["g1"]))
    assert response.status_code == 302


def test_an_import_that_finds_another_unions_member_logs_it_there(tmp_path, units, zhuxi):
    Member.objects.create(unit=units["office"], name="张伟", gender="M", id_number=id_for(1985, 3, 2, "M", seed=1))
    sheet = xlsx(tmp_path / "roster.xlsx", [[1, "张伟", "男", id_for(1985, 3, 2, "M", seed=1), "", "", "", ""]])
    result = roster_import(sheet, unit=units["school"], user=zhuxi, dry_run=True)
    assert "此人已是其他单位的会员" in result.errors[0].message  # the row still says so
    log = AccessLog.objects.get()
    assert (log.user, log.unit, log.fields) == (zhuxi, units["office"], "身份证号（重复登记查验）")
    assert log.ip_address is None  # a background task: no request, no address
    roster_import(sheet, unit=units["school"], dry_run=True)  # manage.py import_members: no officer asked
    assert AccessLog.objects.count() == 1


def test_an_import_rolled_back_by_another_unions_member_keeps_the_log_entry(tmp_path, units, zhuxi):
    """Imported without a preview (all or nothing), the sheet fails on that row and nothing is written;
    what the row told zhuxi is logged all the same."""
    Member.objects.create(unit=units["office"], name="张伟", gender="M", id_number=id_for(1985, 3, 2, "M", seed=1))
    rows = [
        [1, "张伟", "男", id_for(1985, 3, 2, "M", seed=1), "", "", "", ""],
        [2, "李娜", "女", id_for(1990, 5, 6, "F", seed=2), "", "", "", ""],
    ]
    result = roster_import(xlsx(tmp_path / "roster.xlsx", rows), unit=units["school"], user=zhuxi)
    assert not result.written and not Member.objects.filter(name="李娜").exists()
    log = AccessLog.objects.get()
    assert (log.user, log.unit, log.fields) == (zhuxi, units["office"], "身份证号（重复登记查验）")


def test_the_import_page_logs_the_hits_of_its_preview(client_for, zhuxi, units, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    theirs = Member.objects.create(unit=units["office"], name="张伟", gender="M", id_number=id_for(1985, 3, 2, "M"))
    path = xlsx(tmp_path / "花名册.xlsx", [[1, "张伟", "男", theirs.id_number, "", "", "", ""]])
    client = client_for(zhuxi)
    client.post(reverse("members:import"), {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    log = AccessLog.objects.get()
    assert (log.user, log.unit, log.object_id) == (zhuxi, units["office"], str(theirs.pk))


# --- ages


@pytest.fixture
def mid_june(monkeypatch):
    today = {"day": datetime.date(2026, 6, 15)}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today["day"])
    return today


@pytest.mark.parametrize("persona", ["xiaozu", "zhuxi"])
def test_the_roster_shows_exact_ages(persona, request, client_for, make_member, mid_june):
    """Born 1 September 1990: 35 in June, 36 from September, for every reader: the mask keeps the first
    four digits alone, so the birth date an exact age gives away no longer rebuilds the ID number."""
    make_member("张伟", "g1", birth_date=datetime.date(1990, 9, 1))
    for day, age in ((datetime.date(2026, 6, 15), "35 岁"), (datetime.date(2026, 9, 2), "36 岁")):
        mid_june["day"] = day
        html = client_for(request.getfixturevalue(persona)).get(reverse("members:list")).content.decode()
        assert age in html and "年龄按今年减出生年份计算" not in html


def listed(client, band):
    return [m.name for m in client.get(reverse("members:list"), {"age": band}).context["page"]]


@pytest.mark.parametrize("persona", ["xiaozu", "zhuxi"])
def test_the_age_bands_go_by_exact_age_as_the_age_column(persona, request, client_for, make_member, mid_june):
    """A member enters 36—45 on their birthday, the day the roster's age column says 36."""
    make_member("张伟", "g1", birth_date=datetime.date(1990, 9, 1))
    for day, bands in ((datetime.date(2026, 6, 15), (["张伟"], [])), (datetime.date(2026, 9, 2), ([], ["张伟"]))):
        mid_june["day"] = day
        client = client_for(request.getfixturevalue(persona))
        assert (listed(client, "u35"), listed(client, "36_45")) == bands


def test_the_masked_export_filters_age_bands_alike_and_gives_the_full_birth_date(
    client_for, xiaozu, make_member, mid_june
):
    make_member("张伟", "g1", birth_date=datetime.date(1990, 9, 1))
    export = client_for(xiaozu).get(reverse("members:export"), {"age": "u35", "format": "csv"})
    assert "张伟,男,1990-09-01," in export.content.decode("utf-8-sig")
    export = client_for(xiaozu).get(reverse("members:export"), {"age": "36_45", "format": "csv"})
    assert "张伟" not in export.content.decode("utf-8-sig")
