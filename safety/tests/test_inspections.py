"""Inspections and hazards: recorded with photos, followed until fixed and closed, overdue on the
to-do list of the officers who must act, and scored into the 安康杯."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.todo import todos_for
from safety import services
from safety.figures import hazards_closed_rate
from safety.models import CHECKLIST, Enrollment, Hazard, HazardStatus, Inspection
from safety.tests.conftest import jpeg


def test_an_inspection_keeps_its_checklist_with_the_failed_items(units, anquan):
    inspection = services.inspection_record(
        unit=units["school"],
        by=anquan,
        place="实验楼",
        inspected_on=datetime.date(2026, 3, 2),
        failed=[0],
        today=datetime.date(2026, 3, 2),
    )
    assert inspection.failed_items == [CHECKLIST[0]] == ["消防通道、安全出口畅通，标识完好"]
    assert len(inspection.checklist) == len(CHECKLIST)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"photo": None}, "photo"), ({"deadline": datetime.date(2026, 3, 1)}, "deadline")],
)
def test_a_hazard_needs_a_photo_and_a_deadline_after_the_inspection_and_nothing_is_half_written(
    units, anquan, change, field
):
    values = {
        "description": "栏杆松动",
        "severity": "general",
        "department": "总务处",
        "deadline": datetime.date(2026, 3, 9),
        "photo": jpeg(),
    }
    values.update(change)
    with pytest.raises(services.SafetyError) as refused:
        services.inspection_record(
            unit=units["school"],
            by=anquan,
            place="操场",
            inspected_on=datetime.date(2026, 3, 2),
            failed=[],
            hazards=[services.HazardInput(**values)],
            today=datetime.date(2026, 3, 2),
        )
    assert refused.value.field == field
    assert not Inspection.objects.exists()


def test_an_inspection_cannot_be_dated_in_the_future(units, anquan):
    with pytest.raises(services.SafetyError, match="不能晚于今天"):
        services.inspection_record(
            unit=units["school"],
            by=anquan,
            place="操场",
            inspected_on=datetime.date(2026, 3, 3),
            failed=[],
            today=datetime.date(2026, 3, 2),
        )


def test_a_hazard_is_fixed_with_a_photo_then_closed_by_an_officer(hazard, anquan, zhuxi):
    with pytest.raises(services.SafetyError, match="整改后的照片上传后"):
        services.hazard_close(hazard=hazard, by=zhuxi)
    with pytest.raises(services.SafetyError) as refused:
        services.hazard_fix(hazard=hazard, by=anquan, photo=None)
    assert refused.value.field == "fix_photo"
    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg("fixed.jpg"), note="已更换软管")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.FIXED
    services.hazard_close(hazard=hazard, by=zhuxi)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CLOSED


def test_a_hazard_is_fixed_once_and_a_second_fix_keeps_the_first_photo_and_time(hazard, anquan, zhuxi):
    on_time = timezone.make_aware(datetime.datetime(2026, 3, 8, 10))
    page_opened_before = Hazard.objects.get(pk=hazard.pk)
    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg("fixed.jpg"), note="已更换软管", now=on_time)
    with pytest.raises(services.SafetyError, match="已经登记了整改"):
        services.hazard_fix(
            hazard=page_opened_before, by=zhuxi, photo=jpeg("late.jpg"), now=on_time + datetime.timedelta(days=5)
        )
    fixed = Hazard.objects.get(pk=hazard.pk)
    assert (fixed.status, fixed.fixed_at, fixed.fixed_by, fixed.fix_note) == ("fixed", on_time, anquan, "已更换软管")


def test_a_fix_sent_after_the_officer_closed_the_hazard_does_not_reopen_it(hazard, anquan, zhuxi):
    page_opened_before = Hazard.objects.get(pk=hazard.pk)
    services.hazard_fix(hazard=hazard, by=zhuxi, photo=jpeg(), close=True)
    with pytest.raises(services.SafetyError, match="已经销号"):
        services.hazard_fix(hazard=page_opened_before, by=anquan, photo=jpeg("again.jpg"))
    with pytest.raises(services.SafetyError, match="已经销号"):
        services.hazard_close(hazard=page_opened_before, by=zhuxi)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CLOSED


def test_the_inspector_is_told_on_the_page_when_the_hazard_was_fixed_meanwhile(client_for, hazard, anquan, zhuxi):
    services.hazard_fix(hazard=hazard, by=zhuxi, photo=jpeg())
    answer = client_for(anquan).post(reverse("safety:hazard", args=[hazard.pk]), {"fix_photo": jpeg("again.jpg")})
    assert "这处隐患已经登记了整改，等待销号。" in answer.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).fixed_by == zhuxi


def test_a_hazard_added_later_keeps_the_deadline_rule_of_the_inspection(hazard, anquan):
    late = services.HazardInput("灭火器过期", "general", "总务处", datetime.date(2026, 3, 1), jpeg())
    with pytest.raises(services.SafetyError) as refused:
        services.hazard_add(inspection=hazard.inspection, hazard=late)
    assert refused.value.field == "deadline"
    assert hazard.inspection.hazards.count() == 1


def test_an_overdue_hazard_is_on_the_chairs_to_do_list_until_it_is_closed(hazard, zhuxi, anquan):
    assert "safety.overdue" not in [t.kind for t in todos_for(zhuxi, today=datetime.date(2026, 3, 9))]
    assert "safety.overdue" in [t.kind for t in todos_for(zhuxi, today=datetime.date(2026, 3, 10))]
    assert "safety.overdue" not in [t.kind for t in todos_for(anquan, today=datetime.date(2026, 3, 10))]
    services.hazard_fix(hazard=hazard, by=zhuxi, photo=jpeg(), close=True)
    assert [t for t in todos_for(zhuxi, today=datetime.date(2026, 3, 10)) if t.kind.startswith("safety.")] == []


def test_the_cup_scores_monthly_inspections_and_hazards_closed_on_time(hazard, units, zhuxi, anquan):
    Enrollment.objects.create(unit=units["school"], year=2026, enrolled_by=zhuxi)
    Enrollment.objects.create(unit=units["office"], year=2026, enrolled_by=zhuxi)
    enrollments = Enrollment.objects.select_related("unit")
    rows = services.cup_standings(year=2026, enrollments=enrollments, today=datetime.date(2026, 3, 20))
    school = next(r for r in rows if r.unit == units["school"])
    assert (school.inspections, school.hazards, school.closed_on_time) == (1, 1, 0)
    assert school.score == Decimal("3.3")  # 40 × 1/12, and no hazard closed on time
    # A union that enrolled and never inspected found nothing: it earns nothing, not the hazards' 60.
    office = next(r for r in rows if r.unit == units["office"])
    assert office.score == Decimal("0.0") and rows[-1] == office
    from django.utils import timezone

    on_time = timezone.make_aware(datetime.datetime(2026, 3, 8, 10))
    services.hazard_fix(hazard=hazard, by=zhuxi, photo=jpeg(), close=True, now=on_time)
    rows = services.cup_standings(year=2026, enrollments=enrollments, today=datetime.date(2026, 3, 20))
    assert next(r for r in rows if r.unit == units["school"]).score == Decimal("63.3")


def test_a_hazard_still_within_its_time_counts_neither_way(hazard, units, zhuxi):
    Enrollment.objects.create(unit=units["school"], year=2026, enrolled_by=zhuxi)
    enrollments = Enrollment.objects.select_related("unit")
    [before] = services.cup_standings(year=2026, enrollments=enrollments, today=datetime.date(2026, 3, 5))
    # Due on 9 March: on the 5th the school's one inspection earns 40 × 1/12 and, with no hazard settled,
    # 60 × 1/12 (the hazard is not a failure yet).
    assert (before.hazards, before.overdue, before.score) == (1, 0, Decimal("8.3"))  # 3.33 + 5
    [after] = services.cup_standings(year=2026, enrollments=enrollments, today=datetime.date(2026, 3, 10))
    assert (after.overdue, after.score) == (1, Decimal("3.3"))


def test_enrolling_twice_is_refused(units, zhuxi):
    services.enroll(unit=units["school"], year=2026, by=zhuxi)
    with pytest.raises(services.SafetyError, match="已报名"):
        services.enroll(unit=units["school"], year=2026, by=zhuxi)


def test_the_closed_rate_feeds_plan_targets(hazard, units, zhuxi):
    assert hazards_closed_rate(units["school"], 2026) == Decimal("0.0")
    services.hazard_fix(hazard=hazard, by=zhuxi, photo=jpeg(), close=True)
    assert hazards_closed_rate(units["county"], 2026) == Decimal("100.0")


@pytest.mark.parametrize(("persona", "status"), [("zhuxi", 200), ("anquan", 200), ("xianzong", 200), ("huiyuan", 404)])
def test_who_opens_a_hazard_and_its_photo(persona, status, request, client_for, hazard):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("safety:hazard", args=[hazard.pk])).status_code == status
    assert client.get(reverse("safety:hazard_photo", args=[hazard.pk, "found"])).status_code == status


def test_the_hazard_page_names_its_inspection_by_a_written_date(client_for, hazard, zhuxi):
    page = client_for(zhuxi).get(reverse("safety:hazard", args=[hazard.pk])).content.decode()
    assert "2026年3月2日 中心校食堂</a>" in page and "2026-03-02" not in page


def test_a_unit_of_another_county_sees_nothing(client_for, outsider, hazard):
    client = client_for(outsider)
    assert client.get(reverse("safety:hazard", args=[hazard.pk])).status_code == 404


def test_an_inspector_cannot_close_a_hazard(client_for, anquan, hazard):
    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg())
    assert client_for(anquan).post(reverse("safety:hazard_close", args=[hazard.pk])).status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.FIXED


def test_the_safety_page_keeps_a_bounded_number_of_queries(
    client_for, zhuxi, units, anquan, django_assert_max_num_queries
):
    for day in range(1, 21):
        services.inspection_record(
            unit=units["g1"],
            by=anquan,
            place=f"教室{day}",
            inspected_on=datetime.date(2026, 3, day),
            failed=[],
            hazards=[services.HazardInput("插座松动", "general", "总务处", datetime.date(2026, 4, 1), jpeg())],
            today=datetime.date(2026, 3, 25),
        )
    Enrollment.objects.create(unit=units["school"], year=2026, enrolled_by=zhuxi)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("safety:index")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("safety:hazards")).status_code == 200


def test_safety_pages_read_in_english(client_for, units, zhuxi, anquan):
    from core.testing import in_english, untranslated
    from orgs.models import OrgUnit

    for unit in OrgUnit.objects.all():
        unit.name, unit.short_name = f"Unit {unit.code}", ""
        unit.save()
    zhuxi.full_name, anquan.full_name = "Wang", "Zheng"
    zhuxi.save()
    anquan.save()
    inspection = services.inspection_record(
        unit=units["school"],
        by=anquan,
        place="Canteen",
        inspected_on=datetime.date(2026, 3, 2),
        failed=[],
        hazards=[services.HazardInput("Gas hose", "serious", "Kitchen", datetime.date(2026, 3, 9), jpeg())],
        today=datetime.date(2026, 3, 2),
    )
    services.enroll(unit=units["school"], year=timezone.localdate().year, by=zhuxi)
    client = in_english(client_for(zhuxi))
    for url in (
        reverse("safety:index"),
        reverse("safety:inspection_new"),
        reverse("safety:inspection", args=[inspection.pk]),
        reverse("safety:inspection_edit", args=[inspection.pk]),
        reverse("safety:hazards"),
        reverse("safety:hazard", args=[inspection.hazards.get().pk]),
    ):
        html = client.get(url).content.decode()
        assert untranslated(html) == [], (url, untranslated(html))
    index = client.get(reverse("safety:index")).content.decode()
    # Headings over counts: "Open: serious hazard" above its number, a column of "Inspections", not "Inspection".
    assert "Open: serious hazard" in index and ">Inspections</th>" in index
    # A part of the line under a title reads as a heading's part, capitalised, as finance's (2026 · Approved).
    assert ">Entered in the Ankang Cup</span>" in index
    hazard = client.get(reverse("safety:hazard", args=[inspection.hazards.get().pk])).content.decode()
    assert '>To fix</span> · <span class="text-danger fw-semibold">Overdue</span>' in hazard


def test_the_api_lists_hazards_within_reach(client_for, hazard, outsider, xianzong):
    assert client_for(xianzong).get("/api/v1/safety/hazards/").json()["items"][0]["description"] == "燃气软管老化"
    assert client_for(outsider).get("/api/v1/safety/hazards/").json()["count"] == 0
    assert client_for(outsider).get(f"/api/v1/safety/hazards/{hazard.pk}/").status_code == 404


def test_the_inspector_corrects_an_inspections_record_on_its_page(client_for, hazard, anquan):
    inspection = hazard.inspection
    client = client_for(anquan)
    url = reverse("safety:inspection_edit", args=[inspection.pk])
    assert url in client.get(reverse("safety:inspection", args=[inspection.pk])).content.decode()
    page = client.get(url).content.decode()
    assert 'value="中心校食堂"' in page and 'value="2026-03-02"' in page

    data = {"place": "中心校食堂后厨", "inspected_on": "2026-03-10", "failed": ["1", "3"], "note": "复查"}
    kept = client.post(url, data)
    assert kept.status_code == 200 and "不能晚于本次发现的隐患的整改期限（2026年3月9日）" in kept.content.decode()
    assert 'value="中心校食堂后厨"' in kept.content.decode()

    assert client.post(url, {**data, "inspected_on": "2026-03-01"}).status_code == 302
    inspection.refresh_from_db()
    assert (inspection.place, inspection.inspected_on, inspection.note) == (
        "中心校食堂后厨",
        datetime.date(2026, 3, 1),
        "复查",
    )
    assert inspection.failed_items == [CHECKLIST[1], CHECKLIST[3]]
    assert inspection.hazards.get() == hazard


def test_an_inspection_is_not_moved_into_the_future(hazard, anquan):
    with pytest.raises(services.SafetyError, match="不能晚于今天"):
        services.inspection_update(
            inspection=hazard.inspection,
            place="食堂",
            inspected_on=datetime.date(2026, 3, 3),
            failed=[],
            today=datetime.date(2026, 3, 2),
        )


@pytest.mark.parametrize("persona", ["xianzong", "huiyuan", "outsider"])
def test_who_may_not_correct_an_inspection(persona, request, client_for, hazard):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("safety:inspection_edit", args=[hazard.inspection.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"place": "改", "inspected_on": "2026-03-01"}).status_code == 404
    assert Inspection.objects.get().place == "中心校食堂"


def test_an_inspection_without_a_hazard_is_saved_from_its_page(client_for, units, anquan):
    """The page's hazard fields are required only when the box is ticked: the browser must not refuse the form."""
    client = client_for(anquan)
    page = client.get(reverse("safety:inspection_new")).content.decode()
    assert "novalidate" in page.split('enctype="multipart/form-data"')[1].split(">")[0]
    data = {"place": "食堂后厨", "inspected_on": timezone.localdate().isoformat(), "hazard-severity": "general"}
    response = client.post(reverse("safety:inspection_new"), data, follow=True)
    assert "检查记录已保存。" in response.content.decode()
    assert Inspection.objects.get().hazards.count() == 0


