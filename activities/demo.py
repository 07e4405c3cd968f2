"""Demo activities: a year of demo-school's union life and a skills contest at demo-jixie.

Held activities with registrations and check-ins, linked to the plan's schedule items when
the plans demo has made them (found by words of their text; skipped when absent); a spring
sports meeting with a table-tennis knockout, a tug-of-war league and rope skipping; group
summaries (one submitted, one returned); one activity open for registration now with places
left; and a quarterly 技术比武 for the plant's three teams. Deterministic and idempotent.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities import contests, services, sports
from activities.models import (
    Activity,
    Audience,
    Competition,
    Contestant,
    EventFormat,
    EventKind,
    Period,
    Registration,
    RegistrationStatus,
    ScoringItem,
    SportsEvent,
    Status,
    Summary,
    SummaryStatus,
)
from members.models import Member
from orgs.models import OrgUnit

# title, unit code, kind, (month, day, hour), place, audience, capacity, budget, spend, words of the plan item
HELD = [
    (
        "迎新年教职工联欢会",
        "demo-school",
        "celebration",
        (1, 9, 15),
        "学校报告厅",
        Audience.ALL,
        None,
        3000,
        2860,
        "元旦",
    ),
    (
        "“三八”妇女节女教职工插花活动",
        "demo-school",
        "celebration",
        (3, 7, 14),
        "学校会议室",
        Audience.WOMEN,
        60,
        2400,
        2315,
        "三八",
    ),
    (
        "春季教职工趣味运动会",
        "demo-school",
        "sports",
        (4, 18, 8),
        "中心小学操场",
        Audience.ALL,
        None,
        5000,
        4780.5,
        "趣味运动会",
    ),
    (
        "“书香校园”读书分享会",
        "demo-school-g1",
        "study",
        (5, 15, 16),
        "中心小学图书室",
        Audience.ALL,
        30,
        600,
        540,
        "读书分享会",
    ),
    (
        "端午包粽子活动",
        "demo-school-g2",
        "culture",
        (6, 12, 15),
        "东关完小食堂",
        Audience.ALL,
        25,
        800,
        760,
        "小型文体活动",
    ),
    (
        "庆祝教师节暨师德标兵表彰会",
        "demo-school",
        "celebration",
        (9, 10, 9),
        "学校报告厅",
        Audience.ALL,
        None,
        4000,
        3920,
        "教师节",
    ),
    ("教职工拔河比赛", "demo-school-g4", "sports", (10, 23, 15), "南湖完小操场", Audience.ALL, None, 500, 430, "拔河"),
    ("青年教师登山健步行", "demo-school", "sports", (10, 26, 8), "城南凤凰山", Audience.YOUNG, 40, 1500, 1380, ""),
]

OPEN_NOW = ("冬季教职工环城长跑", "demo-school", "sports", 40, 1200)

SUMMARIES = [
    # (title of the activity, status, text, review comment)
    (
        "教职工拔河比赛",
        SummaryStatus.SUBMITTED,
        "10月23日下午，南湖完小工会小组在学校操场举行教职工拔河比赛，全体教职工分四队参赛，"
        "经过激烈角逐，三年级组队获得第一名。活动增强了团队凝聚力，受到教职工欢迎。",
        "",
    ),
    (
        "端午包粽子活动",
        SummaryStatus.RETURNED,
        "6月12日组织包粽子活动，大家积极参加。",
        "请补充参加人数、经费使用情况和活动照片后再报送。",
    ),
    (
        "“书香校园”读书分享会",
        SummaryStatus.ACCEPTED,
        "5月15日，中心小学工会小组举办读书分享会，12位教师分享了阅读心得，并向学生推荐书目。",
        "内容充实，已采纳。",
    ),
]

CONTEST_ITEMS = [("理论知识", 30), ("实操技能", 50), ("安全规范", 20)]


def _aware(year, month, day, hour):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _plan_item(unit, year, words):
    """The schedule item of this year's plan of the unit (or its parent) whose text holds ``words``."""
    if not words:
        return None
    try:
        from plans.models import ScheduleItem
    except ImportError:
        return None
    units = [u.pk for u in unit.ancestors_and_self()]
    return (
        ScheduleItem.objects.filter(plan__year=year, plan__unit__in=units, text__contains=words)
        .order_by("month", "pk")
        .first()
    )


def _eligible(activity, pool):
    return [m for m in pool if m.unit.is_in_subtree_of(activity.unit) and not activity.eligibility_problem(m)]


