import datetime
from decimal import Decimal

import pytest

from core import figures
from core.testing import second_while_first_open
from plans import figures as plan_figures
from plans import plan_templates, services
from plans.models import (
    ItemStatus,
    Plan,
    PlanSection,
    PlanSource,
    PlanStatus,
    ScheduleItem,
    SummaryStatus,
    TargetState,
    YearSummary,
)


def festival_items(plan, festival):
    return list(plan.items.filter(festival=festival))


@pytest.mark.parametrize("key", list(plan_templates.TEMPLATES))
def test_every_template_makes_a_full_plan(units, zhuxi, key):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key=key, user=zhuxi)
    template = plan_templates.TEMPLATES[key]
    assert plan.status == PlanStatus.DRAFT and plan.source == PlanSource.TEMPLATE
    assert "2027" in plan.title and units["school"].name in plan.title
    assert plan.sections.count() == len(template.sections)
    assert plan.targets.count() == len(template.targets) >= 5
    assert plan.items.count() == len(template.items) >= 20
    # A real year: every month from February to December has work in it.
    assert set(plan.items.values_list("month", flat=True)) >= set(range(2, 13))
    assert all(item.date.year == 2027 for item in plan.items.exclude(date=None))


@pytest.mark.parametrize("key", list(plan_templates.TEMPLATES))
def test_2027_festival_visits_fall_before_chunjie_and_zhongqiu(units, key):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key=key)
    chunjie = festival_items(plan, "chunjie")
    zhongqiu = festival_items(plan, "zhongqiu")
    assert chunjie and zhongqiu
    assert all(item.date < datetime.date(2027, 2, 6) for item in chunjie)
    assert all(datetime.date(2027, 9, 1) <= item.date < datetime.date(2027, 9, 15) for item in zhongqiu)
    for item in chunjie + zhongqiu:
        assert item.month == item.date.month


def test_fixed_festivals_keep_their_solar_dates(units):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    jiaoshi = plan.items.get(festival="jiaoshi")
    funv = plan.items.get(festival="funv")
    assert jiaoshi.date == datetime.date(2027, 9, 10) and jiaoshi.month == 9
    assert funv.date == datetime.date(2027, 3, 7)


def test_template_targets_use_registered_metrics_only(units):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    registered = figures.metrics()
    assert plan.targets.exclude(metric="").exists()
    for target in plan.targets.exclude(metric=""):
        assert target.metric in registered


def test_a_second_plan_for_the_same_year_is_refused(units):
    services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    with pytest.raises(services.PlanError, match="已有2027年的工作计划"):
        services.plan_from_template(unit=units["school"], year=2027, template_key="office")
    assert Plan.objects.filter(unit=units["school"]).count() == 1


def test_an_unknown_template_is_refused(units):
    with pytest.raises(services.PlanError):
        services.plan_from_template(unit=units["school"], year=2027, template_key="nope")


def test_copy_moves_items_to_the_new_year_and_recomputes_lunar_festivals(units, zhuxi):
    old = services.plan_from_template(unit=units["school"], year=2026, template_key="school")
    old_chunjie = old.items.get(festival="chunjie", festival_offset=-10)
    assert old_chunjie.date == datetime.date(2026, 2, 7)  # 春节 2026 is 17 February
    grouped = old.items.filter(festival="").first()
    grouped.unit = units["g1"]
    grouped.save()
    old.items.update(status=ItemStatus.DONE)
    target = old.targets.filter(metric="").first()
    target.actual_manual = 7
    target.save()

    new = services.plan_copy(source=old, year=2027, user=zhuxi)

    assert new.source == PlanSource.COPY and new.status == PlanStatus.DRAFT
    assert new.title == old.title.replace("2026", "2027")
    assert new.items.count() == old.items.count()
    assert not new.items.exclude(status=ItemStatus.PLANNED).exists()
    assert not new.targets.exclude(actual_manual=None).exists()
    chunjie = new.items.get(festival="chunjie", festival_offset=-10)
    assert chunjie.date == datetime.date(2027, 1, 27) and chunjie.month == 1
    zhongqiu = new.items.get(festival="zhongqiu")
    assert zhongqiu.date == datetime.date(2027, 9, 10)
    assert new.items.get(text=grouped.text).unit == units["g1"]
    assert [s.heading for s in new.sections.all()] == [s.heading for s in old.sections.all()]