def test_a_hazard_typed_without_ticking_the_box_is_not_dropped(client_for, units, anquan):
    data = {
        "place": "实验楼",
        "inspected_on": timezone.localdate().isoformat(),
        "hazard-description": "配电箱门锁损坏",
        "hazard-severity": "general",
        "hazard-department": "总务处",
    }
    response = client_for(anquan).post(reverse("safety:inspection_new"), data)
    assert response.status_code == 200
    assert "请勾选“发现隐患，现在登记”" in response.context["form"].errors["found_hazard"][0]
    assert "配电箱门锁损坏" in response.content.decode()  # what was typed stays
    assert not Inspection.objects.exists()


def test_the_inspector_works_on_hazards_and_does_not_read_the_roster(client_for, anquan, hazard):
    client = client_for(anquan)
    assert client.get("/safety/").status_code == 200
    assert client.get("/members/").status_code == 404


def test_the_cup_ranks_every_unit_enrolled_or_says_why_it_does_not(client_for, units, zhuxi, xianzong, monkeypatch):
    from django.utils import timezone

    from safety import views

    year = timezone.localdate().year
    for unit in (units["school"], units["office"]):
        Enrollment.objects.create(unit=unit, year=year, enrolled_by=zhuxi)
    client = client_for(xianzong)
    ranked = client.get(reverse("safety:index")).content.decode()
    assert 'data-testid="cup"' in ranked and "县教育局机关工会" in ranked
    monkeypatch.setattr(views, "CUP_RANKED_MAX", 1)  # a province's thousands, in small
    unranked = client.get(reverse("safety:index")).content.decode()
    assert 'data-testid="cup"' not in unranked and "报名安康杯的单位超过 1 个，这里不排名" in unranked


