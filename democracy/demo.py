"""Demo democratic management at demo-school: the third term of its 教代会 with 25
representatives (daibiao among them), its fifth session held this March (closed, fulfilling the
plan item) and a sixth whose proposal window is open now; proposals in every state, answered by
chuzhang (总务处) and a colleague; suggestions; a closed selection (师德标兵) with 22 ballots cast,
signed off, and its 公示; disclosure items (one overdue, some public) and the opinion box.
Deterministic and idempotent (skipped once demo-school has a congress)."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import idnumber
from core.calendar import add_workdays
from democracy.models import Choice, Congress, DisclosureItem, Representative, Session
from democracy.models.ballots import BallotMethod, Electorate
from democracy.models.disclosure import DisclosureCategory, DisclosurePeriod
from democracy.services import ballots, notices, opinions, proposals
from democracy.services import congress as congress_svc
from members.demo import REGION
from members.models import Member
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import Role

DEMO_PASSWORD = "gonghui-demo"
HANDLERS = [("chuzhang", "钱立新", "总务处"), ("jiaowu", "孔德明", "教务处")]

PROPOSALS = [
    # title, reasons, measures, what becomes of it
    ("改善教师食堂午餐质量", "午餐菜品单一，价格偏高，教师反映较多。", "引入竞争机制，每月公开食堂收支。", "closed"),
    ("增设教职工健身器材", "教职工缺乏锻炼场所。", "在工会活动室增设跑步机和乒乓球台。", "reopened"),
    (
        "完善绩效工资分配办法",
        "现行办法对班主任工作量体现不足。",
        "提高班主任津贴权重，方案提交教代会审议。",
        "answered",
    ),
    ("校园停车位规划", "上下班时段停车困难。", "重新划线，增设非机动车棚。", "routed"),
    ("教师培训经费使用公开", "培训经费使用情况不够透明。", "每学期公开培训经费明细。", "overdue"),
    ("为教师配备护嗓用品", "教师咽炎多发。", "每学期发放护嗓用品。", "to_suggestion"),
    ("食堂增加晚餐供应", "晚自习教师就餐不便。", "食堂增加晚餐。", "merged"),
    ("调整个别教师的课时", "个人课时安排问题。", "调整本人课时。", "rejected"),
    ("设立青年教师成长基金", "青年教师专业发展缺少支持。", "每年安排专项经费。", "submitted"),
]

# The whole answer in its text: the answer form holds no attachment.
ANSWERS = {
    "closed": "经总务处研究：一、食堂每周更新菜谱，午餐增加两个菜品；二、从下月起每月在校务公开栏公布食堂收支。",
    "reopened": "工会活动室已增设乒乓球台一张；跑步机列入明年工会经费预算。",
    "answered": "已会同人事部门修订绩效工资分配办法，提高班主任津贴权重，修订稿提交下次教代会审议。",
}


def _user(username, full_name):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _voter_account(member):
    """A login for a representative of the roster, so that they appear on a ballot's roll."""
    if member.user_id:
        return member.user
    User = get_user_model()
    user = User.objects.create(username=f"rep{member.pk}", full_name=member.name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Member.objects.filter(pk=member.pk).update(user=user)
    RoleAssignment.objects.get_or_create(user=user, unit=member.unit, role=Role.MEMBER)
    return user


def _congress(school, today):
    congress = Congress.objects.create(
        unit=school,
        number=3,
        starts_on=datetime.date(today.year - 2, 9, 1),
        women_share=50,
        frontline_share=60,
        young_share=20,
        cosigners_required=2,
        answer_workdays=15,
    )
    daibiao = _user("daibiao", "吴晓梅")
    group = OrgUnit.objects.get(code="demo-school-g1")
    RoleAssignment.objects.get_or_create(user=daibiao, unit=group, role=Role.MEMBER)
    own = Member.objects.filter(user=daibiao).first() or Member.objects.create(
        unit=group,
        name="吴晓梅",
        gender="F",
        birth_date=datetime.date(1988, 4, 12),
        # A roster record like every other: a valid ID number of the county, matching birth date and gender.
        id_number=idnumber.make(datetime.date(1988, 4, 12), "F", region=REGION, rng=random.Random(1988)),
        user=daibiao,
        job_title="语文教师",
    )
    Representative.objects.create(congress=congress, unit=school, member=own, delegation=group)
    others = list(
        Member.objects.in_subtree(school)
        .in_union()
        .filter(user__isnull=True)
        .order_by("pk")[:24]
        .select_related("unit")
    )
    for position, member in enumerate(others):
        _voter_account(member)
        Representative.objects.create(
            congress=congress, unit=school, member=member, delegation=member.unit, is_frontline=position % 4 != 0
        )
    return congress


def _changes(congress, school, today):
    """Three weeks ago one representative, who had attended no session, retired, and a by-election
    (补选) filled the place: the sixth session counts its quorum among those in office then."""
    gone = Representative.objects.filter(congress=congress, attendances__isnull=True).order_by("pk").first()
    when = today - datetime.timedelta(days=21)
    congress_svc.representative_leave(representative=gone, on=when, reason="退休")
    newcomer = (
        Member.objects.in_subtree(school)
        .in_union()
        .filter(user__isnull=True)
        .exclude(representations__congress=congress)
        .order_by("pk")
        .select_related("unit")
        .first()
    )
    _voter_account(newcomer)
    congress_svc.representative_add(congress=congress, member=newcomer, elected_on=when)


def _plan_item(school, year, words):
    from plans.models import ScheduleItem

    return ScheduleItem.objects.filter(plan__unit=school, plan__year=year, text__contains=words).first()


def _sessions(congress, school, today, chair):
    held = Session.objects.create(
        congress=congress,
        unit=school,
        number=5,
        held_on=datetime.date(today.year, 3, 20),
        place="学校报告厅",
        agenda="听取和审议校长工作报告\n听取和审议学校财务工作报告\n审议绩效工资分配方案\n听取上次会议提案办理情况报告",
        reports="校长工作报告\n学校财务工作报告\n提案办理情况报告",
        proposals_open_on=datetime.date(today.year, 3, 1),
        proposals_close_on=datetime.date(today.year, 3, 18),
        schedule_item=_plan_item(school, today.year, "召开教职工代表大会"),
    )
    return held


def _hold(session, chair, when):
    representatives = list(session.congress.representatives.all())
    for rep in representatives[:22]:
        congress_svc.session_check_in(session=session, representative=rep, by=chair, now=when)
    for title, votes in (("校长工作报告", (21, 0, 1)), ("绩效工资分配方案", (19, 2, 1))):
        resolution = session.resolutions.create(unit=session.unit, title=title)
        congress_svc.resolution_open(resolution=resolution)
        congress_svc.resolution_record(
            resolution=resolution, votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2]
        )
    congress_svc.session_close(
        session=session,
        by=chair,
        minutes="会议应到代表25人，实到22人，符合规定。会议审议通过了校长工作报告。",
        now=when,
    )


