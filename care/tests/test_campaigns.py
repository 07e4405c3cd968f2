"""Campaigns: the list from rules, split among officers, recorded from a phone, closing fulfils the plan item."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from care import services
from care.figures import songnuan_people
from care.models import Campaign, CampaignEntry, CareTag, FamilyMember
from care.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
FILED = datetime.date(2026, 11, 2)  # files opened before the campaign: nothing is given to a file before it opens


def campaign(units, by, **rules):
    fields = {
        "kind": "spring",
        "title": "2027年春节送温暖",
        "year": 2027,
        "starts_on": datetime.date(2027, 1, 20),
        "ends_on": datetime.date(2027, 2, 5),
        "standard_amount": Decimal("500"),
    }
    fields.update(rules)
    return services.campaign_create(unit=units["school"], by=by, today=TODAY, **fields)


def names(c):
    return sorted(c.entries.values_list("name", flat=True))


def test_the_list_takes_files_at_the_chosen_levels_only(units, bangfu, add_household):
    add_household("深", level="deep")
    add_household("相", level="relative")
    lifted = add_household("脱", level="deep")
    services.household_lift(household=lifted, by=bangfu, on=TODAY, reason="收入稳定", today=TODAY)
    add_household("外", unit="office")  # another union's file
    assert names(campaign(units, bangfu, levels=["deep"])) == ["深"]


def test_retirees_sick_leave_and_model_workers_each_once(units, bangfu, add_member, add_household):
    retired = add_member("退", status="retired")
    sick = add_member("病")
    model = add_member("模")
    add_member("普通")
    CareTag.objects.create(unit=sick.unit, member=sick, kind="sick_leave", since=datetime.date(2026, 10, 1))
    CareTag.objects.create(
        unit=model.unit,
        member=model,
        kind="model_worker",
        since=datetime.date(2020, 1, 1),
        until=datetime.date(2026, 1, 1),
    )  # lapsed
    CareTag.objects.create(unit=retired.unit, member=retired, kind="sick_leave", since=datetime.date(2026, 10, 1))
    add_household("退", id_number=retired.id_number, level="deep")
    c = campaign(
        units, bangfu, levels=["deep"], include_retirees=True, include_sick_leave=True, include_model_workers=True
    )
    assert names(c) == ["病", "退"]
    assert c.entries.get(name="退").household is not None  # the file, not the member a second time


def test_children_starting_university_this_year(units, bangfu, add_household):
    family = add_household("考", level="relative")
    FamilyMember.objects.create(household=family, name="孩子", relation="子女", university_year=2027)
    other = add_household("未", level="relative")
    FamilyMember.objects.create(household=other, name="孩子", relation="子女", university_year=2026)
    c = campaign(units, bangfu, kind="school", title="金秋助学", include_university=True)
    assert names(c) == ["考"]
    assert c.entries.get().reason_label == "子女考入大学"


def test_rebuilding_adds_newcomers_and_keeps_work_done(units, bangfu, add_household):
    add_household("甲", entered_on=FILED)
    c = campaign(units, bangfu, levels=["deep"])
    entry = c.entries.get()
    services.campaign_record(
        entry=entry, by=bangfu, amount=Decimal("500"), given_on=datetime.date(2027, 1, 25), today=TODAY
    )
    add_household("乙")
    assert services.campaign_build_list(campaign=c, today=TODAY) == 1
    assert names(c) == ["乙", "甲"]
    assert c.entries.get(name="甲").done_on == datetime.date(2027, 1, 25)


def test_split_among_officers_and_record_from_the_phone(units, bangfu, zhuxi, add_household):
    for name in "甲乙丙":
        add_household(name, entered_on=FILED)
    c = campaign(units, bangfu, levels=["deep"])
    assert services.campaign_split(campaign=c, officers=[bangfu, zhuxi]) == 3
    assert sorted(c.entries.values_list("officer__username", flat=True)) == ["bangfu", "bangfu", "zhuxi"]
    entry = c.entries.filter(officer=zhuxi).get()
    services.campaign_record(
        entry=entry, by=zhuxi, amount=Decimal("500"), given_on=datetime.date(2027, 1, 28), today=TODAY
    )
    entry.refresh_from_db()
    assert entry.done_on and entry.payment.purpose == "songnuan" and entry.payment.campaign == c
    with pytest.raises(services.CareError, match="已登记过"):
        services.campaign_record(
            entry=entry, by=zhuxi, amount=Decimal("500"), given_on=datetime.date(2027, 1, 28), today=TODAY
        )
    progress = services.campaign_progress(c)
    assert [(p.unit_name, p.done, p.total, p.amount) for p in progress] == [("东关完小工会小组", 1, 3, Decimal("500"))]
    assert songnuan_people(units["school"], 2027) == 1


def test_closing_marks_the_plan_item_done_with_the_totals(units, bangfu, add_household):
    from plans.models import Plan, PlanStatus, ScheduleItem

    plan = Plan.objects.create(unit=units["school"], year=2027, title="计划", status=PlanStatus.PUBLISHED)
    item = ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=1, text="春节前走访慰问困难职工", category="care"
    )
    add_household("甲", entered_on=FILED)
    c = campaign(units, bangfu, levels=["deep"], schedule_item=item)
    services.campaign_record(
        entry=c.entries.get(), by=bangfu, amount=Decimal("500"), given_on=datetime.date(2027, 1, 25), today=TODAY
    )
    services.campaign_close(campaign=c, by=bangfu)
    item.refresh_from_db()
    assert item.is_done and "慰问 1 人次，金额 500.00 元" in item.note
    with pytest.raises(services.CareError, match="活动已结束"):
        services.campaign_record(
            entry=CampaignEntry(pk=c.entries.get().pk), by=bangfu, amount=Decimal("1"), given_on=TODAY
        )


def test_a_closed_campaign_takes_nobody_new_on_its_list_and_shares_out_no_visits(units, bangfu, zhuxi, add_household):
    from core.models import Notification

    add_household("甲")
    c = campaign(units, bangfu, levels=["deep"])
    services.campaign_close(campaign=c, by=bangfu)
    add_household("乙")
    with pytest.raises(services.CareError, match="不能再补充名单"):
        services.campaign_build_list(campaign=c, today=TODAY)
    with pytest.raises(services.CareError, match="不能再分配走访人"):
        services.campaign_split(campaign=c, officers=[bangfu, zhuxi])
    assert names(c) == ["甲"] and not c.entries.filter(officer__isnull=False).exists()
    assert not Notification.objects.filter(kind="care.campaign_assigned").exists()


def test_rebuilding_or_splitting_from_a_page_opened_before_the_closing_says_why_not(
    units, bangfu, add_household, client_for
):
    add_household("甲")
    c = campaign(units, bangfu, levels=["deep"])
    services.campaign_close(campaign=c, by=bangfu)
    client = client_for(bangfu)
    html = client.post(f"/care/campaigns/{c.pk}/rebuild/", follow=True).content.decode()
    assert "活动已结束，不能再补充名单。" in html
    html = client.post(f"/care/campaigns/{c.pk}/split/", {"officers": [bangfu.pk]}, follow=True).content.decode()
    assert "活动已结束，不能再分配走访人。" in html
    assert not c.entries.filter(officer__isnull=False).exists()


def test_the_export_masks_names_for_a_role_that_may_not_see_them(units, bangfu, add_household, client_for):
    add_household("张桂芳")
    c = campaign(units, bangfu, levels=["deep"])
    response = client_for(bangfu).get(f"/care/campaigns/{c.pk}/export/")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2027年春节送温暖" and rows[2][2] == "张桂芳"
    from care.views.common import mask_name

    assert mask_name("张桂芳") == "张**"


def test_the_export_dates_each_visit_with_a_date_cell(units, bangfu, add_household, client_for):
    household = add_household("张桂芳")
    c = campaign(units, bangfu, levels=["deep"])
    c.entries.filter(household=household).update(done_on=datetime.date(2027, 1, 20))
    sheet = load_workbook(
        filename=__import__("io").BytesIO(client_for(bangfu).get(f"/care/campaigns/{c.pk}/export/").content)
    ).active
    assert [cell.value for cell in sheet[2]][7] == "日期"
    assert sheet["H3"].value == datetime.datetime(2027, 1, 20) and sheet["H3"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.column_dimensions["H"].width >= 15  # 2027年1月20日 whole, not ######## in Excel


def test_the_signoff_sheet_lists_everyone_with_a_space_to_sign(units, bangfu, add_household, client_for):
    add_household("张桂芳")
    c = campaign(units, bangfu, levels=["deep"])
    html = client_for(bangfu).get(f"/care/campaigns/{c.pk}/signoff/").content.decode()
    assert "张桂芳" in html and "领取人签字" in html and "¥500.00" in html
    # A page of its own, without the site's menus: on a phone its way back is on the page, not printed.
    assert f'href="/care/campaigns/{c.pk}/" data-testid="back">返回活动</a>' in html
    # Each cell names its column, for the phone's stacked rows (print.css), the header row being hidden there.
    assert '<td class="unit" data-label="单位">' in html and '<td class="sign" data-label="领取人签字">' in html


def test_the_signoff_sheet_is_in_the_officers_language_and_says_what_to_do_when_empty(
    units, bangfu, client_for, settings
):
    c = campaign(units, bangfu, levels=["deep"])  # no file at those levels: nobody on the list
    client = client_for(bangfu)
    html = client.get(f"/care/campaigns/{c.pk}/signoff/").content.decode()
    assert '<html lang="zh-CN">' in html and "名单还是空的：先在活动页“按规则补充名单”，再打印签领表。" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/care/campaigns/{c.pk}/signoff/").content.decode()
    assert '<html lang="en">' in html and "Sign-off sheet for care money and goods" in html


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        ("spring", datetime.date(2026, 12, 1), (2027, datetime.date(2027, 1, 16), datetime.date(2027, 2, 5))),
        ("spring", datetime.date(2027, 3, 1), (2028, datetime.date(2028, 1, 5), datetime.date(2028, 1, 25))),
        ("midautumn", datetime.date(2027, 3, 1), (2027, datetime.date(2027, 8, 25), datetime.date(2027, 9, 14))),
        ("school", datetime.date(2027, 3, 1), (2027, datetime.date(2027, 8, 1), datetime.date(2027, 8, 31))),
        ("cooling", datetime.date(2027, 9, 1), (2028, datetime.date(2028, 7, 1), datetime.date(2028, 8, 31))),
    ],
)
def test_campaign_dates_follow_the_lunar_festivals(kind, today, expected):
    dates = services.campaign_dates(kind, today=today)
    assert (dates.year, dates.starts_on, dates.ends_on) == expected


def test_officers_hear_of_their_share_and_the_plan_item_shows_the_campaign(units, bangfu, zhuxi, add_household):
    from core.figures import calendar_entries, evidence_for
    from core.models import Notification
    from plans.models import Plan, PlanStatus, ScheduleItem

    plan = Plan.objects.create(unit=units["school"], year=2027, title="计划", status=PlanStatus.PUBLISHED)
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=1, text="春节慰问", category="care")
    for name in "甲乙丙":
        add_household(name)
    c = campaign(units, bangfu, levels=["deep"], schedule_item=item)
    services.campaign_split(campaign=c, officers=[bangfu, zhuxi])
    assert "分给您 2 人" in Notification.objects.get(user=bangfu, kind="care.campaign_assigned").text
    assert [e.label for e in evidence_for([item.pk])[item.pk]] == ["2027年春节送温暖"]
    days = calendar_entries(bangfu, units["school"], datetime.date(2027, 1, 1), datetime.date(2027, 2, 28))
    assert [(e.date, e.kind) for e in days if e.kind == "care"] == [
        (datetime.date(2027, 1, 20), "care"),
        (datetime.date(2027, 2, 5), "care"),
    ]


def test_the_reminders_command_runs(household, bangfu):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("care_reminders", stdout=out)
    assert "care officers notified" in out.getvalue()


def test_the_new_campaign_form_offers_the_plan_items_of_its_unit_and_those_above(units, client_for):
    """Not every item of the tree below: a province's plans hold over 100,000, all of which the form offered."""
    from django.utils import timezone

    from conftest import make_person
    from orgs.roles import Role
    from plans.models import Plan, PlanStatus, ScheduleItem

    def item(unit, text):
        plan = Plan.objects.create(
            unit=units[unit], year=timezone.localdate().year, title="计划", status=PlanStatus.PUBLISHED
        )
        return ScheduleItem.objects.create(plan=plan, unit=units[unit], month=1, text=text, category="care")

    item("county", "县总工会春节送温暖")
    item("school", "学校春节走访慰问")  # a union's below: its own campaign fulfils it
    county_chair = make_person("xianzhuxi", "刘建华", units["county"], Role.CHAIR)
    response = client_for(county_chair).get("/care/campaigns/new/")
    offered = [label for value, label in response.context["form"].fields["schedule_item"].choices if value]
    assert [text.rsplit("·", 1)[-1] for text in offered] == ["县总工会春节送温暖"]


