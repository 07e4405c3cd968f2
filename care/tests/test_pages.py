"""Every care page renders for the care officer with a bounded number of queries, in Chinese and English."""

import datetime
from decimal import Decimal

import pytest

from care import services
from care.models import InsuranceProduct, Pairing
from care.tests.conftest import TODAY, give
from core.testing import in_english, untranslated

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(units, bangfu, zhuxi, add_household, add_member):
    """Enough of everything that a query per row would show."""
    files = [add_household(f"Hh{i}", level=["deep", "relative", "accident"][i % 3], situation="Ill") for i in range(15)]
    for h in files[:10]:
        give(by=bangfu, household=h, amount="1200")  # pending: above the default threshold
    for i in range(15):
        add_member(f"Member{i}", birth=datetime.date(1980, 3, 1 + i))
    c = services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=TODAY,
        kind="spring",
        title="Spring visits",
        year=2027,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=20),
        levels=["deep", "relative", "accident"],
    )
    services.campaign_split(campaign=c, officers=[bangfu, zhuxi])
    product = InsuranceProduct.objects.create(
        unit=units["school"], name="Women's insurance", premium=Decimal(30), women_only=True
    )
    for i in range(12):
        pairing = Pairing.objects.create(unit=units["g1"], helper=f"H{i}", helped=f"P{i}", started_on=TODAY)
        services.pairing_contact_add(pairing=pairing, by=bangfu, on=TODAY, how="phone", note="ok")
        services.case_submit(
            unit=units["g1"],
            name=f"W{i}",
            phone="13800000000",
            category="wages",
            account="x",
            now=__import__("django.utils.timezone", fromlist=["now"]).now(),
        )
    from care.models import RightsCase

    visit = services.visit_record(
        unit=units["g1"],
        by=bangfu,
        person="Member0",
        kind="sickness",
        visited_on=TODAY,
        visitors="Officer",
        note="ok",
        today=TODAY,
    )
    from care.models import FamilyMember

    return {
        "relative": FamilyMember.objects.create(household=files[0], name="Kid", relation="Child", health="Fine"),
        "visit": visit,
        "household": files[0],
        "campaign": c,
        "product": product,
        "pairing": pairing,
        "case": RightsCase.objects.first(),
    }


PAGES = [
    "/care/",
    "/care/households/",
    "/care/households/?list=due",
    "/care/households/?list=never",
    "/care/households/new/",
    "/care/households/import/",
    "/care/assistance/",
    "/care/assistance/new/",
    "/care/settings/",
    "/care/campaigns/",
    "/care/campaigns/new/",
    "/care/visits/",
    "/care/visits/new/",
    "/care/tags/",
    "/care/pairings/",
    "/care/pairings/?ended=1",
    "/care/pairings/new/",
    "/care/insurance/",
    "/care/insurance/new/",
    "/care/women/",
    "/care/cases/",
    "/care/cases/new/",
    "/care/rollup/",
    "/",
]


def _detail_pages(many):
    return [
        f"/care/households/{many['household'].pk}/",
        f"/care/households/{many['household'].pk}/edit/",
        f"/care/households/{many['household'].pk}/review/",
        f"/care/households/{many['household'].pk}/family/",
        f"/care/households/{many['household'].pk}/attachments/",
        f"/care/households/{many['household'].pk}/delete/",
        f"/care/assistance/{many['household'].assistance.first().pk}/",
        f"/care/campaigns/{many['campaign'].pk}/close/",
        f"/care/cases/{many['case'].pk}/",
        f"/care/campaigns/{many['campaign'].pk}/",
        f"/care/campaigns/{many['campaign'].pk}/signoff/",
        f"/care/insurance/{many['product'].pk}/",
        f"/care/pairings/{many['pairing'].pk}/",
        f"/care/entries/{many['campaign'].entries.first().pk}/",
        f"/care/visits/{many['visit'].pk}/",
        f"/care/visits/{many['visit'].pk}/edit/",
        f"/care/family/{many['relative'].pk}/edit/",
    ]