def test_copy_to_the_same_year_is_refused(units):
    old = services.plan_from_template(unit=units["school"], year=2026, template_key="school")
    with pytest.raises(services.PlanError):
        services.plan_copy(source=old, year=2026)


def test_publishing_needs_a_schedule(units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="空计划")
    with pytest.raises(services.PlanError, match="月度安排"):
        services.plan_publish(plan=plan)
    ScheduleItem.objects.create(plan=plan, unit=units["school"], month=3, text="召开教代会")
    services.plan_publish(plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_at is not None


def test_publishing_again_keeps_the_date_the_plan_was_published(units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    ScheduleItem.objects.create(plan=plan, unit=units["school"], month=3, text="召开教代会")
    page_copy = Plan.objects.get(pk=plan.pk)  # another officer's page, read while it was a draft
    services.plan_publish(plan=plan)
    adopted = datetime.datetime(2027, 1, 8, 9, 0, tzinfo=datetime.UTC)
    Plan.objects.filter(pk=plan.pk).update(published_at=adopted)
    again = services.plan_publish(plan=page_copy)
    assert again.published_at == adopted and Plan.objects.get(pk=plan.pk).published_at == adopted


def test_a_plan_published_meanwhile_is_not_deleted_from_a_draft_page(units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    ScheduleItem.objects.create(plan=plan, unit=units["school"], month=3, text="召开教代会")
    page_copy = Plan.objects.get(pk=plan.pk)  # the confirmation page, read while it was a draft
    services.plan_publish(plan=plan)
    with pytest.raises(services.PlanError, match="已发布的计划不能删除，请先改回草稿"):
        services.plan_delete(plan=page_copy)
    assert plan.items.exists()
    services.plan_unpublish(plan=plan)
    services.plan_delete(plan=page_copy)
    assert not Plan.objects.filter(pk=plan.pk).exists()


def test_a_part_added_to_a_draft_deleted_meanwhile_is_refused_and_nothing_is_written(units, zhuxi):
    from plans.models import Target

    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    page_copy = Plan.objects.get(pk=plan.pk)  # a colleague's form, opened before the draft was deleted
    services.plan_delete(plan=plan)

    for part in (PlanSection(plan=page_copy, heading="一、指导思想", order=1), Target(plan=page_copy, name="新会员")):
        with pytest.raises(services.PlanError, match="这份计划已被删除"):
            services.part_save(part)
    with pytest.raises(services.PlanError, match="这份计划已被删除"):
        services.item_save(item=ScheduleItem(plan=page_copy, unit=units["school"], month=3, text="教代会"), by=zhuxi)
    assert not PlanSection.objects.exists() and not Target.objects.exists() and not ScheduleItem.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_item_added_while_the_draft_is_deleted_waits_and_is_refused(units, zhuxi):
    """Without the plan's lock the item failed its foreign key at commit (a server error)."""
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    page_copy = Plan.objects.get(pk=plan.pk)
    item = ScheduleItem(plan=page_copy, unit=units["school"], month=3, text="召开教代会")

    with pytest.raises(services.PlanError, match="这份计划已被删除"):
        second_while_first_open(
            lambda: services.plan_delete(plan=plan), lambda: services.item_save(item=item, by=zhuxi)
        )
    assert not ScheduleItem.objects.exists()


def test_postponing_needs_a_later_month(units, zhuxi):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=5, text="拔河比赛")
    with pytest.raises(services.PlanError, match="延期到哪个月"):
        services.item_set_status(item=item, status=ItemStatus.POSTPONED, user=zhuxi)
    with pytest.raises(services.PlanError, match="晚于原定的5月"):
        services.item_set_status(item=item, status=ItemStatus.POSTPONED, postponed_to=4, user=zhuxi)
    services.item_set_status(item=item, status=ItemStatus.POSTPONED, postponed_to=6, note="雨天", user=zhuxi)
    item.refresh_from_db()
    assert (item.status, item.postponed_to, item.note) == (ItemStatus.POSTPONED, 6, "雨天")


def test_done_then_reopened_clears_who_and_when(units, zhuxi):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=5, text="拔河比赛")
    services.item_set_status(item=item, status=ItemStatus.DONE, user=zhuxi, today=datetime.date(2027, 5, 20))
    item.refresh_from_db()
    assert item.done_by == zhuxi and item.done_at is not None
    services.item_set_status(item=item, status=ItemStatus.PLANNED, user=zhuxi, today=datetime.date(2027, 5, 21))
    item.refresh_from_db()
    assert item.done_by is None and item.done_at is None


@pytest.fixture
def published(units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    add = ScheduleItem.objects.create
    add(plan=plan, unit=units["school"], month=3, text="教代会", category="democracy", status=ItemStatus.DONE)
    add(plan=plan, unit=units["school"], month=3, text="三八活动", category="women")
    add(plan=plan, unit=units["g1"], month=4, text="趣味运动会", category="culture", status=ItemStatus.IN_PROGRESS)
    add(plan=plan, unit=units["school"], month=4, text="读书会", category="study", status=ItemStatus.CANCELLED)
    add(plan=plan, unit=units["school"], month=5, text="技能比赛", category="competition")
    add(plan=plan, unit=units["school"], month=2, text="迎春", category="culture", status="postponed", postponed_to=6)
    add(plan=plan, unit=units["school"], month=0, text="公开栏", category="democracy")
    plan.targets.create(name="活动", measure="次", op=">=", value=12, actual_manual=Decimal(3))
    plan.targets.create(name="提案答复率", measure="%", op="==", value=100, actual_manual=Decimal(100))
    services.plan_publish(plan=plan)
    return plan


def test_progress_counts_by_month_and_category_without_cancelled_items(published):
    progress = services.plan_progress(published, today=datetime.date(2027, 5, 10))
    assert (progress.total.planned, progress.total.done, progress.total.percent) == (6, 1, 17)
    months = {m.key: m for m in progress.months}
    assert (months[3].planned, months[3].done, months[3].overdue) == (2, 1, 1)
    assert (months[4].planned, months[4].overdue) == (1, 1)
    assert len(months[4].items) == 2  # the cancelled item is still listed
    categories = {c.key: (c.planned, c.done) for c in progress.categories}
    assert categories == {"democracy": (2, 1), "women": (1, 0), "culture": (2, 0), "competition": (1, 0)}
    assert [r.item.text for r in progress.overdue] == ["三八活动", "趣味运动会"]


def test_progress_marks_targets(published):
    progress = services.plan_progress(published, today=datetime.date(2027, 5, 10))
    states = {t.target.name: t.state for t in progress.targets}
    # 3 of 12 by the end of April (4/12 of the year: 4 expected) is behind.
    assert states == {"活动": TargetState.AT_RISK, "提案答复率": TargetState.ACHIEVED}
    assert progress.target_states[TargetState.ACHIEVED] == 1


def test_items_done_rate_counts_items_due_so_far(published, units):
    # Due by 10 May 2027: March (done, open) and April (in progress): 1 of 3.
    rate = plan_figures.items_done_rate(units["school"], 2027, today=datetime.date(2027, 5, 10))
    assert rate.quantize(Decimal("0.1")) == Decimal("33.3")
    assert plan_figures.items_done_rate(units["county"], 2027, today=datetime.date(2027, 5, 10)) == rate
    assert plan_figures.items_done_rate(units["office"], 2027, today=datetime.date(2027, 5, 10)) is None
    assert plan_figures.items_done_rate(units["school"], 2028, today=datetime.date(2027, 5, 10)) is None
    assert "plans.items_done_rate" in figures.metrics()


def test_summary_draft_reports_what_was_recorded(published, zhuxi):
    summary = services.summary_draft(plan=published, user=zhuxi, today=datetime.date(2028, 1, 5))
    assert summary.status == SummaryStatus.DRAFT and summary.year == 2027
    body = summary.body
    assert "一、计划执行情况" in body
    assert "全年计划安排工作事项6项，已完成1项" in body
    assert "民主管理方面，计划安排2项工作，完成1项，主要有：教代会。" in body
    assert "二、工作目标完成情况" in body
    assert "提案答复率：目标达到100%，实际100%，已达成。" in body
    assert "活动：目标不少于12次，实际3次，未达成。" in body
    assert "三八活动（计划中）" in body
    assert body.splitlines()[-3].endswith("、存在的不足和下一步打算")


def test_summary_draft_includes_every_registered_section(published, monkeypatch):
    def care_section(unit, year):
        return figures.SummarySection(
            heading="关爱帮扶", paragraphs=["走访慰问困难职工12户。"], figures=[("慰问金", "¥6,000.00")]
        )

    monkeypatch.setattr(figures, "_summary_sections", [care_section])
    summary = services.summary_draft(plan=published, today=datetime.date(2028, 1, 5))
    # The section's own sentences; its figures are not repeated as "label: value" lines.
    assert "三、关爱帮扶\n走访慰问困难职工12户。\n四、" in summary.body
    assert "慰问金" not in summary.body
    assert "四、存在的不足和下一步打算" in summary.body


def test_a_final_summary_is_not_redrafted(published):
    summary = services.summary_draft(plan=published, today=datetime.date(2028, 1, 5))
    summary.status = SummaryStatus.FINAL
    summary.body = "定稿正文"
    summary.save()
    with pytest.raises(services.PlanError, match="已定稿"):
        services.summary_draft(plan=published, today=datetime.date(2028, 1, 5))
    summary.refresh_from_db()
    assert summary.body == "定稿正文"


def test_the_template_suggested_follows_the_kind_and_name_of_the_unit(units):
    from orgs.models import OrgUnit

    add = OrgUnit.objects.add_child
    plant = add(units["county"], {"code": "plant", "name": "东方机械有限公司工会", "kind": "union"})
    bureau = add(units["county"], {"code": "bureau", "name": "县财政局机关工会", "kind": "union"})
    assert plan_templates.suggested_for(units["county"]) == "federation"
    assert plan_templates.suggested_for(units["school"]) == "school"
    assert plan_templates.suggested_for(plant) == "company"
    assert plan_templates.suggested_for(bureau) == "office"


def test_before_the_year_begins_no_target_is_at_risk(units):
    plan = services.plan_create_blank(unit=units["school"], year=2028, title="计划")
    rate = plan.targets.create(name="入会率", measure="%", op="==", value=100, actual_manual=Decimal(96))
    count = plan.targets.create(name="活动", measure="次", op=">=", value=12, actual_manual=Decimal(0))
    reached = plan.targets.create(name="续保率", measure="%", op=">=", value=90, actual_manual=Decimal(95))
    december = datetime.date(2027, 12, 20)
    assert [t.state(december) for t in (rate, count, reached)] == [
        TargetState.NOT_STARTED,
        TargetState.NOT_STARTED,
        TargetState.ACHIEVED,
    ]
    assert rate.state(datetime.date(2028, 1, 5)) == TargetState.AT_RISK


def test_progress_is_returned_not_stamped_on_the_records(published):
    progress = services.plan_progress(published, today=datetime.date(2027, 5, 10))
    row = progress.overdue[0]
    assert row.overdue and not hasattr(row.item, "overdue") and not hasattr(row.item, "evidence")
    status = next(t for t in progress.targets if t.target.name == "活动")
    assert (status.actual, status.state) == (Decimal(3), TargetState.AT_RISK)
    assert not hasattr(status.target, "_actual") and not hasattr(status.target, "current_state")


def test_the_officer_is_told_why_an_activity_count_disagrees_with_the_items_done(units, monkeypatch):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    for text in ("拔河比赛", "羽毛球赛", "合唱比赛"):
        plan.items.create(unit=units["school"], month=5, text=text, category="culture", status=ItemStatus.DONE)
    plan.targets.create(name="开展工会活动", measure="次", op=">=", value=12, metric="activities.held")
    monkeypatch.setattr(services.figures, "metric_value", lambda key, unit, year: Decimal(0))
    body = services.summary_text(plan=plan, today=datetime.date(2028, 1, 10))
    assert "文体活动方面，计划安排3项工作，完成3项，主要有：拔河比赛；羽毛球赛；合唱比赛。" in body
    assert "开展工会活动：目标不少于12次，实际0次，未达成。" in body
    # Said to the officer on the summary's page, not in the text that goes to Word and to the county.
    assert "活动记录" not in body and "请" not in body
    [gap] = services.summary_gaps(plan, today=datetime.date(2028, 1, 10))
    assert gap.startswith("有3项计划事项标为已完成，却没有关联的活动记录：“开展工会活动”按登记为已举办的活动统计")


def test_moving_a_section_renumbers_the_plan_and_stops_at_either_end(published):
    for order, heading in enumerate(["指导思想", "主要任务", "保障措施"], start=1):
        PlanSection.objects.create(plan=published, order=order * 10, heading=heading)
    first, _middle, last = published.sections.all()
    services.section_move(section=first, up=True)  # already first: nothing moves
    assert published.sections.first() == first
    services.section_move(section=last, up=True)
    orders = list(published.sections.values_list("pk", "order"))
    assert [order for _pk, order in orders] == list(range(1, len(orders) + 1))
    assert orders[-2][0] == last.pk


def test_an_item_saved_from_the_form_goes_last_in_its_month_and_records_who_marked_it_done(published, zhuxi):
    in_june = published.items.filter(month=6).count()
    item = services.item_save(
        item=ScheduleItem(plan=published, unit=published.unit, month=6, text="职工趣味运动会"), by=zhuxi
    )
    assert item.order == in_june + 1 and item.done_at is None
    item.status = ItemStatus.DONE
    services.item_save(item=item, by=zhuxi)
    item.refresh_from_db()
    assert item.done_by == zhuxi and item.done_at is not None
    item.status = ItemStatus.IN_PROGRESS
    services.item_save(item=item, by=zhuxi)
    item.refresh_from_db()
    assert item.done_by is None and item.done_at is None


def test_two_officers_starting_the_years_plan_at_once_get_one_plan_and_a_message(units, monkeypatch):
    services.plan_create_blank(unit=units["school"], year=2027, title="2027年工作计划")
    # The second request's check ran before the first one's plan landed.
    monkeypatch.setattr(Plan.objects, "filter", lambda **kw: Plan.objects.none())
    with pytest.raises(services.PlanError, match="已有2027年的工作计划"):
        services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    assert Plan.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_drafting_the_summary_at_once_queue_up_on_the_plan(units, zhuxi):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="2027年工作计划")
    summary = second_while_first_open(
        lambda: services.summary_draft(plan=plan, user=zhuxi, today=datetime.date(2028, 1, 5)),
        lambda: services.summary_draft(plan=plan, user=zhuxi, today=datetime.date(2028, 1, 5)),
    )
    assert YearSummary.objects.filter(unit=units["school"], year=2027).get() == summary


def test_an_item_is_not_postponed_to_a_month_already_past(units, zhuxi):
    """On 6 December 2026 an April item of the 2026 plan cannot move to May: it would be overdue at once."""
    plan = services.plan_create_blank(unit=units["school"], year=2026, title="计划")
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=4, text="春季运动会")
    december = datetime.date(2026, 12, 6)
    with pytest.raises(services.PlanError, match="5月已经过去") as refused:
        services.item_set_status(item=item, status=ItemStatus.POSTPONED, postponed_to=5, user=zhuxi, today=december)
    assert refused.value.field == "postponed_to"
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED
    # This month is still open; a plan for a year not yet begun may use any later month.
    services.item_set_status(item=item, status=ItemStatus.POSTPONED, postponed_to=12, user=zhuxi, today=december)
    next_year = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    early = ScheduleItem.objects.create(plan=next_year, unit=units["school"], month=4, text="春季运动会")
    services.item_set_status(item=early, status=ItemStatus.POSTPONED, postponed_to=5, user=zhuxi, today=december)