def test_a_units_list_is_in_pinyin_order_as_rosters_are(units, bangfu, add_household):
    for name in ["程海军", "陈国庆", "黄婷", "胡梦瑶", "陈博"]:
        add_household(name, level="deep")
    c = campaign(units, bangfu, levels=["deep"])  # the list is created in bulk
    assert [e.name for e in c.entries.all()] == ["陈博", "陈国庆", "程海军", "胡梦瑶", "黄婷"]


def test_a_visit_dated_outside_the_campaign_is_refused_naming_its_period(units, bangfu, add_household):
    """A payment dated 2020-01-05 on a 2027 campaign counted in its totals but in no year's figures."""
    add_household("甲", entered_on=FILED)
    c = campaign(units, bangfu, levels=["deep"])
    entry = c.entries.get()
    for day in (datetime.date(2020, 1, 5), datetime.date(2027, 1, 19), datetime.date(2027, 2, 6)):
        with pytest.raises(services.CareError, match="活动期间（2027年1月20日至2027年2月5日）") as error:
            services.campaign_record(entry=entry, by=bangfu, amount=Decimal("500"), given_on=day, today=TODAY)
        assert error.value.field == "given_on"
    entry.refresh_from_db()
    assert entry.done_on is None and not c.payments.exists()
    services.campaign_record(entry=entry, by=bangfu, amount=Decimal("500"), given_on=c.ends_on, today=TODAY)
    assert c.payments.get().given_on == datetime.date(2027, 2, 5)