def test_every_page_renders_with_a_bounded_number_of_queries(many, bangfu, client_for, django_assert_max_num_queries):
    client = client_for(bangfu)
    for url in PAGES + _detail_pages(many):
        # The home page also carries every other app's cards and to-dos; ours are a few queries of it.
        with django_assert_max_num_queries(80 if url == "/" else 40):
            response = client.get(url)
        assert response.status_code == 200, url


def test_pages_in_english_leave_no_chinese(many, bangfu, client_for):
    from django.contrib.auth import get_user_model

    from orgs.models import OrgUnit

    # ASCII names for the records, so that any Chinese left is an untranslated string.
    for unit in OrgUnit.objects.all():
        OrgUnit.objects.filter(pk=unit.pk).update(name=unit.code, short_name=unit.code)
    get_user_model().objects.update(full_name="Officer")
    client = in_english(client_for(bangfu))
    for url in PAGES + _detail_pages(many):
        if url == "/":
            continue
        html = client.get(url).content.decode()
        # Only our part of the page: other apps' menu entries are theirs to translate.
        main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
        assert untranslated(main) == [], url


def test_the_care_officers_home_page_is_her_work(many, bangfu, units, client_for, rf):
    from care.figures import care_cards
    from core.figures import home_cards

    html = client_for(bangfu).get("/").content.decode()
    assert "困难职工档案" in html and "Spring visits" in html and "走访提醒" in html
    assert "我负责的慰问名单" in html
    request = rf.get("/")
    request.user = bangfu
    first = [c.title for c in home_cards(request, units["school"])][:3]
    assert first == [c.title for c in care_cards(request, units["school"])]  # her work comes first


def test_a_federation_care_officer_gets_no_visit_reminders_for_the_members_of_its_unions(many, bangfu, units, rf):
    """Members are visited by their own unions; a county's (or a province's) home lists none."""
    from django.contrib.auth import get_user_model

    from care.figures import care_cards
    from orgs.models import RoleAssignment
    from orgs.roles import Role

    officer = get_user_model().objects.create_user("county-care", password="x")
    RoleAssignment.objects.create(user=officer, unit=units["county"], role=Role.CARE_OFFICER)
    request = rf.get("/")
    request.user = officer
    titles = [c.title for c in care_cards(request, units["county"])]
    assert "困难职工档案" in titles and "走访提醒" not in titles
    request.user = bangfu
    assert "走访提醒" in [c.title for c in care_cards(request, units["school"])]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _unions_with_files(units, bangfu, first, count):
    from django.utils import timezone

    from care.tests.conftest import make_id
    from orgs.models import OrgUnit, UnitKind

    for i in range(first, first + count):
        union = OrgUnit.objects.add_child(units["county"], {"code": f"u{i}", "name": f"U{i}", "kind": UnitKind.UNION})
        household = services.household_create(
            unit=union,
            by=bangfu,
            name=f"H{i}",
            id_number=make_id(datetime.date(1981, 1, 1), "M"),
            level="deep",
            categories=["illness"],
            situation="x",
            today=timezone.localdate(),
        )
        give(by=bangfu, household=household, on=timezone.localdate())


def test_the_rollup_and_the_read_log_do_not_grow_with_units_or_rows(
    units, bangfu, zhuxi, xianzong, add_household, client_for
):
    from rollups.refresh import refresh

    federation = client_for(xianzong)
    _unions_with_files(units, bangfu, 0, 3)
    refresh()
    few = _queries(federation, "/care/rollup/")
    _unions_with_files(units, bangfu, 3, 25)
    refresh()  # the federation's page reads the roll-ups (care.rollup), refreshed by the worker
    assert _queries(federation, "/care/rollup/") == few
    assert federation.get("/care/rollup/").content.decode().count("¥500.00") >= 28

    chair = client_for(zhuxi)
    for i in range(3):
        chair.get(f"/care/households/{add_household(f'S{i}').pk}/")
    few = _queries(chair, "/care/log/")
    for i in range(3, 30):
        chair.get(f"/care/households/{add_household(f'S{i}').pk}/")
    assert _queries(chair, "/care/log/") == few