def _proposals(session, reps, handlers, today):
    author, fellows = reps[0], reps[1:]
    opened = session.proposals_open_on
    route_day = session.proposals_close_on + datetime.timedelta(days=3)
    made = {}
    for position, (title, reasons, measures, fate) in enumerate(PROPOSALS):
        writer = author if position % 2 == 0 else fellows[position]
        proposal = proposals.proposal_submit(
            session=session, author=writer, title=title, reasons=reasons, measures=measures, today=opened
        )
        for fellow in [f for f in fellows[:4] if f != writer][:2]:
            proposals.proposal_cosign(proposal=proposal, user=fellow, today=opened)
        made[fate] = proposal
        handler, department = handlers[position % 2]
        routing = {
            "category": ["logistics", "welfare", "management"][position % 3],
            "handler": handler,
            "department": department,
        }
        if fate in ("closed", "reopened", "answered", "routed", "overdue"):
            proposals.proposal_vet(
                proposal=proposal, decision=proposals.Decision.ACCEPT, by=None, today=route_day, routing=routing
            )
        if fate == "rejected":
            proposals.proposal_vet(
                proposal=proposal,
                decision="reject",
                by=None,
                today=route_day,
                reason="属于个人工作安排，不符合立案条件。",
            )
        if fate == "to_suggestion":
            proposals.proposal_vet(
                proposal=proposal,
                decision="to_suggestion",
                by=None,
                today=route_day,
                reason="建议性意见，转合理化建议办理。",
            )
        if fate == "merged":
            proposals.proposal_vet(
                proposal=proposal,
                decision="merge",
                by=None,
                today=route_day,
                reason="与食堂午餐质量提案内容相近。",
                merged_into=made["closed"],
            )
        answer_day = add_workdays(route_day, 8)
        if fate in ("closed", "reopened", "answered"):
            proposals.item_answer(proposal=proposal, by=handler, text=ANSWERS[fate], today=answer_day)
        if fate == "closed":
            proposals.item_rate(proposal=proposal, by=writer, rating="satisfied", today=answer_day)
        if fate == "reopened":
            proposals.item_rate(
                proposal=proposal,
                by=writer,
                rating="not_satisfied",
                reason="价格没有变化，只说了沟通。",
                today=answer_day,
            )
    # "overdue" stays routed past its deadline; "routed" is routed with a deadline still ahead.
    routed = made["routed"]
    type(routed).objects.filter(pk=routed.pk).update(routed_on=today, due_on=add_workdays(today, 10))
    return made


