"""Every page opens for the people it is for, in Chinese and in English (nothing left untranslated)."""

import datetime

import pytest
from django.urls import reverse

from core.testing import in_english, untranslated
from democracy.services import ballots as ballot_svc
from democracy.services import notices as notice_svc
from democracy.services import proposals as svc
from democracy.tests.conftest import WINDOW_DAY


@pytest.fixture
def world(session, daibiao, fellows, chuzhang, zhuxi, units):
    proposal = svc.proposal_submit(
        session=session, author=daibiao, title="食堂", reasons="r", measures="m", today=WINDOW_DAY
    )
    ballot = ballot_svc.ballot_create(unit=units["school"], title="评选", candidates=["甲", "乙"], scrutineers=[zhuxi])
    ballot_svc.ballot_open(ballot=ballot)
    draft = ballot_svc.ballot_create(unit=units["school"], title="评选二", candidates=["丙"], scrutineers=[zhuxi])
    notice = notice_svc.notice_publish(
        unit=units["school"], title="公示", body="内容", by=zhuxi, today=datetime.date(2025, 9, 1)
    )
    representative = session.congress.representatives.first()
    return {
        "proposal": proposal,
        "ballot": ballot,
        "draft": draft,
        "notice": notice,
        "session": session,
        "rep": representative,
    }


def chair_pages(world):
    s, p, b, n = world["session"], world["proposal"], world["ballot"], world["notice"]
    return [
        reverse("democracy:index"),
        reverse("democracy:congresses"),
        reverse("democracy:congress_create"),
        reverse("democracy:congress", args=[s.congress_id]) + "?q=So",
        reverse("democracy:session_create", args=[s.congress_id]),
        reverse("democracy:congress_edit", args=[s.congress_id]),
        reverse("democracy:representative", args=[world["rep"].pk]),
        reverse("democracy:session", args=[s.pk]),
        reverse("democracy:session_edit", args=[s.pk]),
        reverse("democracy:session_close", args=[s.pk]),
        reverse("democracy:representative_code", args=[world["rep"].token]),
        reverse("democracy:proposals"),
        reverse("democracy:proposals") + "?status=overdue",
        reverse("democracy:proposal", args=[p.pk]),
        reverse("democracy:statistics"),
        reverse("democracy:commendation"),
        reverse("democracy:suggestion_create"),
        reverse("democracy:ballots"),
        reverse("democracy:ballot_create"),
        reverse("democracy:ballot", args=[b.pk]),
        reverse("democracy:ballot", args=[world["draft"].pk]),
        reverse("democracy:ballot_edit", args=[world["draft"].pk]),
        reverse("democracy:notices"),
        reverse("democracy:notice_create"),
        reverse("democracy:notice", args=[n.pk]),
        reverse("democracy:disclosure"),
        reverse("democracy:disclosure_create"),
        reverse("democracy:opinions"),
        reverse("democracy:opinion_inbox"),
        reverse("democracy:public_board", args=["demo-school"]),
    ]


def test_every_page_opens_for_the_chair(client_for, zhuxi, world):
    client = client_for(zhuxi)
    for url in chair_pages(world):
        assert client.get(url).status_code == 200, url


def test_a_representatives_pages_open(client_for, daibiao, world, session):
    client = client_for(daibiao)
    for url in [
        reverse("democracy:index"),
        reverse("democracy:proposal_create", args=[session.pk]),
        reverse("democracy:my_code"),
        reverse("democracy:my_code_svg"),
        reverse("democracy:proposal", args=[world["proposal"].pk]),
        reverse("democracy:similar") + "?title=改善食堂午餐",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_menu_leads_members_and_representatives_to_democracy(client_for, daibiao, huiyuan, units, world):
    """daibiao reached her proposals only through her home page's card: members hold democracy.propose (their
    proposals and suggestions, ballots, notices, the opinion box), not the officers' democracy.view, and the
    menu showed 民主管理 for democracy.view alone. Someone with neither still does not see it."""
    from conftest import make_person
    from orgs.roles import Role

    link = f'href="{reverse("democracy:index")}"'
    for person in (daibiao, huiyuan):
        client = client_for(person)
        assert link in client.get("/").content.decode(), person.username
        assert client.get(reverse("democracy:index")).status_code == 200
    inspector = make_person("jiancha", "劳动保护监督员", units["school"], Role.SAFETY_INSPECTOR)
    assert link not in client_for(inspector).get("/").content.decode()


def test_pages_in_english_leave_nothing_untranslated(client_for, zhuxi, world, units):
    """With ASCII-named records, any Chinese left on a page is a string without English."""
    from django.contrib.auth import get_user_model

    from democracy.models import Candidate, Notice, Proposal
    from members.models import Member
    from orgs.models import OrgUnit

    OrgUnit.objects.update(name="Unit", short_name="Unit")
    get_user_model().objects.update(full_name="Someone")
    Member.objects.update(name="Someone")
    Proposal.objects.update(title="Canteen", reasons="Reasons", measures="Measures")
    Candidate.objects.update(name="Candidate")
    Notice.objects.update(title="Notice", body="Text")
    world["session"].__class__.objects.update(agenda="Report")
    world["ballot"].__class__.objects.update(title="Award")
    client = in_english(client_for(zhuxi))
    for url in chair_pages(world):
        # The page's own content: the shared navbar is translated by the apps that own its links.
        html = client.get(url).content.decode().split("<main", 1)[-1].split("</main>", 1)[0]
        assert untranslated(html) == [], (url, untranslated(html))


def test_english_reads_one_co_signer_and_a_routed_proposals_labels_with_plain_colons(
    client_for, zhuxi, world, fellows, chuzhang
):
    from django.contrib.auth import get_user_model

    from democracy.models import Category

    svc.proposal_cosign(proposal=world["proposal"], user=fellows[0], today=WINDOW_DAY)
    client = in_english(client_for(zhuxi))
    assert "· 1 co-signer<" in client.get(reverse("democracy:proposals")).content.decode()
    svc.proposal_cosign(proposal=world["proposal"], user=fellows[1], today=WINDOW_DAY)
    routing = {"category": Category.LOGISTICS, "handler": chuzhang, "department": "Office", "co_handlers": [zhuxi]}
    svc.proposal_vet(
        proposal=world["proposal"], decision=svc.Decision.ACCEPT, by=None, today=WINDOW_DAY, routing=routing
    )
    get_user_model().objects.update(full_name="Someone")
    html = client.get(reverse("democracy:proposal", args=[world["proposal"].pk])).content.decode()
    assert "Lead: Office Someone" in html and "Assisting: Someone" in html and "Due: " in html