def test_an_item_of_a_year_already_over_is_not_postponed_within_it(units, zhuxi):
    """In December 2026 a March item of the 2025 plan cannot move to its October: that month is long past."""
    plan = services.plan_create_blank(unit=units["school"], year=2025, title="2025年工作计划")
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=3, text="职工书屋建设")
    with pytest.raises(services.PlanError, match="2025年已经过去.*列入2026年的工作计划") as refused:
        services.item_set_status(
            item=item, status=ItemStatus.POSTPONED, postponed_to=10, user=zhuxi, today=datetime.date(2026, 12, 6)
        )
    assert refused.value.field == "postponed_to"
    item.refresh_from_db()
    assert (item.status, item.postponed_to) == (ItemStatus.PLANNED, None)


def test_a_postponement_made_earlier_may_still_take_a_note(units, zhuxi):
    """Re-saving the postponement an item already has is no new promise: a note added in December is kept."""
    plan = services.plan_create_blank(unit=units["school"], year=2026, title="计划")
    item = ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=4, text="春季运动会", status=ItemStatus.POSTPONED, postponed_to=5
    )
    services.item_set_status(
        item=item, status=ItemStatus.POSTPONED, postponed_to=5, note="已于5月举办", today=datetime.date(2026, 12, 6)
    )
    item.refresh_from_db()
    assert item.note == "已于5月举办"