def _cosigning(congress, reps, today):
    """daibiao's proposal to the sixth session, with one of the two co-signers it needs, and the same one
    sent again by mistake and withdrawn."""
    session = congress.sessions.get(number=6)
    proposal = proposals.proposal_submit(
        session=session,
        author=reps[0],
        title="建立教职工心理健康关爱机制",
        reasons="教师工作压力较大，缺少心理疏导渠道。",
        measures="每学期开展一次心理健康讲座，设立心理咨询室。",
        today=today,
    )
    proposals.proposal_cosign(proposal=proposal, user=reps[5], today=today)
    # Sent twice by mistake: the author took the second one back (kept as 已撤回, counted nowhere).
    duplicate = proposals.proposal_submit(
        session=session,
        author=reps[0],
        title="建立教职工心理健康关爱机制（重复）",
        reasons="教师工作压力较大，缺少心理疏导渠道。",
        measures="每学期开展一次心理健康讲座，设立心理咨询室。",
        today=today,
    )
    proposals.item_withdraw(proposal=duplicate, by=reps[0], today=today)


def _suggestions(school, members, handlers, today):
    handler, department = handlers[0]
    for title, outcome, benefit in (("打印耗材集中采购", "adopted", 12000), ("教室照明改用节能灯", "partly", 8000)):
        item = proposals.suggestion_submit(
            unit=school,
            author=members[3],
            title=title,
            reasons="节约经费。",
            measures="统一管理。",
            today=today - datetime.timedelta(days=60),
        )
        proposals.item_route(
            proposal=item,
            today=today - datetime.timedelta(days=58),
            category="logistics",
            handler=handler,
            department=department,
        )
        proposals.item_answer(
            proposal=item,
            by=handler,
            text="采纳，已实施。",
            today=today - datetime.timedelta(days=50),
            outcome=outcome,
            benefit=benefit,
            reward=300,
        )