@pytest.fixture
def running(units, bangfu, add_household):
    """A campaign running on the day the pages read, with one file on its list (opened a month before)."""
    from django.utils import timezone

    today = timezone.localdate()
    add_household("甲", today=today - datetime.timedelta(days=30))
    return campaign(
        units,
        bangfu,
        levels=["deep"],
        year=today.year,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=14),
    )


def test_the_phone_page_refuses_a_date_outside_the_campaign_beside_the_field(running, bangfu, client_for):
    entry = running.entries.get()
    start, end = running.starts_on, running.ends_on
    period = f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    data = {"kind": "money", "amount": "500", "given_on": "2020-01-05", "note": "本人在家"}
    response = client_for(bangfu).post(f"/care/entries/{entry.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"given_on": [f"日期应在活动期间（{period}）内。"]}
    assert 'value="本人在家"' in response.content.decode()  # what was typed stays
    assert not running.payments.exists()


def test_goods_handed_over_on_a_campaign_are_named(running, bangfu, client_for):
    entry = running.entries.get()
    data = {"kind": "goods", "amount": "300", "goods": " ", "given_on": running.starts_on.isoformat()}
    response = client_for(bangfu).post(f"/care/entries/{entry.pk}/", data)
    assert response.status_code == 200 and list(response.context["form"].errors) == ["goods"]
    assert not running.payments.exists()
    assert client_for(bangfu).post(f"/care/entries/{entry.pk}/", {**data, "goods": "米面油"}).status_code == 302
    assert running.payments.get().goods == "米面油"


def test_a_campaign_with_nothing_given_yet_says_so_in_yuan(running, bangfu, client_for):
    html = client_for(bangfu).get(f"/care/campaigns/{running.pk}/").content.decode()
    assert "已发放 0 人次，¥0.00" in html


def test_a_payout_waiting_for_approval_is_not_yet_given_in_the_campaigns_totals(
    running, bangfu, client_for, django_capture_on_commit_callbacks
):
    """Above the approval threshold a payout waits for a second officer: the campaign's "已发放" counts what was
    given (approved), as the year's care totals do, and its progress too."""
    from django.utils import timezone

    entry = running.entries.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_record(entry=entry, by=bangfu, amount=Decimal("1500"), given_on=timezone.localdate())
    assert running.payments.get().is_pending
    html = client_for(bangfu).get(f"/care/campaigns/{running.pk}/").content.decode()
    assert "已发放 0 人次，¥0.00" in html
    assert [p.amount for p in services.campaign_progress(running)] == [Decimal(0)]


def test_the_same_campaign_made_twice_is_refused_naming_the_first(units, bangfu, add_household, client_for):
    """Two 2027年春节送温暖 over the same days listed the same 13 families: each would be visited and paid twice."""
    first = campaign(units, bangfu)
    with pytest.raises(services.CareError, match="已有同类的慰问活动“2027年春节送温暖”") as refused:
        campaign(units, bangfu, starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2027, 2, 10))
    assert refused.value.field == "starts_on"
    # Another kind over the same days, or the same kind later in the year, is a campaign of its own.
    campaign(units, bangfu, kind="school", title="金秋助学")
    campaign(units, bangfu, starts_on=datetime.date(2027, 12, 20), ends_on=datetime.date(2027, 12, 30))
    assert Campaign.objects.filter(kind="spring").count() == 2 and first.pk


