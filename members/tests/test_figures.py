import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from core import figures, idnumber
from members.models import Gender, Member, Status
from rollups.refresh import refresh


def test_metrics_of_a_subtree(units, make_member):
    this_year = timezone.localdate().year
    make_member("张伟", "g1", joined_on=datetime.date(this_year, 3, 1))
    make_member("李娜", "g2", gender="F")
    make_member("王芳", "g2", gender="F", status=Status.LEFT)
    make_member("赵强", "office")
    school = units["school"]
    assert figures.metric_value("members.count", unit=school, year=this_year) == 2
    assert figures.metric_value("members.membership_rate", unit=school, year=this_year) == Decimal("2.7")  # 2 / 75
    assert figures.metric_value("members.joined", unit=school, year=this_year) == 1
    assert figures.metric_value("members.women_share", unit=school, year=this_year) == Decimal("50.0")


def test_metrics_take_a_bounded_number_of_queries(units, make_member, django_assert_max_num_queries):
    for n in range(20):
        make_member(f"会员{n}", "g1" if n % 2 else "g2", gender="F" if n % 3 else "M")
    for key in ("members.count", "members.membership_rate", "members.joined", "members.women_share"):
        with django_assert_max_num_queries(2):
            figures.metric_value(key, unit=units["school"], year=2026)


def test_home_card_for_officers_only(units, zhuxi, huiyuan, make_member):
    make_member("张伟", "g1")
    refresh()
    request = RequestFactory().get("/")
    request.user = zhuxi
    (card,) = [c for c in figures.home_cards(request, units["school"]) if c.title == "会员"]
    assert card.value == "1 人"
    request.user = huiyuan
    assert not [c for c in figures.home_cards(request, units["g1"]) if c.title == "会员"]


def test_year_end_summary_section(units, make_member):
    year = timezone.localdate().year
    make_member("张伟", "g1", joined_on=datetime.date(year, 3, 1))
    sections = [s for s in figures.summary_sections(units["school"], year) if s.heading == "会员发展"]
    assert "新入会1人" in sections[0].paragraphs[1]


def test_demo_rosters(settings, db):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    school = Member.objects.in_subtree(units_by_code("demo-school"))
    assert 130 <= school.count() <= 170
    women = school.filter(gender=Gender.FEMALE).count() / school.count()
    assert 0.55 <= women <= 0.75
    for member in school:
        parsed = idnumber.parse(member.id_number)
        assert (parsed.birth_date, parsed.gender) == (member.birth_date, member.gender)
    assert school.filter(status=Status.RETIRED).exists() and school.filter(status=Status.LEFT).exists()
    for username, code in [
        ("zhuxi", "demo-school"),
        ("xiaozu", "demo-school-g2"),
        ("bangfu", "demo-school"),
        ("huiyuan", "demo-school-g2"),
    ]:
        assert Member.objects.get(user__username=username).unit.code == code
    assert Member.objects.in_subtree(units_by_code("demo-hospital")).count() > 300
    before = Member.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Member.objects.count() == before


def units_by_code(code):
    from orgs.models import OrgUnit

    return OrgUnit.objects.get(code=code)
