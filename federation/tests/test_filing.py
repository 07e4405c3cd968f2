"""The filing machine: file, return with a comment, refile, accept; late; versions kept unchanged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from core.testing import in_english
from federation import filing as machine
from federation.kinds import plan_snapshot
from federation.models import CallKind, FilingStatus, UnitState
from federation.tests.conftest import TODAY
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role


@pytest.fixture
def school_plan(make_plan):
    plan = make_plan(guiding="以职工为中心")
    plan.targets.create(name="新发展会员", measure="人", value=20)
    return plan


def file_plan(call, unit, plan, by, now=None):
    filing = machine.filing_for(kind=CallKind.PLAN, unit=unit, title=plan.title, call=call)
    return machine.filing_file(filing=filing, by=by, data=plan_snapshot(plan), now=now)


def test_a_union_files_its_plan_and_the_county_accepts_it(plan_call, school_plan, units, zhuxi, xianzong):
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    assert filing.status == FilingStatus.FILED and filing.parent == units["county"]
    assert filing.versions.get().data["targets"] == [["新发展会员", "不少于", "20", "人"]]
    accepted = machine.filing_accept(filing=filing, by=xianzong)
    assert accepted.status == FilingStatus.ACCEPTED and accepted.reviewed_by == xianzong
    assert zhuxi.notifications.get(kind="plans.plan.accepted").text == "“年度工会工作计划”已被上级采纳。"


def test_a_return_needs_a_comment_and_reaches_the_filer(plan_call, school_plan, units, zhuxi, xianzong):
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    with pytest.raises(machine.FilingError, match="退回时请写明需要下级修改的地方"):
        machine.filing_return(filing=filing, by=xianzong, comment="  ")
    returned = machine.filing_return(filing=filing, by=xianzong, comment="请补充女职工工作安排")
    assert returned.status == FilingStatus.RETURNED
    told = zhuxi.notifications.get(kind="plans.plan.returned")
    assert "请补充女职工工作安排" in told.text and told.url.startswith(reverse("federation:call", args=[plan_call.pk]))


def test_a_returned_plan_is_refiled_as_a_new_version_and_the_first_stays_as_filed(
    plan_call, school_plan, units, zhuxi, xianzong
):
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    with pytest.raises(machine.FilingError, match="只有被退回的报备才能重新报送"):
        machine.filing_refile(filing=filing, by=zhuxi)
    machine.filing_return(filing=filing, by=xianzong, comment="补充女职工工作")
    school_plan.targets.create(name="女职工安康互助保险参保率", measure="%", value=100)
    school_plan.title = "年度工作计划（修改稿）"
    school_plan.save()
    refiled = machine.filing_refile(filing=filing, by=zhuxi, data=plan_snapshot(school_plan))
    first, second = refiled.versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert len(first.data["targets"]) == 1 and len(second.data["targets"]) == 2
    assert first.data["title"] == "年度工会工作计划"
    assert refiled.status == FilingStatus.FILED and refiled.comment == ""
    assert machine.filing_accept(filing=refiled, by=xianzong).status == FilingStatus.ACCEPTED


def test_filed_work_cannot_be_filed_again_before_review(plan_call, school_plan, units, zhuxi):
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    with pytest.raises(machine.FilingError, match="上级审阅前不能修改"):
        machine.filing_file(filing=filing, by=zhuxi, data={})


def test_only_filed_work_can_be_reviewed(plan_call, units, xianzong):
    filing = machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title="计划", call=plan_call)
    with pytest.raises(machine.FilingError, match="只能审阅已报送的内容"):
        machine.filing_accept(filing=filing, by=xianzong)


def test_the_county_sees_each_unit_state_including_late(plan_call, school_plan, units, zhuxi, make_plan):
    office_plan = make_plan(unit="office", title="机关工会计划")
    states = {s.unit.code: s.state for s in machine.call_states(plan_call, today=TODAY)}
    assert states == {"demo-school": UnitState.NOT_STARTED, "demo-office": UnitState.NOT_STARTED}
    machine.filing_for(kind=CallKind.PLAN, unit=units["office"], title=office_plan.title, call=plan_call)
    file_plan(plan_call, units["school"], school_plan, zhuxi)
    states = {s.unit.code: s.state for s in machine.call_states(plan_call, today=TODAY)}
    assert states == {"demo-school": UnitState.FILED, "demo-office": UnitState.DRAFT}
    after_deadline = plan_call.due + datetime.timedelta(days=1)
    states = {s.unit.code: s.state for s in machine.call_states(plan_call, today=after_deadline)}
    assert states == {"demo-school": UnitState.FILED, "demo-office": UnitState.LATE}


def test_filing_after_the_deadline_is_marked_filed_late(plan_call, school_plan, units, zhuxi):
    late = timezone.make_aware(datetime.datetime.combine(plan_call.due + datetime.timedelta(days=2), datetime.time(9)))
    file_plan(plan_call, units["school"], school_plan, zhuxi, now=late)
    entry = next(
        s for s in machine.call_states(plan_call, today=plan_call.due + datetime.timedelta(days=3)) if s.filing
    )
    assert entry.state == UnitState.FILED and entry.filed_late


def test_a_plan_filed_at_seven_in_the_morning_after_the_deadline_is_late(plan_call, school_plan, units, zhuxi):
    """07:00 in Beijing on the day after is still the deadline day in UTC, as the database keeps it."""
    morning_after = timezone.make_aware(
        datetime.datetime.combine(plan_call.due + datetime.timedelta(days=1), datetime.time(7))
    )
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi, now=morning_after)
    filing.refresh_from_db()
    assert filing.filed_late()
    on_the_day = timezone.make_aware(datetime.datetime.combine(plan_call.due, datetime.time(23, 30)))
    filing.filed_at = on_the_day
    assert not filing.filed_late()


def test_the_union_files_from_its_call_page_and_the_county_returns_it(
    client_for, plan_call, school_plan, units, zhuxi, xianzong
):
    client = client_for(zhuxi)
    url = reverse("federation:call", args=[plan_call.pk])
    page = client.get(url).content.decode()
    assert "年度工会工作计划" in page and 'data-state="not_started"' in page
    client.post(url + f"?unit={units['school'].pk}")
    filing = plan_call.filings.get()
    assert filing.status == FilingStatus.FILED

    county = client_for(xianzong)
    overview = county.get(url).content.decode()
    assert 'data-state="filed"' in overview and "县教育局机关工会" in overview
    detail = county.get(reverse("federation:filing", args=[filing.pk])).content.decode()
    assert "新发展会员" in detail
    county.post(reverse("federation:filing_review", args=[filing.pk]), {"decision": "return", "comment": "补充"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED


def test_a_return_whose_comment_is_too_long_comes_back_to_be_shortened_and_decides_nothing(
    client_for, plan_call, school_plan, units, zhuxi, xianzong
):
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    # 150 lines typed in the box: the browser counts 299 characters, the form 448 (each break is \r\n).
    comment = "\r\n".join(["补"] * 150)
    answer = client_for(xianzong).post(
        reverse("federation:filing_review", args=[filing.pk]), {"decision": "return", "comment": comment}
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "is-invalid" in page and "补\r\n补" in page  # the comment kept
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED and not filing.comment


def test_a_county_officer_on_the_english_pages_still_tells_the_union_in_chinese(
    client_for, plan_call, school_plan, units, zhuxi, xianzong
):
    """The chair reads Chinese (and her SMS goes out as written): the officer's switch is his own."""
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    county = in_english(client_for(xianzong))
    county.post(reverse("federation:filing_review", args=[filing.pk]), {"decision": "return", "comment": "补充"})
    told = zhuxi.notifications.get(kind="plans.plan.returned")
    assert told.text == "“年度工会工作计划”被退回：补充"