def _held(activity, pool, rng, *, chair, share=0.55):
    """Registrations and check-ins for a past activity, then recorded as held (the plan item is done)."""
    people = _eligible(activity, pool)
    rng.shuffle(people)
    count = int(len(people) * share)
    if activity.capacity:
        count = min(count, activity.capacity)
    signed_up = activity.registration_closes_at or activity.starts_at - datetime.timedelta(days=3)
    rows = []
    for position, member in enumerate(people[:count]):
        came = rng.random() < 0.9
        rows.append(
            Registration(
                activity=activity,
                member=member,
                status=RegistrationStatus.REGISTERED,
                registered_by=chair,
                created_at=signed_up - datetime.timedelta(hours=position),
                checked_in_at=activity.starts_at + datetime.timedelta(minutes=rng.randint(-20, 10)) if came else None,
                checked_in_by=chair if came else None,
            )
        )
    Registration.objects.bulk_create(rows)
    attended = sum(1 for r in rows if r.checked_in_at)
    services.activity_record_held(
        activity=activity,
        by=chair,
        participant_times=attended + rng.randint(0, 6),
        spend=activity.spend,
        now=activity.starts_at + datetime.timedelta(hours=3),
    )


def _sports_meeting(activity, pool, rng, units):
    """Table tennis (knockout with seeds), tug-of-war (league of the groups), rope skipping (ranked)."""
    groups = [u for u in units if u.depth == activity.unit.depth + 1]
    table_tennis = SportsEvent.objects.create(
        activity=activity,
        name="乒乓球单打",
        kind=EventKind.INDIVIDUAL,
        format=EventFormat.KNOCKOUT,
        quota_per_unit=2,
    )
    entrants = []
    for unit in groups:
        entrants += [m for m in pool if m.unit_id == unit.pk][:2]
    for position, member in enumerate(entrants[:11]):
        # The first player of each of the first two groups are seeded, so they meet only in the final.
        seed = {0: 1, 2: 2}.get(position)
        sports.entry_add(event=table_tennis, unit=member.unit, member=member, seed=seed)
    sports.draw_make(event=table_tennis, rng=rng)
    _play_out(table_tennis, rng, sets=True)

    tug = SportsEvent.objects.create(
        activity=activity, name="拔河", kind=EventKind.TEAM, format=EventFormat.ROUND_ROBIN, win_points=2, loss_points=1
    )
    for unit in groups[:5]:
        sports.entry_add(event=tug, unit=unit, name=f"{unit.display_name}队")
    sports.draw_make(event=tug, rng=rng)
    _play_out(tug, rng, sets=True)

    rope = SportsEvent.objects.create(
        activity=activity, name="一分钟跳绳（女子）", format=EventFormat.RANKED, result_unit="个", quota_per_unit=3
    )
    women = [m for m in pool if m.gender == "F" and m.unit in groups]
    taken = {}
    for member in women:
        if taken.get(member.unit_id, 0) < 2:
            entry = sports.entry_add(event=rope, unit=member.unit, member=member)
            taken[member.unit_id] = taken.get(member.unit_id, 0) + 1
            entry.result = Decimal(rng.randint(110, 185))
            entry.save(update_fields=["result"])
    sports.refresh_places(rope)

    # A timed race: results kept in seconds, typed and shown as the stopwatch reads (5分32.18秒).
    run = SportsEvent.objects.create(
        activity=activity,
        name="1500米跑（男子）",
        format=EventFormat.RANKED,
        lower_is_better=True,
        result_unit="秒",
        quota_per_unit=2,
    )
    taken = {}
    for member in (m for m in pool if m.gender == "M" and m.unit in groups):
        if taken.get(member.unit_id, 0) < 2:
            entry = sports.entry_add(event=run, unit=member.unit, member=member)
            taken[member.unit_id] = taken.get(member.unit_id, 0) + 1
            entry.result = Decimal(rng.randint(29000, 42000)) / 100
            entry.save(update_fields=["result"])
    sports.refresh_places(run)


def _play_out(event, rng, *, sets):
    while True:
        playable = [
            m for m in event.matches.order_by("round", "position") if m.home_id and m.away_id and not m.is_played
        ]
        if not playable:
            return
        for match in playable:
            winner_sets = 3 if event.format == EventFormat.KNOCKOUT else 2
            loser_sets = rng.randint(0, winner_sets - 1)
            home, away = (winner_sets, loser_sets) if rng.random() < 0.5 else (loser_sets, winner_sets)
            sports.match_record(match=match, home_score=home, away_score=away)


def _summaries(year, chair):
    User = get_user_model()
    leader = User.objects.filter(username="xiaozu").first()
    led = set(leader.assignments.values_list("unit_id", flat=True)) if leader else set()
    for title, status, text, comment in SUMMARIES:
        activity = Activity.objects.filter(title=title, starts_at__year=year).first()
        if activity is None:
            continue
        summary = Summary.objects.create(activity=activity, text=text, status=SummaryStatus.DRAFT)
        # Each group's summary is handed in by someone of that group: xiaozu for hers, the chair otherwise
        # (the demo has one group leader), so no notice points a leader at another group's page.
        by = leader if activity.unit_id in led else chair
        services.summary_submit(summary=summary, by=by, now=activity.starts_at + datetime.timedelta(days=2))
        if status != SummaryStatus.SUBMITTED:
            services.summary_review(
                summary=summary,
                by=chair,
                accept=status == SummaryStatus.ACCEPTED,
                comment=comment,
                now=activity.starts_at + datetime.timedelta(days=4),
            )


