"""The to-do registry: each source's items appear while there is work and disappear when it is done."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from core.todo import Todo, _sources, todo_source, todos_for
from federation import filing as machine
from federation import services
from federation.models import CallKind
from federation.tests.conftest import PLAN_DUE, TODAY, YEAR


def kinds(user, today=TODAY):
    return [t.kind for t in todos_for(user, today=today)]


@pytest.fixture
def extra_source():
    """A later app's source, registered the way every app registers its own."""
    done = set()

    @todo_source
    def proposals(user, *, today):
        if user.username != "zhuxi" or "answered" in done:
            return []
        return [Todo(kind="democracy.answer", title="答复提案：食堂", url="/democracy/1/", due=today)]

    yield done
    _sources.remove(proposals)


def test_a_registered_source_appears_and_disappears_when_done(extra_source, zhuxi, xiaozu):
    assert "democracy.answer" in kinds(zhuxi) and "democracy.answer" not in kinds(xiaozu)
    extra_source.add("answered")
    assert "democracy.answer" not in kinds(zhuxi)


def test_a_call_is_a_to_do_of_each_unit_below_until_filed(report_call, units, zhuxi, jiguan, xianzong, xiaozu):
    assert "federation.report.due" in kinds(zhuxi) and "federation.report.due" in kinds(jiguan)
    assert "federation.report.due" not in kinds(xiaozu) and "federation.report.due" not in kinds(xianzong)
    members, women = report_call.fields.all()
    filing = services.report_submit(
        call=report_call, unit=units["school"], values={members.key: "1", women.key: "1"}, by=zhuxi
    )
    assert "federation.report.due" not in kinds(zhuxi)
    assert "federation.report.review" in kinds(xianzong)
    machine.filing_return(filing=filing, by=xianzong, comment="请核对")
    todos = todos_for(zhuxi, today=TODAY)
    assert todos[0].kind == "federation.report.returned" and todos[0].urgent  # returned work comes first
    assert "请核对" in todos[0].title
    assert "federation.report.due" not in kinds(zhuxi)  # the send-back is the one to-do, not the call again
    assert "federation.report.review" not in kinds(xianzong)


def test_a_summary_sent_back_is_one_to_do_on_the_list_the_badge_and_the_home_card(client_for, units, zhuxi, xianzong):
    from plans.models import YearSummary

    call = services.call_issue(
        unit=units["county"],
        kind=CallKind.SUMMARY,
        year=YEAR,
        title="2026年度工作总结报备",
        due=PLAN_DUE,
        by=xianzong,
        today=TODAY,
    )
    YearSummary.objects.create(unit=units["school"], year=YEAR, title="年度工会工作总结", body="一、概况")
    client = client_for(zhuxi)
    client.post(reverse("federation:call", args=[call.pk]) + f"?unit={units['school'].pk}")
    filing = call.filings.get()
    client_for(xianzong).post(
        reverse("federation:filing_review", args=[filing.pk]), {"decision": "return", "comment": "补充女职工工作"}
    )

    client = client_for(zhuxi)
    assert [t.title for t in todos_for(zhuxi, today=TODAY)] == [
        "修改后重新报送：年度工会工作总结（退回意见：补充女职工工作）"
    ]
    page = client.get(reverse("workbench:todo")).content.decode()
    assert "修改后重新报送：年度工会工作总结" in page and "报送：2026年度工作总结报备" not in page
    assert 'data-testid="todo-count">1<' in client.get(reverse("workbench:todo_count")).content.decode()
    card = client.get(reverse("workbench:home_todos")).content.decode()
    assert 'data-testid="todo-count">1<' in card and "报送：2026年度工作总结报备" not in card

    client.post(reverse("federation:call", args=[call.pk]) + f"?unit={units['school'].pk}")  # filed again
    assert kinds(zhuxi) == []


def test_a_call_past_its_deadline_is_urgent(report_call, zhuxi):
    later = report_call.due + datetime.timedelta(days=1)
    todo = next(t for t in todos_for(zhuxi, today=later) if t.kind == "federation.report.due")
    assert todo.urgent and todo.due == report_call.due


def test_the_todo_page_and_the_navbar_count(client_for, report_call, zhuxi):
    client = client_for(zhuxi)
    page = client.get(reverse("workbench:todo")).content.decode()
    assert "报送：基层工会统计年报" in page
    assert 'data-testid="todo-count">1<' in client.get(reverse("workbench:todo_count")).content.decode()