def test_a_chair_who_chose_english_is_told_in_english_whatever_the_officers_pages(
    client_for, plan_call, school_plan, units, zhuxi, xianzong
):
    """Each reader is told in the language they chose with the switch; the officer's own is his."""
    zhuxi.language = "en"
    zhuxi.save(update_fields=["language"])
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    county = client_for(xianzong)  # on the Chinese pages
    county.post(reverse("federation:filing_review", args=[filing.pk]), {"decision": "return", "comment": "补充"})
    told = zhuxi.notifications.get(kind="plans.plan.returned")
    assert told.text == "“年度工会工作计划” was returned: 补充"
    # The county officer, who never chose, heard of the filing in Chinese.
    assert xianzong.notifications.get(kind="plans.plan.filed").text.endswith("请审阅。")


def test_units_outside_the_call_and_other_counties_get_404(client_for, plan_call, xiaozu, outsider):
    url = reverse("federation:call", args=[plan_call.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(xiaozu).get(url).status_code == 404  # a group is two levels below the county


def test_a_unit_cannot_review_its_own_filing(client_for, plan_call, school_plan, units, zhuxi):
    filing = file_plan(plan_call, units["school"], school_plan, zhuxi)
    response = client_for(zhuxi).post(reverse("federation:filing_review", args=[filing.pk]), {"decision": "accept"})
    assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED


def test_the_county_moves_a_deadline_and_late_units_are_on_time_again(client_for, plan_call, units, xianzong, zhuxi):
    machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title="计划", call=plan_call)
    after = plan_call.due + datetime.timedelta(days=1)
    assert {s.state for s in machine.call_states(plan_call, today=after)} == {UnitState.LATE}
    later = plan_call.due + datetime.timedelta(days=10)
    client_for(xianzong).post(reverse("federation:call_deadline", args=[plan_call.pk]), {"due": later.isoformat()})
    plan_call.refresh_from_db()
    assert plan_call.due == later and plan_call.filings.get().due == later
    assert {s.state for s in machine.call_states(plan_call, today=after)} == {UnitState.DRAFT, UnitState.NOT_STARTED}
    assert (
        client_for(zhuxi)
        .post(reverse("federation:call_deadline", args=[plan_call.pk]), {"due": "2030-01-01"})
        .status_code
        == 404
    )


def test_the_parents_own_reviewers_hear_of_a_filing(plan_call, school_plan, units, zhuxi, xianzong, weiyuan):
    file_plan(plan_call, units["school"], school_plan, zhuxi)
    told = xianzong.notifications.get(kind="plans.plan.filed")
    assert told.text == "城关镇中心学校工会报送了“年度工会工作计划”，请审阅。"
    assert not weiyuan.notifications.filter(kind="plans.plan.filed").exists()  # a school officer, not the county's


def test_a_union_with_nothing_above_or_below_is_told_what_the_page_is_for(client_for, db):
    union = OrgUnit.objects.add_root({"code": "alone", "name": "独立工会", "kind": UnitKind.UNION})
    chair = make_person("alone-chair", "孙主席", union, Role.CHAIR)
    page = client_for(chair).get(reverse("federation:index")).content.decode()
    assert "暂无上报下达的工作" in page


def test_the_county_takes_back_a_call_issued_by_mistake_and_the_unions_are_told(
    client_for, plan_call, units, xianzong, zhuxi
):
    from core.todo import todos_for
    from federation.models import FilingCall

    assert any("年度工作计划报备" in str(todo.title) for todo in todos_for(zhuxi, today=TODAY))
    client = client_for(xianzong)
    page = client.get(reverse("federation:call", args=[plan_call.pk])).content.decode()
    assert reverse("federation:call_withdraw", args=[plan_call.pk]) in page and "data-confirm" in page
    url = reverse("federation:call_withdraw", args=[plan_call.pk])

    refused = client.post(url, {"reason": " "})
    # Said beside the reason's box, the withdrawal panel open, the call still there.
    assert refused.context["withdraw_form"].errors == {"reason": ["撤回任务时请写明原因。"]}
    assert 'data-testid="withdraw" open' in refused.content.decode()
    assert FilingCall.objects.filter(pk=plan_call.pk).exists()
    response = client.post(url, {"reason": "年度填错，重新下达"}, follow=True)
    assert "已撤回任务“年度工作计划报备”" in response.content.decode()
    assert not FilingCall.objects.filter(pk=plan_call.pk).exists()
    told = zhuxi.notifications.filter(kind="federation.call").order_by("-pk").first()
    assert told.text == "清河县总工会撤回了任务“年度工作计划报备”：年度填错，重新下达"
    assert not any("年度工作计划报备" in str(todo.title) for todo in todos_for(zhuxi, today=TODAY))


def test_a_call_a_union_has_started_on_is_kept(client_for, plan_call, units, xianzong):
    from federation.models import FilingCall

    machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title="计划", call=plan_call)
    client = client_for(xianzong)
    assert 'data-testid="withdraw"' not in client.get(reverse("federation:call", args=[plan_call.pk])).content.decode()
    response = client.post(
        reverse("federation:call_withdraw", args=[plan_call.pk]), {"reason": "重新下达"}, follow=True
    )
    assert "不能撤回" in response.content.decode()
    assert FilingCall.objects.get(pk=plan_call.pk).filings.count() == 1