def test_a_campaign_not_yet_begun_is_not_said_to_be_running(units, bangfu, client_for):
    later = timezone.localdate() + datetime.timedelta(days=40)
    campaign(units, bangfu, starts_on=later, ends_on=later + datetime.timedelta(days=10), year=later.year)
    page = client_for(bangfu).get("/care/campaigns/").content.decode()
    assert "未开始" in page and "进行中" not in page


def test_a_campaign_counts_in_a_year_near_its_dates(units, bangfu, client_for):
    """bangfu's slip of 9999 for the year of a 2027 campaign was saved: its people and money would count in
    no year anyone reads. A 春节 campaign begun in December counts in the next year."""
    with pytest.raises(services.CareError, match="9999年与活动日期") as refused:
        campaign(units, bangfu, year=9999)
    assert refused.value.field == "year" and not Campaign.objects.exists()
    assert campaign(units, bangfu, year=2027, starts_on=datetime.date(2026, 12, 28)).year == 2027

    page = client_for(bangfu).post(
        "/care/campaigns/new/",
        {"kind": "midautumn", "title": "中秋慰问", "year": "0", "starts_on": "2026-09-20", "ends_on": "2026-09-30"}
        | {"standard_amount": "200", "include_retirees": "on"},
    )
    assert page.context["form"].errors["year"] == ["0年与活动日期（2026年9月20日至2026年9月30日）不符，请核对。"]
    assert page.context["form"]["title"].value() == "中秋慰问" and Campaign.objects.count() == 1