def _hazard_fields(page):
    return page.split('id="hazard-fields"')[1].split("</fieldset>")[0]


def test_the_hazard_fields_are_required_only_when_a_hazard_is_recorded(client_for, units, anquan):
    client = client_for(anquan)
    sent = {"place": "", "inspected_on": timezone.localdate().isoformat(), "hazard-severity": "general"}
    answer = client.post(reverse("safety:inspection_new"), sent)  # the place left out, no hazard ticked
    assert answer.status_code == 200 and list(answer.context["form"].errors) == ["place"]
    fields = _hazard_fields(answer.content.decode())
    assert 'aria-hidden="true">*' not in fields and "is-invalid" not in fields
    assert not answer.context["hazard_form"].errors
    answer = client.post(reverse("safety:inspection_new"), {**sent, "found_hazard": "on"})
    fields = _hazard_fields(answer.content.decode())
    assert 'aria-hidden="true">*' in fields and "description" in answer.context["hazard_form"].errors
    assert not Inspection.objects.exists()


def test_a_photo_sent_with_a_refused_inspection_is_asked_for_again_beside_its_field(client_for, units, anquan):
    today = timezone.localdate()
    sent = {
        "place": "",
        "inspected_on": today.isoformat(),
        "found_hazard": "on",
        "hazard-description": "燃气软管老化",
        "hazard-severity": "serious",
        "hazard-department": "食堂",
        "hazard-deadline": (today + datetime.timedelta(days=7)).isoformat(),
    }
    client = client_for(anquan)
    answer = client.post(reverse("safety:inspection_new"), {**sent, "hazard-photo": jpeg()})
    assert answer.status_code == 200 and not Inspection.objects.exists()
    assert (
        answer.context["hazard_form"]["photo"].help_text == "请重新选择照片：页面重新显示后，浏览器不会保留已选的照片。"
    )
    photo_field = _hazard_fields(answer.content.decode()).split('id="id_hazard-photo"')[1]
    assert "请重新选择照片" in photo_field.split('class="mb-3"')[0]  # beside the photo, not elsewhere
    for page in (client.post(reverse("safety:inspection_new"), sent), client.get(reverse("safety:inspection_new"))):
        assert "请重新选择照片" not in page.content.decode()  # no photo was chosen: nothing to choose again


