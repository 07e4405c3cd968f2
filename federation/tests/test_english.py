"""Every federation page reads fully in English when the switch says so (records named in ASCII)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from core.models import Notification
from core.notifications import notify
from core.testing import in_english, untranslated
from federation import filing as machine
from federation import services
from federation.models import CallKind
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role
from plans.models import Plan


@pytest.fixture
def ascii_county(db):
    county = OrgUnit.objects.add_root({"code": "c", "name": "Qinghe County", "kind": UnitKind.FEDERATION})
    school = OrgUnit.objects.add_child(county, {"code": "s", "name": "Central School", "kind": UnitKind.UNION})
    officer = make_person("officer", "Chen", county, Role.FEDERATION_VIEWER)
    chair = make_person("chair", "Wang", school, Role.CHAIR)
    due = timezone.localdate() + datetime.timedelta(days=9)
    year = due.year
    report = services.call_issue(
        unit=county,
        kind=CallKind.REPORT,
        year=year,
        title="Yearly statistics",
        due=due,
        by=officer,
        today=timezone.localdate(),
        fields=[services.FieldSpec("Members", "members.count", "p"), services.FieldSpec("Women", "", "p")],
    )
    plan_call = services.call_issue(
        unit=county, kind=CallKind.PLAN, year=year, title="Plans", due=due, by=officer, today=timezone.localdate()
    )
    county_plan = Plan.objects.create(unit=county, year=year, title="County plan")
    target = county_plan.targets.create(name="New members", measure="p", value=20)
    handed = services.target_hand_down(target=target, default_value=5)
    plan = Plan.objects.create(unit=school, year=year, title="School plan")
    filing = machine.filing_for(kind=CallKind.PLAN, unit=school, title="School plan", call=plan_call)
    machine.filing_return(
        filing=machine.filing_file(filing=filing, by=chair, data=PLAN_FILED),
        by=officer,
        comment="More detail",
    )
    notify(chair, text="Hello", url="/")
    return locals()


# A plan as filed: its targets and month schedule read with the reader's colon and brackets.
PLAN_FILED = {
    "record": "plan",
    "title": "School plan",
    "targets": [["New members", ">=", "5", "p"]],
    "schedule": [[2, "Sports day", "Li"], [None, "Dues", ""]],
}


def ours(url, html):
    """The page's main content (the shared navbar lists other apps' modules); on the home page, the
    part above other apps' cards (to-dos and units below)."""
    main = html.split('id="content"')[1].split("</main>")[0] if 'id="content"' in html else html  # a fragment
    # The metric choices are every app's own labels, checked by those apps.
    main = re.sub(r'(<select name="fields-\d+-metric"[^>]*>).*?</select>', r"\1</select>", main, flags=re.S)
    return main.split('data-testid="home-card"')[0] if url == reverse("workbench:home") else main


def test_federation_pages_have_no_untranslated_text(client, ascii_county):
    data = ascii_county
    client.force_login(data["officer"])
    in_english(client)
    officer_urls = [
        reverse("workbench:home"),
        reverse("workbench:home_todos"),
        reverse("workbench:home_units"),
        reverse("workbench:todo"),
        reverse("federation:index"),
        reverse("federation:units"),
        reverse("federation:unit", args=[data["school"].pk]),
        reverse("federation:call_new"),
        reverse("federation:call", args=[data["report"].pk]),
        reverse("federation:call", args=[data["plan_call"].pk]),
        reverse("federation:call_edit", args=[data["plan_call"].pk]),
        reverse("federation:filing", args=[data["filing"].pk]),
        reverse("federation:targets"),
        reverse("federation:target", args=[data["handed"].pk]),
        reverse("federation:tokens"),
    ]
    for url in officer_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = ours(url, response.content.decode())
        assert untranslated(html) == [], (url, untranslated(html))
    # The filed plan's schedule names its months as English does (it read "Month 2: Sports day").
    assert "February: Sports day" in client.get(reverse("federation:filing", args=[data["filing"].pk])).content.decode()
    # A message is stored in the language it was sent in; the page around it is checked empty.
    Notification.objects.all().delete()
    html = ours("", client.get(reverse("federation:notifications")).content.decode())
    assert untranslated(html) == [], untranslated(html)
    client.force_login(data["chair"])
    in_english(client)
    for url in (
        reverse("workbench:home"),
        reverse("workbench:home_todos"),
        reverse("workbench:todo"),
        reverse("federation:index"),
        reverse("federation:call", args=[data["report"].pk]),
        reverse("federation:call", args=[data["plan_call"].pk]),
    ):  # (not the notifications page: a message is stored in the language it was sent in)
        html = ours(url, client.get(url).content.decode())
        assert untranslated(html) == [], (url, untranslated(html))


def test_the_review_history_reads_in_english_to_the_officer_and_the_chair(client, ascii_county):
    data = ascii_county
    machine.filing_refile(filing=data["filing"], by=data["chair"], data=PLAN_FILED)
    url = reverse("federation:filing", args=[data["filing"].pk])
    for person in (data["officer"], data["chair"]):
        client.force_login(person)
        html = ours(url, in_english(client).get(url).content.decode())
        assert untranslated(html) == [], untranslated(html)
        assert "Why version 1 was sent back" in html and "sent back by Chen" in html and "More detail" in html