def _ballot(school, congress, reps, chair, scrutineer, today):
    ballot = ballots.ballot_create(
        unit=school,
        title=f"{today.year}年度师德标兵评选",
        candidates=["张慧敏", "刘建军", "陈雪", "赵文博", "孙丽华"],
        scrutineers=[chair, scrutineer],
        method=BallotMethod.CHOOSE,
        electorate=Electorate.REPRESENTATIVES,
        congress=congress,
        seats=3,
        min_surplus=1,
    )
    closes = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=20), datetime.time(17)))
    ballots.ballot_open(ballot=ballot, now=closes - datetime.timedelta(days=2))
    ids = {c.name: c.pk for c in ballot.candidates.all()}
    rng = random.Random(10)
    weights = {"张慧敏": 0.9, "刘建军": 0.75, "陈雪": 0.7, "赵文博": 0.35, "孙丽华": 0.2}
    for voter in reps[:22]:
        picks = sorted(weights, key=lambda name: -weights[name] * rng.random())[:3]
        ballots.ballot_vote(
            ballot=ballot, user=voter, paper=ballots.BallotPaper(choices={ids[n]: Choice.CHOSEN for n in picks})
        )
    ballots.ballot_close(ballot=ballot, now=closes)
    ballots.ballot_sign(ballot=ballot, user=chair)
    ballots.ballot_sign(ballot=ballot, user=scrutineer)
    elected = "、".join(r.name for r in ballots.ballot_results(ballot).elected)
    published = add_workdays(closes.date(), 1)
    notice = notices.notice_publish(
        unit=school,
        title=f"{today.year}年度师德标兵评选结果公示",
        body=f"经教职工代表投票，{elected}当选{today.year}年度师德标兵，现予公示。公示期间如有异议，请通过本页或向校工会反映。",
        by=chair,
        today=published,
        ballot=ballot,
    )
    objection = notices.objection_add(notice=notice, text="希望公布各候选人的得票数。", today=published)
    notices.objection_answer(
        objection=objection, answer="得票数已在投票页公布，异议不成立。", upheld=False, today=published
    )
    if today > notice.ends_on:
        notices.notice_finalize(notice=notice, today=today)


def _board(school, chair, today):
    items = [
        (
            "学校上半年财务收支情况",
            DisclosureCategory.FINANCE,
            DisclosurePeriod.SEMESTER,
            f"{today.year}年春季学期",
            datetime.date(today.year, 7, 10),
            True,
            True,
        ),
        (
            "年度评优评先结果",
            DisclosureCategory.AWARDS,
            DisclosurePeriod.YEAR,
            f"{today.year}年",
            datetime.date(today.year, 6, 30),
            True,
            True,
        ),
        (
            "食堂物资采购情况",
            DisclosureCategory.PROCUREMENT,
            DisclosurePeriod.QUARTER,
            f"{today.year}年第三季度",
            datetime.date(today.year, 10, 15),
            False,
            True,
        ),
        (
            "教师招聘和岗位调整",
            DisclosureCategory.HIRING,
            DisclosurePeriod.YEAR,
            f"{today.year}年",
            today - datetime.timedelta(days=10),
            False,
            False,
        ),
        (
            "下半年财务收支情况",
            DisclosureCategory.FINANCE,
            DisclosurePeriod.SEMESTER,
            f"{today.year}年秋季学期",
            today + datetime.timedelta(days=40),
            True,
            False,
        ),
    ]
    for title, category, period, label, due, public, published in items:
        item = DisclosureItem.objects.create(
            unit=school, title=title, category=category, period=period, period_label=label, due_on=due, is_public=public
        )
        if published:
            item.content = f"{title}：详见校务公开栏，如有疑问请向校工会反映。"
            item.published_on = due - datetime.timedelta(days=2)
            item.published_by = chair
            item.save(update_fields=["content", "published_on", "published_by"])


def _box(school, members, today):
    first = opinions.opinion_send(
        unit=school,
        user=members[5],
        text="教师办公室冬季取暖不足，希望尽早检修暖气。",
        anonymous=True,
        today=today - datetime.timedelta(days=12),
    )
    opinions.opinion_reply(
        opinion=first,
        reply="总务处已于上周完成检修，各办公室温度已达标。",
        publish=True,
        today=today - datetime.timedelta(days=8),
    )
    opinions.opinion_send(
        unit=school,
        user=members[6],
        text="建议工会组织一次教职工体检解读讲座。",
        anonymous=False,
        today=today - datetime.timedelta(days=2),
    )


