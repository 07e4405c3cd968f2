"""Each filed version keeps the parent's decision on it: who sent it back or accepted it, when, and why,
shown on the filing's page to the reviewer and the filer beside the version that answers it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from federation import filing as machine
from federation.models import CallKind, FilingVersion, ReviewDecision

fill = importlib.import_module("federation.migrations.0004_fill_reviews_of_versions").fill

SENT_BACK_AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30))


def summary(text):
    return {"record": "summary", "title": "年度工会工作总结", "body": text}


@pytest.fixture
def filing(plan_call, units, zhuxi):
    """The school's summary filed once (on the plan call: the kind of call does not matter here)."""
    found = machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title="年度工会工作总结", call=plan_call)
    return machine.filing_file(filing=found, by=zhuxi, data=summary("一、概况"))


@pytest.fixture
def refiled(filing, zhuxi, xianzong):
    """Sent back by the county with a reason, filed again by the school."""
    machine.filing_return(filing=filing, by=xianzong, comment="请补充女职工工作", now=SENT_BACK_AT)
    return machine.filing_refile(filing=filing, by=zhuxi, data=summary("一、概况\n二、女职工工作"))


def test_a_version_sent_back_keeps_its_reason_after_the_school_files_again(refiled, xianzong):
    first, second = refiled.versions.order_by("number")
    assert (first.decision, first.reviewed_by, first.reviewed_at) == (ReviewDecision.RETURNED, xianzong, SENT_BACK_AT)
    assert first.comment == "请补充女职工工作"
    assert (second.decision, second.comment, second.reviewed_by) == ("", "", None)  # waiting for review
    assert refiled.comment == ""  # the filing itself says only what the latest review said


def test_accepting_the_new_version_is_recorded_on_it_and_the_send_back_stays(refiled, xianzong):
    machine.filing_accept(filing=refiled, by=xianzong, comment="同意")
    first, second = refiled.versions.order_by("number")
    assert (first.decision, first.comment) == (ReviewDecision.RETURNED, "请补充女职工工作")
    assert (second.decision, second.comment, second.reviewed_by) == (ReviewDecision.ACCEPTED, "同意", xianzong)


def test_the_county_reads_the_last_send_back_beside_the_version_that_answers_it(client_for, refiled, xianzong):
    page = client_for(xianzong).get(reverse("federation:filing", args=[refiled.pk])).content.decode()
    version = page.split('data-testid="filed-version"')[1].split('data-testid="history"')[0]
    beside = version.split('data-testid="previous-return"')[1].split('class="card-body"')[0]
    assert "第 1 版的退回意见" in beside and "请补充女职工工作" in beside and "陈志强退回" in beside
    history = page.split('data-testid="history"')[1]
    assert 'data-testid="review-of-1" data-decision="returned"' in history
    assert 'data-testid="review-of-2"' not in history  # not reviewed yet
    assert 'name="decision" value="return"' in page  # and the county can decide on the new version


def test_the_school_reads_the_same_history_and_reaches_it_from_its_call_page(
    client_for, filing, plan_call, xianzong, zhuxi
):
    machine.filing_return(filing=filing, by=xianzong, comment="请补充女职工工作")
    client = client_for(zhuxi)
    call_page = client.get(reverse("federation:call", args=[plan_call.pk])).content.decode()
    assert reverse("federation:filing", args=[filing.pk]) in call_page.split('data-testid="returned"')[1]
    page = client.get(reverse("federation:filing", args=[filing.pk])).content.decode()
    assert 'data-testid="review-of-1" data-decision="returned"' in page and "请补充女职工工作" in page
    assert 'name="decision"' not in page  # the school reads the decision, it does not take one


def test_an_accepted_filing_shows_who_accepted_it(client_for, filing, xianzong, zhuxi):
    machine.filing_accept(filing=filing, by=xianzong, comment="同意")
    page = client_for(zhuxi).get(reverse("federation:filing", args=[filing.pk])).content.decode()
    assert 'data-testid="review-of-1" data-decision="accepted"' in page and "陈志强采纳" in page
    assert 'data-testid="previous-return"' not in page


def test_the_filing_page_reads_the_same_number_of_queries_however_many_versions(
    client_for, filing, xianzong, zhuxi, django_assert_max_num_queries
):
    def page_queries():
        client = client_for(xianzong)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("federation:filing", args=[filing.pk])).status_code == 200
        return len(queries)

    machine.filing_return(filing=filing, by=xianzong, comment="第一次")
    machine.filing_refile(filing=filing, by=zhuxi)
    two_versions = page_queries()
    for round in range(4):
        machine.filing_return(filing=filing, by=xianzong, comment=f"第 {round + 2} 次")
        machine.filing_refile(filing=filing, by=zhuxi)
    assert filing.versions.count() == 6
    assert page_queries() == two_versions
    with django_assert_max_num_queries(15):
        client_for(xianzong).get(reverse("federation:filing", args=[filing.pk]))


def test_versions_filed_before_reviews_were_kept_on_them_get_what_is_known(refiled, filing, xianzong, zhuxi):
    accepted_at = SENT_BACK_AT + datetime.timedelta(days=3)
    machine.filing_accept(filing=refiled, by=xianzong, comment="同意", now=accepted_at)
    FilingVersion.objects.update(decision="", reviewed_at=None, reviewed_by=None, comment="")  # as before 0003
    fill(apps, None)
    fill(apps, None)  # twice: nothing overwritten
    first, second = refiled.versions.order_by("number")
    # The first was sent back (a school files again only then); by whom and why was not kept.
    assert (first.decision, first.reviewed_by, first.comment) == (ReviewDecision.RETURNED, None, "")
    assert (second.decision, second.reviewed_by, second.reviewed_at, second.comment) == (
        ReviewDecision.ACCEPTED,
        xianzong,
        accepted_at,
        "同意",
    )


def test_a_version_waiting_for_review_stays_undecided_after_the_fill(filing):
    fill(apps, None)
    assert filing.versions.get().decision == ""
