"""Self-check, review and closing a round: reasons for adjustments, ranks with ties, titles and reminders."""

import datetime
from decimal import Decimal

import pytest

from assessments import services
from assessments.models import CheckStatus, Criterion, Round, RoundStatus, SelfCheck
from assessments.tests.conftest import TODAY, agree_all, check_of, closed, fill, open_round, submitted
from core.models import Notification
from core.testing import second_while_first_open
from core.todo import todos_for
from orgs.models import OrgUnit, UnitKind


def test_ranks_share_on_ties_and_skip_after():
    assert services.ranks([Decimal(90), Decimal(95), Decimal(90), Decimal(80)]) == [2, 1, 2, 4]
    assert services.ranks([]) == []


def test_submission_needs_every_score_and_tells_the_reviewers(round_, units, zhuxi, xianzong):
    check = check_of(round_, units["school"])
    with pytest.raises(services.AssessmentError, match="委员分工明确"):
        services.selfcheck_submit(check=check, by=zhuxi)
    fill(check)
    services.selfcheck_submit(check=check, by=zhuxi)
    check.refresh_from_db()
    assert check.status == CheckStatus.SUBMITTED and check.self_total == 20  # 10 + 10 + plan rule 0
    assert Notification.objects.filter(user=xianzong, kind="assessments.submitted").exists()


def test_a_chair_on_the_english_pages_freezes_the_record_in_chinese_for_the_county(round_, units, zhuxi, xianzong):
    from django.utils import translation

    check = check_of(round_, units["school"])
    fill(check)
    with translation.override("en"):
        services.selfcheck_submit(check=check, by=zhuxi)
    frozen = check.scores.get(criterion__rule="plans.published")
    assert frozen.rule_value == "没有2026年工作计划"
    assert Notification.objects.get(kind="assessments.submitted").text.endswith("的自评，请审核。")


def test_a_score_above_the_points_is_refused(round_, units):
    check = check_of(round_, units["school"])
    criterion = round_.scheme.criteria.get(title="委员分工明确")
    with pytest.raises(services.AssessmentError, match="0到10"):
        services.selfcheck_save(check=check, scores={criterion.pk: Decimal(11)}, notes={}, summary="")


def test_an_adjustment_needs_a_reason(round_, units, xianzong, zhuxi):
    check = submitted(round_, units["school"])
    criterion = round_.scheme.criteria.get(title="有职工书屋")
    decisions = {c.pk: services.Decision(agreed=True) for c in round_.scheme.criteria.all()}
    decisions[criterion.pk] = services.Decision(agreed=False, score=Decimal(6), reason="  ")
    with pytest.raises(services.AssessmentError, match="理由"):
        services.selfcheck_review(check=check, by=xianzong, decisions=decisions)
    check.refresh_from_db()
    assert check.status == CheckStatus.SUBMITTED  # nothing half-written

    decisions[criterion.pk] = services.Decision(agreed=False, score=Decimal(6), reason="书屋藏书不足，未正常开放")
    services.selfcheck_review(check=check, by=xianzong, decisions=decisions)
    check.refresh_from_db()
    assert check.status == CheckStatus.REVIEWED and check.total == 16  # 10 + 6 + 0
    score = check.scores.get(criterion=criterion)
    assert score.reason == "书屋藏书不足，未正常开放" and score.final() == 6
    assert Notification.objects.filter(user=zhuxi, kind="assessments.reviewed").exists()


def test_a_draft_cannot_be_reviewed(round_, units, xianzong):
    with pytest.raises(services.AssessmentError):
        agree_all(check_of(round_, units["school"]), xianzong)


def _third_union(units):
    return OrgUnit.objects.add_child(
        units["county"], {"code": "demo-third", "name": "县医院工会", "kind": UnitKind.UNION}
    )