def _other_school(today):
    """demo-yizhong's congress too, so that the county's figures (and its assessment of the
    proposals answered on time) have a second school to read: a session this spring whose three
    proposals were all answered on time."""
    school = OrgUnit.objects.filter(code="demo-yizhong").first()
    if school is None or Congress.objects.filter(unit=school).exists():
        return
    members = list(Member.objects.in_subtree(school).in_union().filter(user__isnull=True).order_by("pk")[:5])
    if len(members) < 3:
        return
    congress = Congress.objects.create(unit=school, number=5, starts_on=datetime.date(today.year - 1, 9, 1))
    reps = []
    for member in members:
        reps.append(_voter_account(member))
        Representative.objects.create(congress=congress, unit=school, member=member, delegation=None)
    session = Session.objects.create(
        congress=congress,
        unit=school,
        number=2,
        held_on=datetime.date(today.year, 4, 10),
        place="第一中学会议室",
        agenda="听取和审议学校工作报告",
        proposals_open_on=datetime.date(today.year, 3, 10),
        proposals_close_on=datetime.date(today.year, 3, 31),
    )
    handler = _user("yizhong-zongwu", "周建华")
    RoleAssignment.objects.get_or_create(user=handler, unit=school, role=Role.HANDLER)
    for title in ("改善教师办公条件", "完善课后服务补助办法", "加强校园安全巡查"):
        proposal = proposals.proposal_submit(
            session=session,
            author=reps[0],
            title=title,
            reasons="教职工普遍关心。",
            measures="请学校研究落实。",
            today=session.proposals_open_on,
        )
        for fellow in reps[1:3]:
            proposals.proposal_cosign(proposal=proposal, user=fellow, today=session.proposals_open_on)
        routed_on = session.proposals_close_on
        proposals.proposal_vet(
            proposal=proposal,
            decision=proposals.Decision.ACCEPT,
            by=None,
            today=routed_on,
            routing={"category": "management", "handler": handler, "department": "总务处"},
        )
        proposals.item_answer(proposal=proposal, by=handler, text="已研究落实。", today=add_workdays(routed_on, 5))
        proposals.item_rate(proposal=proposal, by=reps[0], rating="satisfied", today=add_workdays(routed_on, 6))


def populate(*, stdout=None):
    today = timezone.localdate()
    _other_school(today)
    school = OrgUnit.objects.filter(code="demo-school").first()
    if school is None or Congress.objects.filter(unit=school).exists():
        return
    chair = get_user_model().objects.filter(username="zhuxi").first()
    scrutineer = get_user_model().objects.filter(username="bangfu").first() or chair
    handlers = []
    for username, full_name, department in HANDLERS:
        user = _user(username, full_name)
        RoleAssignment.objects.get_or_create(user=user, unit=school, role=Role.HANDLER)
        handlers.append((user, department))
    congress = _congress(school, today)
    reps = [r.member.user for r in congress.representatives.select_related("member__user").order_by("pk")]
    held = _sessions(congress, school, today, chair)
    made = _proposals(held, reps, handlers, today)
    when = timezone.make_aware(datetime.datetime.combine(held.held_on, datetime.time(9)))
    _hold(held, chair, when)
    Session.objects.create(
        congress=congress,
        unit=school,
        number=6,
        held_on=today + datetime.timedelta(days=30),
        place="学校报告厅",
        agenda="听取和审议学校年度工作报告\n审议教职工年度考核办法",
        proposals_open_on=today - datetime.timedelta(days=10),
        proposals_close_on=today + datetime.timedelta(days=14),
    )
    _cosigning(congress, reps, today)
    members = reps
    _suggestions(school, members, handlers, today)
    _ballot(school, congress, reps, chair, scrutineer, today)
    _board(school, chair, today)
    _box(school, members, today)
    _changes(congress, school, today)
    if stdout:
        stdout.write(f"democracy: {held.name}, {len(made)} proposals, a closed selection with its 公示")