def test_the_home_pages_to_do_card_brings_the_navbar_count_along(client_for, report_call, zhuxi):
    client = client_for(zhuxi)
    home = client.get(reverse("workbench:home")).content.decode()
    badge = home.split('id="todo-badge"')[1].split(">")[0]
    assert "hx-get" not in badge  # on the home page the count comes with the to-do card: read once, not twice
    card = client.get(reverse("workbench:home_todos")).content.decode()
    assert "报送：基层工会统计年报" in card.split('data-testid="home-todos"')[1]
    assert '<span id="todo-badge" hx-swap-oob="true">' in card and 'data-testid="todo-count">1<' in card
    # This home page shows cards, so it has no empty state for the card to remove (htmx would report a
    # swap without a target in the browser's console).
    assert 'id="home-empty"' not in home and "home-empty" not in card


def test_a_home_page_without_cards_drops_its_empty_state_once_to_dos_arrive(client_for, report_call, zhuxi):
    client = client_for(zhuxi)
    with mock.patch("workbench.views.home_cards", return_value=[]):  # a unit with nothing recorded yet
        home = client.get(reverse("workbench:home")).content.decode()
    assert 'id="home-empty"' in home
    loader = home.split('data-testid="home-todos-loading"')[0].rsplit('hx-get="', 1)[1].split('"')[0]
    assert 'id="home-empty" hx-swap-oob="delete"' in client.get(loader).content.decode()


def test_a_home_page_without_to_dos_drops_the_loading_line_and_shows_no_count(client_for, huiyuan):
    card = client_for(huiyuan).get(reverse("workbench:home_todos")).content.decode()
    assert "home-todos" not in card and "todo-count" not in card
    assert '<span id="todo-badge" hx-swap-oob="true"></span>' in card


def test_an_empty_todo_page_says_what_will_appear(client_for, huiyuan):
    assert "没有待办事项" in client_for(huiyuan).get(reverse("workbench:todo")).content.decode()
    assert client_for(huiyuan).get(reverse("workbench:todo_count")).content == b""


def test_a_group_leaders_items_this_month_are_his_to_dos_until_done(units, xiaozu, zhuxi, make_plan):
    from plans.models import ItemStatus, PlanStatus

    plan = make_plan(status=PlanStatus.PUBLISHED)
    item = plan.items.create(unit=units["g1"], month=TODAY.month, text="组织读书分享会")
    plan.items.create(unit=units["g2"], month=TODAY.month, text="西街的事项")
    todos = [t for t in todos_for(xiaozu, today=TODAY) if t.kind == "plans.item_due"]
    assert [t.title for t in todos] == ["完成计划事项：组织读书分享会"]
    item.status = ItemStatus.DONE
    item.save()
    assert "plans.item_due" not in kinds(xiaozu)


def test_a_transfer_into_the_union_waits_for_its_chair(units, zhuxi, jiguan):
    from members.models import Member, Transfer

    member = Member.objects.create(unit=units["office"], name="张伟", gender="M")
    Transfer.objects.create(
        member=member, from_unit=units["office"], to_unit=units["school"], reason="调动", started_by=jiguan
    )
    assert "members.transfer_incoming" in kinds(zhuxi) and "members.transfer_incoming" not in kinds(jiguan)


def test_a_groups_summary_waits_for_review_by_the_schools_activity_officers(units, xiaozu, zhuxi, weiyuan, xianzong):
    from django.utils import timezone

    from activities.models import Activity, Status
    from activities.services import summary_save, summary_submit

    activity = Activity.objects.create(
        unit=units["g1"], title="拔河", starts_at=timezone.now(), status=Status.HELD, created_by=zhuxi
    )
    summary_submit(summary=summary_save(activity=activity, text="总结", by=xiaozu), by=xiaozu)
    assert "activities.summary.review" in kinds(zhuxi)
    assert "activities.summary.review" in kinds(weiyuan)  # a committee member organises activities too
    assert "activities.summary.review" not in kinds(xianzong)  # not the county's to review


def test_a_long_list_says_how_many_more_there_really_are(units, zhuxi):
    """Twenty are listed, the twentieth saying how many more: it read "还有 2 项" however many were due."""
    from federation.todos import LISTED, plan_items_due
    from plans.models import Plan, PlanStatus, ScheduleItem

    plan = Plan.objects.create(unit=units["school"], year=YEAR, title="计划", status=PlanStatus.PUBLISHED)
    ScheduleItem.objects.bulk_create(
        ScheduleItem(plan=plan, unit=units["school"], month=1, order=n, text=f"事项{n}") for n in range(35)
    )
    listed = plan_items_due(zhuxi, today=datetime.date(YEAR, 12, 6))
    assert len(listed) == LISTED and listed[-1].title == f"还有 {35 - LISTED + 1} 项计划事项"