def test_a_december_item_goes_into_next_years_plan_instead_of_being_postponed(units, zhuxi):
    plan = services.plan_create_blank(unit=units["school"], year=2026, title="计划")
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=12, text="年终慰问")
    with pytest.raises(services.PlanError, match="12月的事项不能在本年度内延期：请把它列入2027年的工作计划"):
        services.item_set_status(item=item, status=ItemStatus.POSTPONED, postponed_to=12, user=zhuxi)


def test_a_plan_from_a_template_is_written_whole_or_not_at_all(units, monkeypatch):
    """Plan, sections, targets and items in one transaction: a failure writing the items leaves no half plan."""

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_still_ahead", fail)
    with pytest.raises(RuntimeError):
        services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    assert not Plan.objects.filter(unit=units["school"], year=2027).exists()


def test_a_summary_drafted_in_december_says_whether_each_target_was_met_not_that_it_is_at_risk(published):
    published.targets.create(name="走访慰问", measure="户", op=">=", value=10)  # nothing recorded
    body = services.summary_text(plan=published, today=datetime.date(2027, 12, 8))
    # A summary is the year's account: 有风险 and 进度正常 track a year under way.
    assert "活动：目标不少于12次，实际3次，未达成。" in body
    assert "提案答复率：目标达到100%，实际100%，已达成。" in body
    assert "走访慰问：目标不少于10户，暂无数据。" in body
    assert "有风险" not in body and "暂无数据，暂无数据" not in body