@pytest.mark.parametrize("persona", ["zhuxi", "outsider"])
def test_a_union_below_does_not_take_back_its_parents_call(persona, request, client_for, plan_call):
    from federation.models import FilingCall

    client = client_for(request.getfixturevalue(persona))
    assert (
        client.post(reverse("federation:call_withdraw", args=[plan_call.pk]), {"reason": "不想报"}).status_code == 404
    )
    assert FilingCall.objects.filter(pk=plan_call.pk).exists()


def test_a_union_filing_for_a_call_taken_back_meanwhile_is_told_so(plan_call, school_plan, units, zhuxi):
    from federation.models import Filing, FilingCall

    FilingCall.objects.filter(pk=plan_call.pk).delete()  # withdrawn while the union's page was open

    with pytest.raises(machine.FilingError, match="上级已撤回这项任务"):
        file_plan(plan_call, units["school"], school_plan, zhuxi)
    assert not Filing.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_filing_saved_while_the_call_is_taken_back_waits_and_is_told(plan_call, school_plan, units, xianzong, zhuxi):
    """Without the call's lock the union's filing failed its foreign key at commit (a server error)."""
    from core.testing import second_while_first_open
    from federation import services
    from federation.models import Filing

    with pytest.raises(machine.FilingError, match="上级已撤回这项任务"):
        second_while_first_open(
            lambda: services.call_withdraw(call=plan_call, by=xianzong, reason="年度填错"),
            lambda: file_plan(plan_call, units["school"], school_plan, zhuxi),
        )
    assert not Filing.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_call_taken_back_while_a_union_files_waits_and_is_kept(plan_call, school_plan, units, xianzong, zhuxi):
    from core.testing import second_while_first_open
    from federation import services
    from federation.models import FilingCall

    with pytest.raises(services.FederationError, match="不能撤回"):
        second_while_first_open(
            lambda: file_plan(plan_call, units["school"], school_plan, zhuxi),
            lambda: services.call_withdraw(call=plan_call, by=xianzong, reason="年度填错"),
        )
    assert FilingCall.objects.get(pk=plan_call.pk).filings.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_chair_filing_from_the_call_page_as_it_is_withdrawn_is_told_and_sent_to_the_federation_page(
    client_for, plan_call, school_plan, units, xianzong, zhuxi
):
    from core.testing import second_while_first_open
    from federation import services

    client = client_for(zhuxi)
    url = reverse("federation:call", args=[plan_call.pk]) + f"?unit={units['school'].pk}"

    response = second_while_first_open(
        lambda: services.call_withdraw(call=plan_call, by=xianzong, reason="年度填错"), lambda: client.post(url)
    )

    assert response.status_code == 302 and response["Location"] == reverse("federation:index")
    assert "上级已撤回这项任务" in client.get(response["Location"]).content.decode()


