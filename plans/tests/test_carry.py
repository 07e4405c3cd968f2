"""结转: in December the chair drafting next year's plan brings this year's unfinished items across, each
once, after a confirmation; nobody else's items are offered or carried."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_person
from orgs.roles import Role
from plans import services
from plans.models import ItemStatus, ScheduleItem

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def in_december(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def this_year(units, zhuxi):
    """The school's 2026 plan, tracked: most items done, three left (postponed, cancelled, still open)."""
    plan = services.plan_from_template(unit=units["school"], year=2026, template_key="school", user=zhuxi)
    services.plan_publish(plan=plan)
    plan.items.update(status=ItemStatus.DONE)
    left = list(plan.items.filter(month__in=[3, 5, 9]).order_by("month", "order")[:3])
    for item, status, note in zip(
        left,
        [ItemStatus.POSTPONED, ItemStatus.CANCELLED, ItemStatus.IN_PROGRESS],
        ["场地维修\n延到下学期", "体检机构档期已满", ""],
        strict=True,
    ):
        item.status, item.note = status, note
        item.postponed_to = 11 if status == ItemStatus.POSTPONED else None
        item.save()
    return plan


@pytest.fixture
def next_year(units, zhuxi):
    return services.plan_create_blank(unit=units["school"], year=2027, title="2027年工会工作计划", user=zhuxi)


def unfinished(plan):
    return list(plan.items.exclude(status=ItemStatus.DONE).order_by("month", "order"))


def carry_url(plan):
    return reverse("plans:carry", args=[plan.pk])


def test_the_chair_sees_this_years_unfinished_items_with_their_latest_reason(
    client_for, zhuxi, this_year, next_year, django_assert_max_num_queries
):
    client = client_for(zhuxi)
    client.get(carry_url(next_year))  # the session and the user's roles read once
    with django_assert_max_num_queries(12):
        response = client.get(carry_url(next_year))
    html = response.content.decode()
    rows = response.context["rows"]
    assert [c.item for c, _ticked, _month in rows] == unfinished(this_year)
    assert html.count('data-testid="carry-row"') == 3
    assert "最近的说明：</span>延到下学期" in html and "体检机构档期已满" in html
    assert "场地维修" not in html  # only the latest line of the note
    assert "2026年计划中未完成的事项：3 项" in html


def test_the_page_reads_as_many_queries_for_a_long_year(
    client_for, zhuxi, this_year, next_year, django_assert_max_num_queries
):
    this_year.items.update(status=ItemStatus.PLANNED)  # a year nothing was done in: every item offered
    client = client_for(zhuxi)
    client.get(carry_url(next_year))
    with django_assert_max_num_queries(12):
        response = client.get(carry_url(next_year))
    assert len(response.context["rows"]) == this_year.items.count() > 20