def test_a_summary_drafted_in_december_lists_decembers_open_work_as_under_way_not_undone(published, zhuxi):
    """Drafted on 8 December, the month's 联欢会 and the year-round 公开栏 were listed under
    "未能按计划完成" beside the March work truly left undone."""
    published.items.create(unit=published.unit, month=12, text="迎新年联欢会", category="culture")
    body = services.summary_text(plan=published, today=datetime.date(2027, 12, 8))
    done_part, shortfall = body.split("存在的不足和下一步打算")
    assert "以下事项尚在计划时间内，正在推进：公开栏（计划中）；迎新年联欢会（计划中）。" in done_part
    assert "联欢会" not in shortfall and "公开栏" not in shortfall
    assert "三八活动（计划中）" in shortfall and "读书会（已取消）" in shortfall
    # Once the year is over the same items are work left undone.
    body = services.summary_text(plan=published, today=datetime.date(2028, 1, 5))
    assert "正在推进" not in body
    assert "迎新年联欢会（计划中）" in body.split("存在的不足和下一步打算")[1]


def test_a_summary_gives_the_reason_the_chair_wrote_for_an_item_not_done(published, zhuxi):
    cancelled = published.items.get(text="读书会")
    services.item_set_status(item=cancelled, status=ItemStatus.CANCELLED, note="图书馆改造，并入五月读书月", user=zhuxi)
    open_item = published.items.get(text="三八活动")
    services.item_set_status(
        item=open_item, status=ItemStatus.PLANNED, note="场地未落实\n体检机构档期已满，改在明年三月", user=zhuxi
    )
    body = services.summary_text(plan=published, today=datetime.date(2027, 12, 8))
    assert "读书会（已取消：图书馆改造，并入五月读书月）" in body
    # The latest word on the item, not the history of its notes.
    assert "三八活动（计划中：体检机构档期已满，改在明年三月）" in body
    assert "技能比赛（计划中）" in body
