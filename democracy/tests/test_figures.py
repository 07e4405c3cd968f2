"""What democratic management gives the rest of the product: plan metrics, the summary's
paragraph, home cards and to-dos for representatives, handlers and the committee."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory

from core.figures import home_cards, metric_value, summary_sections
from core.todo import todos_for
from democracy.models import DisclosureItem, Rating
from democracy.services import proposals as svc
from democracy.tests.conftest import ROUTE_DAY, WINDOW_DAY


@pytest.fixture
def handled(session, daibiao, fellows, chuzhang):
    """Two accepted proposals: one answered on time and rated satisfied, one still open."""
    items = []
    for title in ("食堂", "停车"):
        proposal = svc.proposal_submit(
            session=session, author=daibiao, title=title, reasons="r", measures="m", today=WINDOW_DAY
        )
        for fellow in fellows[:2]:
            svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
        items.append(
            svc.proposal_vet(
                proposal=proposal,
                decision=svc.Decision.ACCEPT,
                by=None,
                today=ROUTE_DAY,
                routing={"category": "logistics", "handler": chuzhang, "department": "总务处"},
            )
        )
    svc.item_answer(proposal=items[0], by=chuzhang, text="已办", today=datetime.date(2025, 10, 9))
    svc.item_rate(proposal=items[0], by=daibiao, rating=Rating.SATISFIED, today=datetime.date(2025, 10, 9))
    return items


def test_plan_metrics(units, handled):
    county = units["county"]
    assert metric_value("democracy.proposals_on_time", unit=county, year=2025) == Decimal("100.0")
    assert metric_value("democracy.satisfaction", unit=county, year=2025) == Decimal("100.0")
    DisclosureItem.objects.create(
        unit=units["school"],
        title="a",
        category="finance",
        period="year",
        period_label="2025",
        due_on=datetime.date(2025, 3, 1),
        published_on=datetime.date(2025, 2, 28),
        content="c",
    )
    DisclosureItem.objects.create(
        unit=units["school"],
        title="b",
        category="finance",
        period="year",
        period_label="2025",
        due_on=datetime.date(2025, 4, 1),
    )
    assert metric_value("democracy.disclosure_on_time", unit=county, year=2025) == Decimal("50.0")
    assert metric_value("democracy.suggestions_adopted", unit=county, year=2025) == 0


def test_the_year_end_summary_has_a_paragraph_on_democratic_management(units, handled, chuzhang):
    [section] = [s for s in summary_sections(units["school"], 2025) if s.heading == "民主管理"]
    # One of the two is still being handled: the text says so, and claims no answer for every one.
    assert "收到代表提案2件" in section.paragraphs[-1] and "另有1件正在办理。" in section.paragraphs[-1]
    assert "条条有答复" not in section.paragraphs[-1]
    svc.item_answer(proposal=handled[1], by=chuzhang, text="已办", today=datetime.date(2025, 10, 20))
    [section] = [s for s in summary_sections(units["school"], 2025) if s.heading == "民主管理"]
    assert section.paragraphs[-1].endswith("做到条条有答复、件件有落实。")


def test_handler_and_representative_find_their_work_on_the_home_page_and_to_do_list(
    units, handled, chuzhang, daibiao, zhuxi
):
    request = RequestFactory().get("/")
    request.user = chuzhang
    titles = [c.title for c in home_cards(request, units["school"])]
    assert "待答复提案和建议" in titles
    kinds = [t.kind for t in todos_for(chuzhang, today=datetime.date(2025, 11, 30))]
    assert kinds == ["democracy.answer"]
    assert todos_for(chuzhang, today=datetime.date(2025, 11, 30))[0].urgent  # past its deadline
    request.user = daibiao
    assert "代表工作" in [c.title for c in home_cards(request, units["g1"])]


def test_the_committee_sees_what_waits_for_vetting(units, session, daibiao, fellows, zhuxi):
    proposal = svc.proposal_submit(
        session=session, author=daibiao, title="新提案", reasons="r", measures="m", today=WINDOW_DAY
    )
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    request = RequestFactory().get("/")
    request.user = zhuxi
    [card] = [c for c in home_cards(request, units["school"]) if c.title == "民主管理"]
    assert any("待审查" in text for text, _url in card.todos)
    assert [t.kind for t in todos_for(zhuxi, today=WINDOW_DAY) if t.kind.startswith("democracy")] == ["democracy.vet"]


def test_home_cards_keep_to_a_bounded_number_of_queries(units, handled, zhuxi, django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = zhuxi
    from democracy.figures import democracy_cards

    with django_assert_max_num_queries(12):
        democracy_cards(request, units["school"])