def test_closing_ranks_with_ties_and_awards_titles_for_a_period(round_, units, xianzong):
    third = _third_union(units)
    services.selfcheck_start(round=round_, unit=third)
    for unit, value in ((units["school"], 20), (units["office"], 20), (third, 5)):
        agree_all(submitted(round_, unit, Decimal(value)), xianzong)
    closed(round_, xianzong)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    ranked = {c.unit.code: c for c in round_.checks.select_related("unit")}
    assert [ranked["demo-school"].rank, ranked["demo-office"].rank, ranked["demo-third"].rank] == [1, 1, 3]
    assert ranked["demo-school"].expires_on == datetime.date(2029, 11, 2)
    assert ranked["demo-third"].awarded_on is None  # 10 points, below the minimum of 25


def test_a_round_with_reviews_waiting_cannot_close(round_, units, xianzong):
    submitted(round_, units["school"])
    with pytest.raises(services.AssessmentError, match="没有审核"):
        services.round_publicize(round=round_, by=xianzong, today=TODAY)


def test_only_units_below_may_enter(round_, units):
    with pytest.raises(services.AssessmentError):
        services.selfcheck_start(round=round_, unit=units["other"])
    with pytest.raises(services.AssessmentError):
        services.selfcheck_start(round=round_, unit=units["county"])


def test_reminders_for_self_checks_due_and_reviews_waiting(round_, units, zhuxi, xianzong):
    kinds = {t.kind for t in todos_for(zhuxi, today=TODAY)}
    assert "assessments.selfcheck_due" in kinds
    submitted(round_, units["school"])
    assert "assessments.selfcheck_due" not in {t.kind for t in todos_for(zhuxi, today=TODAY)}
    waiting = [t for t in todos_for(xianzong, today=TODAY) if t.kind == "assessments.review"]
    assert len(waiting) == 1 and "城关镇中心学校工会" in waiting[0].title


def test_expiry_reminders_for_the_unit_and_re_assessment_for_the_federation(round_, units, zhuxi, xianzong):
    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)
    closed(round_, xianzong)
    expires = datetime.date(2029, 11, 2)
    early = expires - datetime.timedelta(days=120)
    assert "assessments.title_expiring" not in {t.kind for t in todos_for(zhuxi, today=early)}
    soon = expires - datetime.timedelta(days=30)
    unit_todos = [t for t in todos_for(zhuxi, today=soon) if t.kind == "assessments.title_expiring"]
    assert unit_todos and unit_todos[0].due == expires
    assert "将于2029年11月2日到期" in unit_todos[0].title  # as the to-do page writes its other dates
    reassess = [t for t in todos_for(xianzong, today=soon) if t.kind == "assessments.reassess"]
    assert reassess and "将于2029年11月2日到期" in reassess[0].title
    assert "assessments.title_expiring" not in {t.kind for t in todos_for(zhuxi, today=expires + datetime.timedelta(1))}


def test_group_leader_gets_no_assessment_todos(round_, units, xiaozu):
    assert not [t for t in todos_for(xiaozu, today=TODAY) if t.kind.startswith("assessments.")]


def test_scheme_from_each_template(units):
    from assessments.scheme_templates import TEMPLATES

    for key, template in TEMPLATES.items():
        scheme = services.scheme_from_template(unit=units["county"], key=key)
        assert scheme.criteria.count() == len(template.criteria)
    assert services.scheme_from_template(unit=units["county"], key="six_haves").total_points() == 60
    assert services.scheme_from_template(unit=units["county"], key="staff_home").total_points() == 100
    assert services.scheme_from_template(unit=units["county"], key="teachers_home").total_points() == 100


def test_titles_held_metric(round_, units, xianzong):
    from core.figures import metric_value

    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)
    closed(round_, xianzong)
    assert metric_value("assessments.titles_held", unit=units["county"], year=2026) == 1
    assert metric_value("assessments.titles_held", unit=units["office"], year=2026) == 0
    assert metric_value("assessments.titles_held", unit=units["school"], year=2030) == 0