def test_a_photo_sent_with_a_refused_hazard_is_asked_for_again(client_for, hazard, anquan):
    url = reverse("safety:inspection", args=[hazard.inspection.pk])
    sent = {"description": "灭火器过期", "severity": "general", "department": "", "deadline": "2026-03-05"}
    client = client_for(anquan)
    answer = client.post(url, {**sent, "photo": jpeg()})
    assert answer.status_code == 200 and "department" in answer.context["form"].errors
    assert "请重新选择照片" in answer.content.decode()
    assert "请重新选择照片" not in client.post(url, sent).content.decode()
    assert hazard.inspection.hazards.count() == 1


def test_a_refused_inspection_lists_what_to_fix_and_describes_each_box(client_for, anquan):
    from core.testing import undescribed

    page = client_for(anquan).post(reverse("safety:inspection_new"), {"place": "", "inspected_on": ""}).content.decode()
    assert 'data-testid="error-summary"' in page and 'href="#id_place"' in page
    assert 'id="id_place_error"' in page and undescribed(page) == []


def test_the_inspector_follows_up_the_overdue_hazards_found(hazard, anquan, zhuxi, units):
    """anquan may not close a hazard, yet has found it: once overdue it is on his list too, until fixed."""
    from conftest import make_person
    from orgs.roles import Role

    def follow_ups(day):
        return [t for t in todos_for(anquan, today=day) if t.kind.startswith("safety.")]

    assert follow_ups(datetime.date(2026, 3, 9)) == []  # due that day: not yet overdue
    [todo] = follow_ups(datetime.date(2026, 3, 10))
    assert todo.kind == "safety.follow_up" and "燃气软管老化" in todo.title and todo.url.endswith(f"/{hazard.pk}/")
    # Another inspector's finding is not his to follow.
    other = make_person("anquan2", "钱安全", units["school"], Role.SAFETY_INSPECTOR)
    assert [t for t in todos_for(other, today=datetime.date(2026, 3, 10)) if t.kind.startswith("safety.")] == []
    services.hazard_fix(hazard=hazard, by=zhuxi, photo=jpeg())
    assert follow_ups(datetime.date(2026, 3, 10)) == []