def test_the_rollup_s_rows_add_up_to_its_total_with_the_union_s_own_records(units, bangfu, add_household, client_for):
    """The union's own file, payment and case (recorded on the union, not a group) are its 本级 row."""
    from django.utils import timezone

    today, now = timezone.localdate(), timezone.now()
    own = add_household("本", unit="school", today=today)
    grouped = add_household("组", unit="g1", level="relative", today=today)
    lifted = add_household("脱", unit="g2", level="accident", today=today)
    services.household_lift(household=lifted, by=bangfu, on=today, reason="收入稳定", today=today)
    give(by=bangfu, household=own, amount="300", on=today)
    give(by=bangfu, household=grouped, amount="500", on=today)
    case = services.case_submit(
        unit=units["school"], name="贾", phone="13803190000", category="wages", account="x", now=now
    )
    services.case_close(case=case, by=bangfu, on=today, outcome="已结清", recovered=Decimal("1200"))
    services.case_submit(unit=units["g1"], name="李", phone="13803190001", category="wages", account="x", now=now)

    response = client_for(bangfu).get("/care/rollup/")

    total, own_row, rows = response.context["total"], response.context["own"], response.context["rows"]
    every = [own_row, *(figures for _unit, figures in rows)]
    for column in ("households", "lifted", "amount", "cases", "recovered"):
        assert sum(getattr(f, column) for f in every) == getattr(total, column), column
    for level, n in total.by_level.items():
        assert sum(f.by_level[level] for f in every) == n, level
    assert (own_row.households, own_row.amount, own_row.cases, own_row.recovered) == (1, 300, 1, 1200)
    assert "（本级）" in response.content.decode()


def test_the_federation_s_rollup_reads_the_roll_ups_as_of_their_refresh(
    units, bangfu, xianzong, add_household, client_for, django_assert_max_num_queries
):
    """The county's 帮扶统计 reads care.rollup's stored figures, a few queries whatever its subtree holds:
    a payment shows once the worker has refreshed them, and the page says when that was (截至)."""
    from django.utils import timezone

    from rollups.refresh import refresh

    today = timezone.localdate()
    give(by=bangfu, household=add_household("组", unit="g1", today=today), amount="500", on=today, purpose="songnuan")
    client = client_for(xianzong)
    refresh()
    with django_assert_max_num_queries(12):
        response = client.get("/care/rollup/")
    total = response.context["total"]
    assert (total.households, total.given, total.songnuan) == (1, 1, 1)
    assert total.amount == Decimal("500.00")
    assert response.context["own"].households == 0
    assert [f.households for child, f in response.context["rows"] if child.pk == units["school"].pk] == [1]
    assert 'data-testid="as-of"' in response.content.decode()

    give(by=bangfu, household=add_household("后", unit="g1", today=today), amount="300", on=today)
    assert client.get("/care/rollup/").context["total"].amount == Decimal("500.00")  # until the refresh
    refresh()
    assert client.get("/care/rollup/").context["total"].amount == Decimal("800.00")


@pytest.mark.parametrize("url", ["/", "/care/", "/care/visits/"])
def test_birthday_and_retirement_reminders_read_the_subtrees_units_once_per_page(url, bangfu, client_for):
    """Both reminders walk the same subtree's members (care.reminders._members): the page reads which
    units are in it once, not once for each list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(bangfu)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    subtree_reads = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "orgs_orgunit"."id" AS "id" FROM "orgs_orgunit" WHERE')
    ]
    assert len(subtree_reads) == 1, subtree_reads


def test_the_visits_page_writes_birthdays_and_retirements_as_the_home_card_does(add_member, bangfu, client_for):
    """ "12月10日生日" and "2027年1月退休", as the home page's card and the care start page say them, not
    "12-10" and "2027-01" beside "2026年8月7日起病休" on the same page."""
    from django.utils import dateformat, timezone

    soon = timezone.localdate() + datetime.timedelta(days=3)
    add_member("唐明", gender="M", birth=datetime.date(1980, soon.month, soon.day))
    html = client_for(bangfu).get("/care/visits/").content.decode()
    assert f"{dateformat.format(soon, 'n月j日')}生日" in html
    assert f"· {soon:%m-%d}<" not in html
