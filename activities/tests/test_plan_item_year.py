"""An activity fulfils an item of the plan of the year it starts in: held, it marks its item done, and a
December party must not complete next year's item. The form refuses another year's item beside 计划事项
(keeping what was typed), and so do the workflows whatever sets the link (creating, editing, moving the
start to another year); the dropdown lists the activity's year's items first, grouped by year."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, Status
from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem


def _local(year, month, day, hour=18):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


@pytest.fixture
def this_year():
    return timezone.localdate().year


@pytest.fixture
def plan_of(units):
    """``plan_of(year, text, month=12)``: an item of demo-school's published plan of that year."""

    def make(year, text, month=12):
        plan, _created = Plan.objects.get_or_create(
            unit=units["school"], year=year, defaults={"title": f"{year}年工作计划", "status": PlanStatus.PUBLISHED}
        )
        return ScheduleItem.objects.create(plan=plan, unit=units["school"], month=month, text=text, category="culture")

    return make


@pytest.fixture
def next_years_party(plan_of, this_year):
    return plan_of(this_year + 1, "举办“迎新年”教职工联欢会和冬季长跑")


def _new_party(client, units, item, starts):
    return client.post(
        reverse("activities:create"),
        {
            "title": "迎新年联欢会",
            "kind": "celebration",
            "unit": units["school"].pk,
            "schedule_item": item.pk,
            "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
            "audience": "all",
            "publish": "1",
        },
    )


def _edit_data(activity, **changes):
    data = {
        "title": activity.title,
        "kind": activity.kind,
        "unit": activity.unit_id,
        "schedule_item": activity.schedule_item_id or "",
        "starts_at": f"{timezone.localtime(activity.starts_at):%Y-%m-%dT%H:%M}",
        "audience": activity.audience,
    }
    return {**data, **changes}


def test_the_chair_cannot_link_a_december_party_to_next_years_item(
    client_for, zhuxi, units, next_years_party, this_year
):
    response = _new_party(client_for(zhuxi), units, next_years_party, _local(this_year, 12, 30))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_schedule_item_error"' in html
    assert response.context["form"].errors["schedule_item"] == [
        f"这是{this_year + 1}年工作计划的事项，活动在{this_year}年举办，不能算作完成它。"
        f"请选择{this_year}年计划的事项，或核对开始时间。"
    ]
    assert 'value="迎新年联欢会"' in html and f'value="{this_year}-12-30T18:00"' in html
    assert not Activity.objects.exists()
    assert not next_years_party.activities.exists()


def test_the_same_party_in_the_new_year_fulfils_next_years_item(client_for, zhuxi, units, next_years_party, this_year):
    response = _new_party(client_for(zhuxi), units, next_years_party, _local(this_year + 1, 1, 2))
    assert response.status_code == 302
    assert Activity.objects.get().schedule_item == next_years_party


def test_moving_the_start_to_another_year_is_refused_while_the_item_is_linked(
    client_for, zhuxi, make_activity, plan_of, this_year
):
    item = plan_of(this_year, "举办教职工联欢会")
    activity = make_activity(title="教职工联欢会", schedule_item=item, starts_at=_local(this_year, 12, 28))
    client = client_for(zhuxi)
    moved = _edit_data(activity, starts_at=f"{this_year + 1}-01-03T18:00")
    response = client.post(reverse("activities:edit", args=[activity.pk]), moved)
    assert response.status_code == 200
    assert (
        f"这是{this_year}年工作计划的事项，活动在{this_year + 1}年举办"
        in response.context["form"].errors["schedule_item"][0]
    )
    assert f'value="{this_year + 1}-01-03T18:00"' in response.content.decode()
    activity.refresh_from_db()
    assert timezone.localtime(activity.starts_at).year == this_year
    # Moved without the item, it is taken.
    response = client.post(reverse("activities:edit", args=[activity.pk]), {**moved, "schedule_item": ""})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.schedule_item is None and timezone.localtime(activity.starts_at).year == this_year + 1


def test_the_workflows_refuse_another_years_item_however_the_link_was_set(
    zhuxi, units, make_activity, next_years_party, this_year
):
    new = Activity(unit=units["school"], title="迎新年联欢会", starts_at=_local(this_year, 12, 30))
    new.schedule_item = next_years_party
    with pytest.raises(services.ActivityError) as refused:
        services.activity_create(activity=new, by=zhuxi, publish=True)
    assert refused.value.field == "schedule_item"
    assert not Activity.objects.exists()

    activity = make_activity(title="迎新年联欢会", starts_at=_local(this_year, 12, 30))
    activity.schedule_item = next_years_party
    with pytest.raises(services.ActivityError):
        services.activity_update(activity=activity)
    activity.refresh_from_db()
    assert activity.schedule_item is None


def test_an_activity_linked_to_another_years_item_before_the_rule_does_not_complete_it(
    zhuxi, make_activity, next_years_party, this_year
):
    activity = make_activity(
        title="迎新年联欢会", schedule_item=next_years_party, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    if timezone.localtime(activity.starts_at).year != this_year:  # an hour after midnight on 1 January
        pytest.skip("the activity started last year")
    with pytest.raises(services.ActivityError, match="请先修改活动，改选或清除计划事项"):
        services.activity_record_held(activity=activity, by=zhuxi, participant_times=30)
    next_years_party.refresh_from_db()
    activity.refresh_from_db()
    assert next_years_party.status == ItemStatus.PLANNED and activity.status == Status.OPEN


def test_the_dropdown_lists_the_activitys_year_first_grouped_by_year_in_bounded_queries(
    client_for, zhuxi, plan_of, this_year, django_assert_max_num_queries
):
    for month in range(1, 13):
        plan_of(this_year, f"本年第{month}月的事项", month=month)
        plan_of(this_year + 1, f"明年第{month}月的事项", month=month)
    plan_of(this_year - 3, "三年前没做完的事项")
    client = client_for(zhuxi)
    with django_assert_max_num_queries(25):
        html = client.get(reverse("activities:create")).content.decode()
    this_group, next_group = (
        html.find(f'<optgroup label="{this_year}年计划">'),
        html.find(f'<optgroup label="{this_year + 1}年计划">'),
    )
    assert -1 < this_group < next_group
    assert "本年第1月的事项" in html[this_group:next_group] and "明年第1月的事项" in html[next_group:]
    assert "三年前没做完的事项" not in html  # no activity can start in that year

    # Typed into January next year, the form shows next year's items first.
    response = client.post(
        reverse("activities:create"), {"title": "", "starts_at": f"{this_year + 1}-01-05T09:00", "audience": "all"}
    )
    html = response.content.decode()
    assert html.find(f'<optgroup label="{this_year + 1}年计划">') < html.find(f'<optgroup label="{this_year}年计划">')
