"""Rights cases and legal aid: the public form needs no login, asks consent, is rate-limited."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from care import services
from care.figures import rollup
from care.models import CaseStatus, RightsCase
from core.models import Notification

pytestmark = pytest.mark.django_db

FORM = {
    "name": "贾师傅",
    "phone": "13803190000",
    "employer": "某装修公司",
    "category": "wages",
    "account": "拖欠三个月工资",
}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_worker_asks_for_help_without_logging_in(client, units, bangfu, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/care/help/demo-school/", {**FORM, "consent": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    case = RightsCase.objects.get()
    assert case.unit == units["school"] and case.from_public_form and case.consent_at
    assert case.phone == "13803190000" and not case.is_member
    assert Notification.objects.filter(user=bangfu, kind="care.case_new").exists()


def test_without_consent_nothing_is_kept(client, units):
    response = client.post("/care/help/demo-school/", FORM)
    assert "请先阅读并同意个人信息处理说明" in response.content.decode()
    assert not RightsCase.objects.exists()


def test_a_bad_phone_number_is_named(client, units):
    response = client.post("/care/help/demo-school/", {**FORM, "phone": "12345", "consent": "on"})
    assert "手机号应为11位数字" in response.content.decode()
    assert not RightsCase.objects.exists()


def test_the_form_is_rate_limited_per_address(client, units):
    for _ in range(5):
        client.post("/care/help/demo-school/", {**FORM, "consent": "on"})
    response = client.post("/care/help/demo-school/", {**FORM, "consent": "on"})
    assert "提交过于频繁" in response.content.decode()
    assert RightsCase.objects.count() == 5


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(client, units):
    client.post("/care/help/demo-school/", {**FORM, "consent": "on", "website": "http://spam"})
    assert not RightsCase.objects.exists()


def test_an_unknown_union_code_is_404(client, units):
    assert client.get("/care/help/no-such-union/").status_code == 404


def test_assignment_steps_and_outcome_feed_the_statistics(units, bangfu, zhuxi):
    now = timezone.make_aware(datetime.datetime(2027, 4, 1, 10))
    case = services.case_submit(unit=units["g1"], now=now, **FORM)
    assert case.deadline == datetime.date(2027, 4, 8)
    services.case_assign(
        case=case, by=zhuxi, to=bangfu, deadline=datetime.date(2027, 4, 20), on=datetime.date(2027, 4, 2)
    )
    services.case_add_step(case=case, by=bangfu, kind="mediation", on=datetime.date(2027, 4, 10), note="约谈公司负责人")
    with pytest.raises(services.CareError, match="办理结果"):
        services.case_close(case=case, by=bangfu, on=datetime.date(2027, 4, 15), outcome="", recovered=Decimal(0))
    services.case_close(
        case=case, by=bangfu, on=datetime.date(2027, 4, 15), outcome="调解成功，工资已结清", recovered=Decimal("12000")
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert list(case.steps.values_list("kind", flat=True)) == ["intake", "assign", "mediation", "close"]
    figures = rollup(units["county"], timezone.localdate().year)  # cases count in the year they came in
    assert (figures.cases, figures.cases_closed, figures.recovered) == (1, 1, Decimal("12000"))


def test_a_closed_case_is_neither_closed_again_nor_assigned_nor_added_to(units, bangfu, zhuxi):
    case = services.case_submit(unit=units["g1"], now=timezone.now(), **FORM)
    seen_open = RightsCase.objects.get(pk=case.pk)  # another tab, opened before the closing
    services.case_close(
        case=case, by=bangfu, on=datetime.date(2027, 4, 15), outcome="调解成功，工资已结清", recovered=Decimal("12000")
    )
    with pytest.raises(services.CareError, match="案件已办结"):
        services.case_close(case=seen_open, by=zhuxi, on=datetime.date(2027, 4, 20), outcome="另一结果", recovered=0)
    with pytest.raises(services.CareError, match="案件已办结"):
        services.case_assign(case=seen_open, by=zhuxi, to=zhuxi, deadline=datetime.date(2027, 5, 1))
    with pytest.raises(services.CareError, match="案件已办结"):
        services.case_add_step(
            case=seen_open, by=zhuxi, kind="mediation", on=datetime.date(2027, 4, 20), note="再次约谈"
        )
    case.refresh_from_db()
    assert (case.outcome, case.recovered, case.closed_on, case.assigned_to) == (
        "调解成功，工资已结清",
        Decimal("12000.00"),
        datetime.date(2027, 4, 15),
        None,
    )
    assert list(case.steps.values_list("kind", flat=True)) == ["intake", "close"]
    assert not Notification.objects.filter(kind="care.case_assigned").exists()


def test_closing_from_a_page_opened_before_the_case_was_closed_says_it_is_closed(units, bangfu, client_for):
    case = services.case_submit(unit=units["g1"], now=timezone.now(), **FORM)
    services.case_close(case=case, by=bangfu, on=datetime.date(2027, 4, 15), outcome="调解成功", recovered=0)
    response = client_for(bangfu).post(
        f"/care/cases/{case.pk}/close/", {"on": "2027-04-20", "outcome": "另一结果", "recovered": "0"}, follow=True
    )
    assert "案件已办结。" in response.content.decode()
    assert RightsCase.objects.get(pk=case.pk).outcome == "调解成功"


def test_a_case_form_with_a_mistake_comes_back_with_what_was_typed(units, bangfu, client_for):
    case = services.case_submit(unit=units["g1"], now=timezone.now(), **FORM)
    client = client_for(bangfu)
    # A date nobody's calendar has: the outcome and the amount typed stay, the date is named.
    response = client.post(
        f"/care/cases/{case.pk}/close/", {"on": "2027-13-40", "outcome": "调解成功，工资已结清", "recovered": "12000"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "调解成功，工资已结清" in page and 'value="12000"' in page
    assert 'name="on" value="2027-13-40"' in page and "is-invalid" in page
    # The service's refusal lands on its field too, with the rest of the form kept.
    response = client.post(f"/care/cases/{case.pk}/close/", {"on": "2027-04-15", "outcome": " ", "recovered": "800"})
    page = response.content.decode()
    assert "办理结果" in page and 'value="800"' in page and 'value="2027-04-15"' in page
    response = client.post(f"/care/cases/{case.pk}/step/", {"kind": "mediation", "on": "2027-04-10", "note": ""})
    assert 'value="2027-04-10"' in response.content.decode()
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED and list(case.steps.values_list("kind", flat=True)) == ["intake"]
    # Sent right, it is saved and the page opens again afresh.
    response = client.post(
        f"/care/cases/{case.pk}/close/", {"on": "2027-04-15", "outcome": "调解成功", "recovered": "800"}, follow=True
    )
    assert "已保存。" in response.content.decode()
    assert RightsCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_the_public_form_reads_in_english(client, units):
    from core.testing import in_english, untranslated
    from orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=units["school"].pk).update(name="Central School Union")
    html = in_english(client).get("/care/help/demo-school/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert untranslated(main) == [] and "Not paid? The union can help" in main


def test_the_bots_field_is_hidden_from_screen_readers_and_out_of_the_tab_order(client, units):
    import re

    html = client.get("/care/help/demo-school/").content.decode()
    trap = re.search(r'<div class="care-honeypot" aria-hidden="true">(<input[^>]*>)</div>', html)
    assert trap and 'name="website"' in trap[1]
    assert 'tabindex="-1"' in trap[1] and 'autocomplete="off"' in trap[1]
    assert "Website" not in html and 'for="id_website"' not in html  # no label for a screen reader to read