def test_carrying_asks_for_confirmation_then_copies_with_the_months_chosen(client_for, zhuxi, this_year, next_year):
    postponed, cancelled, open_item = unfinished(this_year)
    ScheduleItem.objects.create(
        plan=next_year, unit=next_year.unit, month=4, text="植树", order=40
    )  # copied plan order
    client = client_for(zhuxi)
    data = {"items": [postponed.pk, open_item.pk], f"month_{postponed.pk}": "4", f"month_{open_item.pk}": "9"}
    response = client.post(carry_url(next_year), data)
    assert response.status_code == 200 and next_year.items.count() == 1  # nothing written before confirming
    confirm = response.content.decode()
    assert "将从2026年计划把 2 项事项加入2027年计划" in confirm
    assert postponed.text in confirm and cancelled.text not in confirm.split("carry-chosen")[1]

    response = client.post(carry_url(next_year), {**data, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("#schedule")
    copies = {c.carried_from_id: c for c in next_year.items.exclude(carried_from=None)}
    assert set(copies) == {postponed.pk, open_item.pk}
    assert copies[postponed.pk].month == 4 and copies[open_item.pk].month == 9
    assert all(c.status == ItemStatus.PLANNED and c.text == c.carried_from.text for c in copies.values())
    assert copies[postponed.pk].category == postponed.category and copies[postponed.pk].unit_id == postponed.unit_id
    april = list(next_year.items.filter(month=4))
    assert april[-1] == copies[postponed.pk]  # last in its month
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["已从2026年计划结转2项事项，请检查月份和承办单位。"]


def test_going_back_from_the_confirmation_keeps_the_ticks_and_months(client_for, zhuxi, this_year, next_year):
    postponed, cancelled, open_item = unfinished(this_year)
    data = {
        "items": [cancelled.pk],
        f"month_{cancelled.pk}": "6",
        f"month_{postponed.pk}": "2",
        f"month_{open_item.pk}": str(open_item.month),
        "back": "1",
    }
    response = client_for(zhuxi).post(carry_url(next_year), data)
    ticked = {c.item.pk: (t, m.value() if m else None) for c, t, m in response.context["rows"]}
    assert ticked[cancelled.pk] == (True, "6") and ticked[postponed.pk] == (False, "2")
    assert not next_year.items.exists()


def test_nothing_ticked_is_said_beside_the_list(client_for, zhuxi, this_year, next_year):
    response = client_for(zhuxi).post(carry_url(next_year), {"confirm": "yes"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"items": ["请至少选择一项要结转的事项。"]}


def test_the_same_item_is_not_carried_twice(client_for, zhuxi, this_year, next_year):
    postponed, *_rest = unfinished(this_year)
    services.items_carry(plan=next_year, picks={postponed.pk: 3}, user=zhuxi)
    with pytest.raises(services.PlanError, match="已经结转过，不能重复结转"):
        services.items_carry(plan=next_year, picks={postponed.pk: 5}, user=zhuxi)
    # A page read before the first carry posts it again: refused with the item named, the form kept.
    response = client_for(zhuxi).post(
        carry_url(next_year), {"items": [postponed.pk], f"month_{postponed.pk}": "5", "confirm": "yes"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["items"] == [f"“{postponed.text}”已经结转过，不能重复结转。"]
    assert next_year.items.count() == 1
    page = client_for(zhuxi).get(carry_url(next_year)).content.decode()
    assert 'data-testid="carried"' in page  # shown as carried, with no box to tick


def test_a_carried_item_is_refused_by_the_service_even_if_the_form_offered_it(zhuxi, this_year, next_year):
    postponed, cancelled, _open = unfinished(this_year)
    services.items_carry(plan=next_year, picks={postponed.pk: 3}, user=zhuxi)
    with pytest.raises(services.PlanError) as refused:
        services.items_carry(plan=next_year, picks={cancelled.pk: 5, postponed.pk: 3}, user=zhuxi)
    assert f"“{postponed.text}”已经结转过，不能重复结转。" == refused.value.message
    assert next_year.items.count() == 1  # all or nothing: the cancelled item was not carried either


def test_a_done_item_or_one_of_another_year_is_not_carried(zhuxi, this_year, next_year):
    done = this_year.items.filter(status=ItemStatus.DONE).first()
    with pytest.raises(services.PlanError, match="不是2026年计划中未完成的事项"):
        services.items_carry(plan=next_year, picks={done.pk: 3}, user=zhuxi)


def test_a_published_plan_takes_no_carried_items(client_for, zhuxi, this_year, next_year):
    open_item = unfinished(this_year)[-1]
    services.item_save(item=ScheduleItem(plan=next_year, unit=next_year.unit, month=1, text="元旦慰问"), by=zhuxi)
    services.plan_publish(plan=next_year)
    with pytest.raises(services.PlanError, match="计划已发布"):
        services.items_carry(plan=next_year, picks={open_item.pk: 3}, user=zhuxi)
    response = client_for(zhuxi).get(carry_url(next_year))
    assert response.status_code == 302


def test_nothing_to_carry_when_every_item_was_done(client_for, zhuxi, this_year, next_year):
    this_year.items.update(status=ItemStatus.DONE)
    html = client_for(zhuxi).get(carry_url(next_year)).content.decode()
    assert 'data-testid="nothing-to-carry"' in html and "2026年计划的事项都已完成" in html
    assert 'data-testid="carry-next"' not in html


def test_nothing_to_carry_without_last_years_plan(client_for, zhuxi, next_year):
    html = client_for(zhuxi).get(carry_url(next_year)).content.decode()
    assert "没有2026年的工作计划" in html


def test_another_units_chair_neither_sees_nor_carries_these_items(client_for, units, zhuxi, this_year, next_year):
    jiguan = make_person("jiguan", "吴敏", units["office"], Role.CHAIR)
    office_plan = services.plan_create_blank(unit=units["office"], year=2027, title="机关工会2027年计划", user=jiguan)
    client = client_for(jiguan)
    assert client.get(carry_url(next_year)).status_code == 404  # not her plan
    html = client.get(carry_url(office_plan)).content.decode()
    assert "没有2026年的工作计划" in html and this_year.items.first().text not in html
    item = unfinished(this_year)[0]
    response = client.post(carry_url(office_plan), {"items": [item.pk], f"month_{item.pk}": "3", "confirm": "yes"})
    assert response.status_code == 200 and "items" in response.context["form"].errors
    with pytest.raises(services.PlanError):
        services.items_carry(plan=office_plan, picks={item.pk: 3}, user=jiguan)
    with pytest.raises(services.PlanError, match="没有修改这份计划的权限"):
        services.items_carry(plan=next_year, picks={item.pk: 3}, user=jiguan)
    assert not ScheduleItem.objects.filter(carried_from__isnull=False).exists()


@pytest.mark.parametrize("persona", ["xiaozu", "huiyuan", "xianzong", "outsider"])
def test_only_the_chair_may_open_the_carry_page(request, client_for, this_year, next_year, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(carry_url(next_year)).status_code == 404


def test_a_festival_item_kept_in_its_month_follows_the_festival(zhuxi, this_year, next_year):
    festival = this_year.items.exclude(festival="").first()
    festival.status = ItemStatus.PLANNED
    festival.save()
    [copy] = services.items_carry(plan=next_year, picks={festival.pk: festival.month}, user=zhuxi)
    assert copy.festival == festival.festival and copy.date.year == 2027


def test_the_item_page_says_where_a_carried_item_came_from(client_for, zhuxi, this_year, next_year):
    postponed = unfinished(this_year)[0]
    [copy] = services.items_carry(plan=next_year, picks={postponed.pk: 2}, user=zhuxi)
    html = client_for(zhuxi).get(reverse("plans:item", args=[copy.pk])).content.decode()
    assert reverse("plans:item", args=[postponed.pk]) in html and "结转自" in html
    old = client_for(zhuxi).get(reverse("plans:item", args=[postponed.pk])).content.decode()
    assert "已结转到2027年计划" in old
    plan_page = client_for(zhuxi).get(reverse("plans:detail", args=[next_year.pk])).content.decode()
    assert 'data-testid="carried-badge"' in plan_page and reverse("plans:carry", args=[next_year.pk]) in plan_page


def test_the_carry_pages_and_next_years_plan_read_in_english(client_for, units):
    from core.testing import in_english, untranslated
    from orgs.models import OrgUnit

    unit = OrgUnit.objects.add_child(units["county"], {"code": "ascii", "name": "Ascii Union", "kind": "union"})
    chair = make_person("ascii-chair", "Ascii Chair", unit, Role.CHAIR)
    old = services.plan_create_blank(unit=unit, year=2026, title="Plan 2026")
    left = ScheduleItem.objects.create(plan=old, unit=unit, month=3, text="Congress", note="Hall closed")
    ScheduleItem.objects.create(plan=old, unit=unit, month=5, text="Games", status=ItemStatus.POSTPONED, postponed_to=6)
    new = services.plan_create_blank(unit=unit, year=2027, title="Plan 2027")
    new.targets.create(name="Visits", measure="x", op=">=", value=5, actual_manual=1)
    client = in_english(client_for(chair))
    pages = [
        client.get(carry_url(new)),
        client.post(carry_url(new), {}),  # nothing ticked
        client.post(carry_url(new), {"items": [left.pk], f"month_{left.pk}": "4"}),  # the confirmation
    ]
    services.items_carry(plan=new, picks={left.pk: 4}, user=chair)
    pages += [client.get(carry_url(new)), client.get(reverse("plans:detail", args=[new.pk]))]
    pages.append(client.get(reverse("plans:item", args=[new.items.get().pk])))
    for response in pages:
        assert response.status_code == 200
        assert untranslated(response.content.decode()) == []