def test_visit_only_after_submission(round_, units):
    check = check_of(round_, units["school"])
    with pytest.raises(services.AssessmentError):
        services.visit_add(check=check, visited_on=TODAY, visitors="陈志强", notes="查看活动室")
    check = submitted(round_, units["school"])
    services.visit_add(check=check, visited_on=TODAY, visitors="陈志强", notes="查看活动室")
    assert check.visits.count() == 1


def test_a_visit_is_recorded_while_reviewing_not_after_the_review(round_, units, xianzong):
    check = submitted(round_, units["school"])
    page_copy = SelfCheck.objects.get(pk=check.pk)  # the review page, read before the review was done
    services.visit_add(check=check, visited_on=TODAY, visitors="陈志强", notes="查看活动室")
    agree_all(check, xianzong)
    with pytest.raises(services.AssessmentError, match="自评已经审核，不能再登记实地检查"):
        services.visit_add(check=page_copy, visited_on=TODAY, visitors="陈志强", notes="补记")
    assert list(check.visits.values_list("notes", flat=True)) == ["查看活动室"]


def test_a_page_read_before_another_officer_submitted_changes_nothing_submitted(round_, units, zhuxi, weiyuan):
    page_copy = check_of(round_, units["school"])  # weiyuan's page, still a draft
    submitted(round_, units["school"], Decimal(10), by=zhuxi)
    criterion = round_.scheme.criteria.get(title="委员分工明确")
    with pytest.raises(services.AssessmentError, match="自评已经提交，不能再修改"):
        services.selfcheck_save(check=page_copy, scores={criterion.pk: Decimal(2)}, notes={}, summary="改过")
    with pytest.raises(services.AssessmentError, match="自评已经提交，不能再添加佐证材料"):
        services.evidence_add(check=page_copy, by=weiyuan, text="补一张照片")
    check = check_of(round_, units["school"])
    assert check.scores.get(criterion=criterion).claimed == 10 and check.summary == ""
    assert check.self_total == 20 and not check.evidence.exists()


def test_a_draft_left_in_a_closed_round_is_no_longer_filled_in(round_, units, xianzong, bangong):
    draft = check_of(round_, units["office"])
    agree_all(submitted(round_, units["school"]), xianzong)
    closed(round_, xianzong)
    with pytest.raises(services.AssessmentError, match="本次考核评比已经结束"):
        fill(draft)
    with pytest.raises(services.AssessmentError, match="本次考核评比已经结束"):
        services.evidence_add(check=draft, by=bangong, text="书屋照片")
    assert not draft.scores.exclude(claimed=None).exists() and not draft.evidence.exists()


def test_invited_units_are_told_when_a_round_opens(round_, zhuxi, units):
    # zhuxi is made after the round opened in the fixture; open another to see him told.
    open_round(round_.scheme, units, year=2027, title="2027年评选", deadline=TODAY, invited=[units["school"]])
    told = Notification.objects.get(user=zhuxi, kind="assessments.invited")
    # The deadline as the other notifications write it, not 2027-03-01.
    assert f"请在{TODAY.year}年{TODAY.month}月{TODAY.day}日前完成自评" in told.text


def test_daily_reminders_of_deadlines_and_expiry_go_out_once(round_, units, zhuxi, xianzong, bangong):
    deadline = round_.deadline
    assert services.send_reminders(today=deadline - datetime.timedelta(days=15)) == 0  # too early
    assert services.send_reminders(today=deadline - datetime.timedelta(days=1)) == 2  # school and office
    assert services.send_reminders(today=deadline) == 0  # told already
    assert Notification.objects.filter(user=zhuxi, kind="assessments.reminder").count() == 1

    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)
    closed(round_, xianzong)
    expires = datetime.date(2029, 11, 2)
    assert services.send_reminders(today=expires - datetime.timedelta(days=100)) == 0
    assert services.send_reminders(today=expires - datetime.timedelta(days=60)) == 1
    assert services.send_reminders(today=expires - datetime.timedelta(days=59)) == 0
    assert Notification.objects.filter(user=zhuxi, kind="assessments.title_expiring").count() == 1
    assert Notification.objects.filter(user=xianzong, kind="assessments.reassess").count() == 1