def _open_activity(school, pool, rng, *, chair, now):
    title, _code, kind, capacity, budget = OPEN_NOW
    starts = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0) + datetime.timedelta(days=12)
    activity = Activity.objects.create(
        unit=school,
        title=title,
        kind=kind,
        starts_at=starts,
        place="县体育场东门集合",
        organiser="文体委员",
        description="全程约 5 公里，可跑可走，量力而行。完成者发放纪念品，请穿运动鞋。",
        capacity=capacity,
        budget=Decimal(budget),
        registration_opens_at=now - datetime.timedelta(days=2),
        registration_closes_at=starts - datetime.timedelta(days=2),
        status=Status.OPEN,
        created_by=chair,
    )
    people = [m for m in _eligible(activity, pool) if m.user_id is None]
    rng.shuffle(people)
    for member in people[:14]:
        services.registration_add(activity=activity, member=member, by=chair)
    return activity


def _skills_contest(year, rng):
    plant = OrgUnit.objects.filter(code="demo-jixie").first()
    if plant is None or Competition.objects.filter(unit=plant).exists():
        return
    teams = list(OrgUnit.objects.get_children(plant))
    competition = Competition.objects.create(
        unit=plant,
        title=f"{year}年度班组技术比武",
        kind="skills",
        description="围绕安全生产和提质增效，按季度对各班组进行理论知识、实操技能和安全规范考核，年终评选优秀班组。",
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        period=Period.QUARTERLY,
        winners_count=1,
        award_title="优秀班组",
    )
    contests.rounds_create(competition=competition)
    for order, (name, weight) in enumerate(CONTEST_ITEMS):
        ScoringItem.objects.create(competition=competition, name=name, weight=weight, order=order)
    for team in teams:
        Contestant.objects.create(competition=competition, unit=team, name=team.name)
    User = get_user_model()
    judges = []
    for n, name in enumerate(["刘工", "陈工", "杨师傅", "黄师傅", "吴主任"], start=1):
        judge, created = User.objects.get_or_create(username=f"jixie-judge{n}", defaults={"full_name": name})
        if created:
            judge.set_unusable_password()
            judge.save()
        judges.append(judge)
    competition.judges.add(*judges)
    strength = {c.pk: rng.uniform(-6, 6) for c in competition.contestants.all()}
    items = list(competition.items.all())
    for round_ in competition.rounds.filter(ends_on__lt=timezone.localdate()):
        for judge in judges:
            values = {
                (c_id, item.pk): Decimal(str(round(min(100, max(50, 82 + bias + rng.uniform(-8, 8))), 1)))
                for c_id, bias in strength.items()
                for item in items
            }
            contests.scores_save(round=round_, judge=judge, values=values)
    contests.winners_select(competition=competition)


def populate(*, stdout=None):
    school = OrgUnit.objects.filter(code="demo-school").first()
    if school is None or Activity.objects.filter(unit=school).exists():
        return
    rng = random.Random(2026)
    now = timezone.now()
    year = timezone.localdate().year
    chair = get_user_model().objects.filter(username="zhuxi").first()
    units = list(OrgUnit.objects.all().in_subtree(school))
    by_code = {u.code: u for u in units}
    pool = list(Member.objects.in_subtree(school).in_union().select_related("unit"))
    for title, code, kind, (month, day, hour), place, audience, capacity, budget, spend, words in HELD:
        starts = _aware(year, month, day, hour)
        if starts > now or code not in by_code:
            continue
        unit = by_code[code]
        activity = Activity.objects.create(
            unit=unit,
            title=title,
            kind=kind,
            schedule_item=_plan_item(unit, year, words),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            place=place,
            organiser="文体委员" if kind == "sports" else "工会主席",
            audience=audience,
            max_age=35 if audience == Audience.YOUNG else None,
            capacity=capacity,
            budget=Decimal(budget),
            spend=Decimal(str(spend)),
            registration_closes_at=starts - datetime.timedelta(days=2),
            status=Status.OPEN,
            created_by=chair,
        )
        if title == "春季教职工趣味运动会":
            _sports_meeting(activity, pool, rng, units)
        _held(activity, pool, rng, chair=chair)
    _summaries(year, chair)
    _open_activity(school, pool, rng, chair=chair, now=now)
    _skills_contest(year, rng)
    if stdout:
        held = Activity.objects.in_subtree(school).held().count()
        stdout.write(
            f"activities: {held} held and 1 open for registration in demo-school; a skills contest at demo-jixie"
        )