def test_an_empty_list_says_which_list_is_empty_and_what_to_do(units, bangfu, client_for):
    """The whole list empty said “没有分配给您的名单” (the words for “mine”): it now says the rules found nobody
    and how to add people; “mine” empty says where else to record or how to share out the list."""
    c = campaign(units, bangfu, levels=["deep"])  # no file at that level yet
    client = client_for(bangfu)
    page = client.get(f"/care/campaigns/{c.pk}/").content.decode()
    assert "名单为空：按规则没有找到慰问对象。新建档案或标记关爱对象后，点“按规则补充名单”。" in page
    assert "没有分配给您的名单" not in page
    page = client.get(f"/care/campaigns/{c.pk}/?mine=1").content.decode()
    assert "没有分配给您的名单：可以在“全部名单”中登记，或在“分配走访人”中分配。" in page


def test_a_visited_entry_says_so_in_words_not_only_a_green_tick(units, bangfu, add_household, client_for):
    add_household("甲", entered_on=FILED)
    c = campaign(units, bangfu, levels=["deep"])
    services.campaign_record(
        entry=c.entries.get(), by=bangfu, amount=Decimal("500"), given_on=datetime.date(2027, 1, 25), today=TODAY
    )
    page = client_for(bangfu).get(f"/care/campaigns/{c.pk}/").content.decode()
    # A screen reader (and the text itself) says 已慰问, where the eye sees a green tick.
    assert '<span class="visually-hidden">已慰问</span> 2027年1月25日 ¥500.00' in page