def test_filing_a_plan_for_a_call_is_all_or_nothing(plan_call, units, zhuxi, monkeypatch):
    """The plan is filed with its snapshot by one service; a refusal on the way leaves no draft behind."""
    from federation import filing as filing_machine
    from federation import services as federation_services
    from federation.models import Filing
    from plans import services as plan_services

    with pytest.raises(filing_machine.FilingError, match="还没有可以报送的内容"):
        federation_services.record_file(call=plan_call, unit=units["school"], by=zhuxi)
    plan_services.plan_from_template(unit=units["school"], year=plan_call.year, template_key="school", user=zhuxi)

    def refused(**kwargs):
        raise filing_machine.FilingError("已报送，上级审阅前不能修改。")

    monkeypatch.setattr(filing_machine, "filing_file", refused)
    with pytest.raises(filing_machine.FilingError):
        federation_services.record_file(call=plan_call, unit=units["school"], by=zhuxi)
    assert not Filing.objects.filter(call=plan_call, unit=units["school"]).exists()
    monkeypatch.undo()
    filed = federation_services.record_file(call=plan_call, unit=units["school"], by=zhuxi)
    assert filed.status == "filed" and filed.versions.get().data["targets"]


def test_a_call_takes_filings_only_from_the_units_it_asks(plan_call, report_call, units, zhuxi, xiaozu):
    from federation import filing as filing_machine
    from federation import services as federation_services

    for refused in (
        lambda: federation_services.record_file(call=plan_call, unit=units["g1"], by=xiaozu),  # a group below
        lambda: federation_services.report_submit(call=report_call, unit=units["other"], values={}, by=zhuxi),
    ):
        with pytest.raises(filing_machine.FilingError, match="没有要求"):
            refused()


def test_the_county_reads_a_filed_target_as_the_plan_page_writes_it(
    client_for, plan_call, make_plan, units, zhuxi, xianzong
):
    plan = make_plan()
    plan.targets.create(name="会员入会率", measure="%", value=98)
    plan.targets.create(name="职工参加活动", measure="人次", value=300)
    filing = file_plan(plan_call, units["school"], plan, zhuxi)
    url = reverse("federation:filing", args=[filing.pk])
    page = client_for(xianzong).get(url).content.decode()
    # Was 不少于 98 % and 不少于 300 人次: a space inside the figure, unlike the plan's own page.
    assert "<li>会员入会率：不少于 98%</li>" in page and "<li>职工参加活动：不少于 300人次</li>" in page
    english = in_english(client_for(xianzong)).get(url).content.decode()
    assert "<li>会员入会率: 不少于 98 %</li>" in english  # the words as filed, the English layout
