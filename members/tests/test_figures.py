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


def test_a_past_years_metrics_count_the_members_of_its_last_day_not_of_today(units, make_member):
    """Last year's plan, its archive and its summary give the same figures however the roster has moved
    since: who joined this year is not counted, who left or died this year still is."""
    this_year = timezone.localdate().year
    last_year = this_year - 1
    make_member("张伟", "g1", joined_on=datetime.date(this_year, 3, 1))
    make_member("李娜", "g2", gender="F", joined_on=datetime.date(2010, 9, 1))
    left = make_member("王芳", "g2", gender="F", joined_on=datetime.date(2012, 9, 1), status=Status.LEFT)
    Member.objects.filter(pk=left.pk).update(status_changed_on=datetime.date(this_year, 1, 5))
    gone = make_member("刘洋", "g1", status=Status.LEFT)
    Member.objects.filter(pk=gone.pk).update(status_changed_on=datetime.date(last_year, 6, 30))
    make_member("赵强", "g1")  # joined on a day nobody wrote down
    school = units["school"]
    assert figures.metric_value("members.count", unit=school, year=last_year) == 3  # 李娜, 王芳, 赵强
    assert figures.metric_value("members.women_share", unit=school, year=last_year) == Decimal("66.7")
    assert figures.metric_value("members.membership_rate", unit=school, year=last_year) == Decimal("4.0")  # 3 / 75
    assert figures.metric_value("members.count", unit=school, year=this_year) == 3  # 张伟, 李娜, 赵强
    (section,) = [s for s in figures.summary_sections(school, last_year) if s.heading == "会员发展"]
    assert section.paragraphs[0].startswith(f"截至{last_year}年底，共有会员3人，其中女会员2人")
    # This year's summary, drafted before its end, counts the roster of today and says so.
    (section,) = [s for s in figures.summary_sections(school, this_year) if s.heading == "会员发展"]
    today = timezone.localdate()
    said = (
        f"截至{this_year}年底"
        if (today.month, today.day) == (12, 31)
        else f"截至{this_year}年{today.month}月{today.day}日"
    )
    assert section.paragraphs[0].startswith(said + "，共有会员3人")


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
    for member in school.exclude(id_number_index=None):
        parsed = idnumber.parse(member.id_number)
        assert (parsed.birth_date, parsed.gender) == (member.birth_date, member.gender)
    # Like a real roster, a few details still to chase up: what 缺身份证号 and 缺手机号 find for zhuxi.
    assert school.missing_id_number().count() == 2 and school.missing_phone().exists()
    assert not school.missing_id_number().filter(user__isnull=False).exists()
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
    assert school.missing_id_number().count() == 2 and school.missing_phone().exists()


def units_by_code(code):
    from orgs.models import OrgUnit

    return OrgUnit.objects.get(code=code)