def test_the_chair_sends_back_a_fix_not_done_and_the_fixer_is_told(hazard, anquan, zhuxi, client_for):
    from core.models import Notification

    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg(), note="已更换")
    client = client_for(zhuxi)
    assert 'data-testid="return"' in client.get(f"/safety/hazards/{hazard.pk}/").text
    empty = client.post(f"/safety/hazards/{hazard.pk}/return/", {"reason": " "})
    assert "退回原因" in empty.text and "is-invalid" in empty.text
    response = client.post(f"/safety/hazards/{hazard.pk}/return/", {"reason": "照片看不出软管已更换"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.OPEN and hazard.fixed_at is None and not hazard.fix_photo
    assert "照片看不出软管已更换" in client.get(f"/safety/hazards/{hazard.pk}/").text
    assert Notification.objects.get(user=anquan, kind="safety.returned").text.endswith("照片看不出软管已更换")
    # Returned once: a second send-back (a second tab) is refused, and the inspector may not send back at all.
    again = client.post(f"/safety/hazards/{hazard.pk}/return/", {"reason": "再退一次"})
    assert "只有已登记整改、等待销号的隐患可以退回" in again.text
    assert client_for(anquan).get(f"/safety/hazards/{hazard.pk}/return/").status_code == 404
    # The next fix clears the note.
    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg())
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.FIXED and hazard.return_note == ""


def test_an_inspection_is_filed_under_the_unit_inspected(client_for, anquan, units):
    """西街完小's playground inspected by the school's inspector counts for 西街完小, not the school."""
    client = client_for(anquan)
    page = client.get(reverse("safety:inspection_new")).content.decode()
    assert "被检查单位" in page and units["g2"].name in page and units["office"].name not in page
    data = {"unit": units["g2"].pk, "place": "西街完小操场", "inspected_on": "2026-03-02"}
    assert client.post(reverse("safety:inspection_new"), data).status_code == 302
    assert Inspection.objects.get().unit == units["g2"]
    # A unit outside the inspector's reach is not taken.
    refused = client.post(reverse("safety:inspection_new"), {**data, "unit": units["office"].pk})
    assert refused.status_code == 200 and Inspection.objects.count() == 1


def test_a_hazard_fixed_after_its_deadline_says_so_on_its_page(hazard, anquan, client_for):
    late = timezone.make_aware(datetime.datetime(2026, 3, 12, 9))
    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg(), now=late)
    page = client_for(anquan).get(f"/safety/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="fixed-late"' in page and "逾期整改" in page


def _png_claiming(width, height):
    """A one-pixel PNG whose header claims ``width`` × ``height``: what Pillow reads before refusing."""
    import io
    import struct
    import zlib

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # IHDR's width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_a_hazard_photo_of_too_many_pixels_is_refused_saying_so_not_called_no_picture(client_for, hazard, anquan):
    """A 63-megapixel photo (9000 × 7000) read as 请上传一张有效的图片……不是图片或者是已损坏的图片 (Django's
    words for any image Pillow refuses); a 50000 × 50000 PNG of a hundred bytes likewise."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("safety:inspection", args=[hazard.inspection.pk])
    sent = {"description": "灭火器过期", "severity": "general", "department": "总务处", "deadline": "2026-03-05"}
    for width, height in ((9000, 7000), (50000, 50000)):
        photo = SimpleUploadedFile("隐患.png", _png_claiming(width, height), content_type="image/png")
        answer = client_for(anquan).post(url, {**sent, "photo": photo})
        assert answer.status_code == 200
        assert answer.context["form"].errors["photo"] == [
            "图片“隐患.png”的像素过多（超过 5000 万像素），系统不予处理。请缩小后再上传。"
        ]
    script = SimpleUploadedFile("隐患.png", b"<svg onload=alert(1)>", content_type="image/png")
    assert "不是图片" in client_for(anquan).post(url, {**sent, "photo": script}).context["form"].errors["photo"][0]
    assert hazard.inspection.hazards.count() == 1


def test_closing_a_hazard_asks_first_for_a_closed_hazard_cannot_be_sent_back(client_for, hazard, anquan, zhuxi):
    services.hazard_fix(hazard=hazard, by=anquan, photo=jpeg("fixed.jpg"), note="已更换软管")
    page = client_for(zhuxi).get(reverse("safety:hazard", args=[hazard.pk])).content.decode()
    close = page.split('data-testid="close"')[1].split("</button>")[0]
    assert 'data-confirm="销号后不能再退回整改。确定已核实整改到位吗？"' in close


def test_an_empty_hazard_list_says_what_to_do_next(client_for, units, anquan, hazard, django_assert_max_num_queries):
    client = client_for(anquan)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("safety:hazards"), {"status": "closed"}).content.decode()
    empty = html.split('class="empty-state"')[1].split("</div>")[0]
    assert "没有符合条件的隐患" in empty and f'href="{reverse("safety:hazards")}"' in empty and "查看全部隐患" in empty
    hazard.delete()
    html = client.get(reverse("safety:hazards")).content.decode()
    empty = html.split('class="empty-state"')[1].split("</div>")[0]
    assert "还没有登记隐患" in empty and f'href="{reverse("safety:inspection_new")}"' in empty


def test_a_reader_without_inspections_is_not_offered_to_record_one(client_for, units, xianzong):
    html = client_for(xianzong).get(reverse("safety:hazards")).content.decode()
    assert "还没有登记隐患" in html and reverse("safety:inspection_new") not in html