def test_reminder_command(round_, units):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "send_assessment_reminders", today=(round_.deadline - datetime.timedelta(days=1)).isoformat(), stdout=out
    )
    assert "reminded 2" in out.getvalue()


def test_a_schemes_lines_are_changed_only_while_no_round_uses_it(scheme, units):
    line = Criterion(scheme=scheme, order=4, group="阵地建设", title="有职工活动室", points=Decimal(10))
    services.criterion_save(criterion=line)
    services.criterion_delete(criterion=line)
    page_copy = scheme.criteria.get(title="有职工书屋")  # an edit page read before the round opened
    open_round(scheme, units)
    page_copy.points = Decimal(30)
    with pytest.raises(services.AssessmentError, match="考核细则不能再改动"):
        services.criterion_save(criterion=page_copy)
    with pytest.raises(services.AssessmentError, match="考核细则不能再改动"):
        services.criterion_delete(criterion=page_copy)
    assert scheme.criteria.get(title="有职工书屋").points == 20


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_line_changed_while_a_round_opens_waits_and_is_refused(scheme, units):
    line = scheme.criteria.get(title="有职工书屋")
    line.points = Decimal(30)
    with pytest.raises(services.AssessmentError, match="考核细则不能再改动"):
        second_while_first_open(lambda: open_round(scheme, units), lambda: services.criterion_save(criterion=line))
    assert scheme.criteria.get(title="有职工书屋").points == 20


def test_a_scheme_from_a_template_is_written_whole_or_not_at_all(units, monkeypatch):
    from assessments.models import Criterion, Scheme

    def failing(*args, **kwargs):
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(Criterion.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        services.scheme_create(unit=units["county"], template="six_haves")
    assert not Scheme.objects.exists()
    monkeypatch.undo()
    blank = services.scheme_create(unit=units["county"], title="职工书屋评比", description="")
    assert blank.title == "职工书屋评比" and not blank.criteria.exists()


def test_the_service_refuses_a_minimum_above_the_total_and_no_years(scheme, units):
    for terms, refusal in (
        ({"award_min_score": Decimal(41)}, "最低得分应在0到40.0分之间"),
        ({"award_min_score": Decimal(-1)}, "最低得分应在0到40.0分之间"),
        ({"award_years": 0}, "称号有效期应为1到10年"),
        ({"award_years": 2026}, "称号有效期应为1到10年"),  # the year typed in the wrong box
        ({"year": 20266}, "年度应在2000到"),  # the rules then read dates past 9999 and failed
    ):
        with pytest.raises(services.AssessmentError, match=refusal):
            open_round(scheme, units, **terms)
    assert not Round.objects.exists()


def test_a_score_with_more_than_one_decimal_is_refused_not_rounded_apart_from_the_total(round_, units, xianzong):
    """Scores are kept to one decimal: 6.25 was stored as 6.2 on its line while the total and the unit's
    notice said 26.25, so the lines of the published result did not add up to its total."""
    check = check_of(round_, units["school"])
    criterion = round_.scheme.criteria.get(title="委员分工明确")
    with pytest.raises(services.AssessmentError, match="一位小数"):
        services.selfcheck_save(check=check, scores={criterion.pk: Decimal("9.95")}, notes={}, summary="")
    check = submitted(round_, units["school"])
    decisions = {c.pk: services.Decision(agreed=True) for c in round_.scheme.criteria.all()}
    decisions[criterion.pk] = services.Decision(agreed=False, score=Decimal("6.25"), reason="分工文件未上墙")
    with pytest.raises(services.AssessmentError, match="一位小数"):
        services.selfcheck_review(check=check, by=xianzong, decisions=decisions)
    decisions[criterion.pk] = services.Decision(agreed=False, score=Decimal("6.5"), reason="分工文件未上墙")
    check = services.selfcheck_review(check=check, by=xianzong, decisions=decisions)
    check.refresh_from_db()
    assert check.total == sum(s.final() for s in check.scores.all())
