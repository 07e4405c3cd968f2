import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from conftest import make_person
from core.testing import in_english, untranslated
from orgs.models import OrgUnit
from orgs.roles import Role
from plans import services
from plans.models import ItemStatus, Plan, PlanSection, PlanStatus, ScheduleItem, SummaryStatus, YearSummary
from plans.parsing import numbering
from rollups.refresh import touch

TODAY = datetime.date(2027, 5, 10)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """Pages read today's date from django.utils.timezone.localdate: 10 May 2027 throughout."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def plan(units, zhuxi):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school", user=zhuxi)
    plan.items.filter(text__contains="趣味运动会").update(unit=units["g1"])
    services.plan_publish(plan=plan)
    return plan


def item(plan, text):
    return plan.items.get(text__contains=text)


def test_login_is_required(client, units):
    response = client.get(reverse("plans:index"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_chair_sees_the_plans_of_the_own_subtree_only(client_for, zhuxi, units, plan):
    services.plan_create_blank(unit=units["office"], year=2027, title="教育局机关工会计划")
    services.plan_create_blank(unit=units["g1"], year=2027, title="东关完小小组计划")
    html = client_for(zhuxi).get(reverse("plans:index")).content.decode()
    assert plan.title in html and "东关完小小组计划" in html
    assert "教育局机关工会计划" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("zhuxi", 200), ("weiyuan", 200), ("xianzong", 200), ("xiaozu", 404), ("huiyuan", 404), ("outsider", 404)],
)
def test_who_may_open_the_plan_page(request, client_for, plan, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("plans:detail", args=[plan.pk])).status_code == status


def test_the_plan_page_leads_straight_to_each_month(client_for, zhuxi, plan):
    html = client_for(zhuxi).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    jumps = html.split('data-testid="month-jumps"')[1].split("</nav>")[0]
    months = sorted(set(plan.items.values_list("month", flat=True)))
    assert len(months) > 3
    for month in months:  # each link goes to a month shown below
        assert f'href="#month-{month}"' in jumps and f'id="month-{month}"' in html


def test_federation_viewer_reads_but_cannot_change(client_for, xianzong, plan):
    client = client_for(xianzong)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:edit", args=[plan.pk]) not in html
    assert 'data-testid="mark-done"' not in html
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 404
    done = item(plan, "召开教职工代表大会")
    response = client.post(reverse("plans:item_status", args=[done.pk]), {"status": "done"})
    assert response.status_code == 404
    done.refresh_from_db()
    assert done.status == ItemStatus.PLANNED


def test_chair_creates_a_plan_from_a_template(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("plans:create"), {"year": 2027, "start": "template", "template": "school"}
    )
    plan = Plan.objects.get(unit=units["school"], year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.items.count() > 20 and plan.created_by == zhuxi and plan.status == PlanStatus.DRAFT


def test_create_form_preselects_the_template_of_the_unit(client_for, zhuxi):
    html = client_for(zhuxi).get(reverse("plans:create")).content.decode()
    assert 'id="template-school" value="school" checked' in html
    assert 'value="2027"' in html  # May: the plan of the current year


def test_create_form_offers_the_next_free_year_and_last_years_plan(client_for, zhuxi, plan):
    html = client_for(zhuxi).get(reverse("plans:create")).content.decode()
    assert 'name="year" value="2028"' in html
    assert f'<option value="{plan.pk}" selected>2027年：' in html


def test_create_says_which_field_is_wrong(client_for, zhuxi, plan):
    client = client_for(zhuxi)
    response = client.post(reverse("plans:create"), {"year": 2027, "start": "template", "template": "school"})
    assert response.status_code == 200
    assert "城关镇中心学校工会已有2027年的工作计划" in response.content.decode()
    response = client.post(reverse("plans:create"), {"year": 2028, "start": "copy"})
    assert "请选择要沿用的计划" in response.content.decode()
    response = client.post(reverse("plans:create"), {"year": 2028, "start": "blank", "title": " "})
    assert "请填写计划标题" in response.content.decode()
    assert Plan.objects.count() == 1


def test_chair_copies_last_years_plan(client_for, zhuxi, units, plan):
    response = client_for(zhuxi).post(reverse("plans:create"), {"year": 2028, "start": "copy", "copy_from": plan.pk})
    copied = Plan.objects.get(unit=units["school"], year=2028)
    assert response.status_code == 302
    assert copied.items.count() == plan.items.count()


def test_group_leader_cannot_create_a_plan_for_the_union(client_for, xiaozu):
    assert client_for(xiaozu).get(reverse("plans:create")).status_code == 404


def test_plan_page_shows_progress_overdue_items_and_targets(client_for, zhuxi, plan):
    item(plan, "召开教职工代表大会").mark_done(by=zhuxi)
    html = client_for(zhuxi).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="overdue-card"' in html
    assert "举办春季教职工趣味运动会" in html  # April, not done: overdue in May
    assert "有风险" in html or "暂无数据" in html
    assert html.count('data-testid="target-row"') == plan.targets.count()
    assert html.count('data-testid="plan-section"') == len(plan.outline())
    assert "一、指导思想" in html and "（一）加强思想政治引领" in html and "四、保障措施" in html


def test_plan_page_keeps_its_queries_bounded(client_for, zhuxi, plan, units, django_assert_max_num_queries):
    ScheduleItem.objects.bulk_create(
        ScheduleItem(plan=plan, unit=units["g2"], month=m % 12 + 1, text=f"小组活动{m}", category="culture")
        for m in range(120)
    )
    client = client_for(zhuxi)
    client.get(reverse("plans:detail", args=[plan.pk]))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.content.decode().count('data-testid="plan-item"') == plan.items.count()


def test_marking_an_item_done_inline_returns_the_row_and_the_totals(client_for, zhuxi, plan):
    target = item(plan, "召开教职工代表大会")
    response = client_for(zhuxi).post(
        reverse("plans:item_status", args=[target.pk]), {"status": "done", "progress": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    target.refresh_from_db()
    assert target.status == ItemStatus.DONE and target.done_by == zhuxi
    assert f'id="item-{target.pk}"' in html and "已完成" in html
    assert 'id="plan-progress" hx-swap-oob="true"' in html
    assert 'id="month-tally-3" hx-swap-oob="true"' in html
    assert 'id="plan-overdue" hx-swap-oob="true"' in html
    # The sidebar's category counts come back too, with the item counted as done.
    categories = html[html.index('id="plan-categories"') :]
    democracy = plan.items.filter(category=target.category).exclude(status=ItemStatus.CANCELLED)
    done = democracy.filter(status=ItemStatus.DONE).count()
    assert 'hx-swap-oob="true"' in categories[:40] and f"{done}/{democracy.count()}" in categories


def test_an_item_of_a_year_not_begun_is_not_marked_done_without_a_word(client_for, zhuxi, units):
    future = services.plan_from_template(unit=units["school"], year=2028, template_key="school", user=zhuxi)
    services.plan_publish(plan=future)
    first = future.items.first()
    client = client_for(zhuxi)
    response = client.post(
        reverse("plans:item_status", args=[first.pk]), {"status": "done", "progress": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "2028年还没有开始" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ItemStatus.PLANNED
    data = {"month": first.month, "text": first.text, "category": first.category, "unit": first.unit_id}
    response = client.post(reverse("plans:item_edit", args=[first.pk]), {**data, "status": "done"})
    assert "2028年还没有开始" in response.content.decode()
    client.post(reverse("plans:item_edit", args=[first.pk]), {**data, "status": "done", "note": "提前到年底举办"})
    first.refresh_from_db()
    assert first.status == ItemStatus.DONE


def test_the_page_and_the_word_document_number_the_plan_alike(client_for, zhuxi, plan):
    from docx import Document

    html = client_for(zhuxi).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    document = Document(io.BytesIO(client_for(zhuxi).get(reverse("plans:plan_docx", args=[plan.pk])).content))
    headings = [p.text for p in document.paragraphs if numbering(p.text) and numbering(p.text)[0] <= 2]
    assert headings[:2] == ["一、指导思想", "二、工作目标"]
    for heading in headings:
        assert heading in html


def test_a_plan_with_text_pasted_from_word_still_downloads_as_a_word_document(client_for, zhuxi, plan):
    # A line break copied from Word arrives in a one-line box as a vertical tab; XML, so a .docx, holds none.
    from docx import Document

    client = client_for(zhuxi)
    section = plan.sections.filter(level=2).first()
    data = {"level": section.level, "heading": "加强\x0b思想引领", "body": section.body}
    assert client.post(reverse("plans:section_edit", args=[section.pk]), data).status_code == 302
    section.refresh_from_db()
    assert section.heading == "加强思想引领"  # the form drops it (core.forms); the document writer would too
    response = client.get(reverse("plans:plan_docx", args=[plan.pk]))
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert any(text.endswith("加强思想引领") for text in texts)


def test_group_leader_updates_items_assigned_to_the_group(client_for, xiaozu, plan):
    client = client_for(xiaozu)
    assigned = item(plan, "趣味运动会")
    page = client.get(reverse("plans:assigned") + "?year=2027").content.decode()
    assert "举办春季教职工趣味运动会" in page
    assert "召开教职工代表大会" not in page  # the union's own item
    response = client.post(
        reverse("plans:item_status", args=[assigned.pk]),
        {"status": "postponed", "postponed_to": "6", "note": "雨季推迟"},
    )
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert (assigned.status, assigned.postponed_to) == (ItemStatus.POSTPONED, 6)
    assert client.get(reverse("plans:item", args=[assigned.pk])).status_code == 200
    assert client.get(reverse("plans:item_edit", args=[assigned.pk])).status_code == 404


def test_group_leader_cannot_touch_the_unions_own_items(client_for, xiaozu, plan):
    other = item(plan, "召开教职工代表大会")
    client = client_for(xiaozu)
    assert client.get(reverse("plans:item", args=[other.pk])).status_code == 404
    assert client.post(reverse("plans:item_status", args=[other.pk]), {"status": "done"}).status_code == 404


def test_a_wrong_postponement_says_what_is_wrong(client_for, zhuxi, plan):
    target = item(plan, "趣味运动会")
    client = client_for(zhuxi)
    response = client.post(reverse("plans:item_status", args=[target.pk]), {"status": "postponed"}, follow=True)
    assert "延期的事项请选择延期到哪个月" in response.content.decode()
    target.refresh_from_db()
    assert target.status == ItemStatus.PLANNED


def test_assigned_page_filters_overdue_items_and_paginates(
    client_for, zhuxi, plan, units, settings, django_assert_max_num_queries
):
    ScheduleItem.objects.bulk_create(
        ScheduleItem(plan=plan, unit=units["g2"], month=2, text=f"二月小组活动{i}") for i in range(40)
    )
    client = client_for(zhuxi)
    client.get(reverse("plans:assigned"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plans:assigned") + "?status=overdue")
    html = response.content.decode()
    assert html.count('data-testid="plan-item"') == settings.PAGE_SIZE
    assert 'data-testid="overdue"' in html and 'data-testid="next-page"' in html
    today = timezone.localdate()
    overdue = ScheduleItem.objects.in_subtree(units["school"]).filter(plan__year=today.year).overdue(today).count()
    assert response.context["page"].count == overdue
    # The next page (a keyset after the last row shown) holds the rest, and leads back.
    cursor = response.context["page"].next_cursor
    with django_assert_max_num_queries(15):
        rest = client.get(reverse("plans:assigned"), {"status": "overdue", "after": cursor})
    shown = {row.item.pk for row in response.context["rows"]}
    more = {row.item.pk for row in rest.context["rows"]}
    assert not shown & more and len(shown | more) == overdue
    assert 'data-testid="previous-page"' in rest.content.decode()
    back = client.get(reverse("plans:assigned"), {"status": "overdue", "before": rest.context["page"].previous_cursor})
    assert {row.item.pk for row in back.context["rows"]} == shown


def test_chair_edits_an_item_and_gets_field_errors(client_for, zhuxi, plan, units):
    target = item(plan, "趣味运动会")
    client = client_for(zhuxi)
    data = {"month": 4, "date": "2027-05-02", "text": "趣味运动会", "category": "culture", "unit": units["g1"].pk}
    response = client.post(reverse("plans:item_edit", args=[target.pk]), {**data, "status": "planned"})
    assert "日期在5月，与所选月份不一致" in response.content.decode()
    data["date"] = "2026-04-02"
    response = client.post(reverse("plans:item_edit", args=[target.pk]), {**data, "status": "planned"})
    assert "日期应在计划年度（2027年）之内" in response.content.decode()
    data["date"] = "2027-04-20"
    response = client.post(reverse("plans:item_edit", args=[target.pk]), {**data, "status": "planned"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.date == datetime.date(2027, 4, 20) and target.unit == units["g1"]


def test_an_item_cannot_be_assigned_outside_the_plans_unit(client_for, zhuxi, plan, units):
    response = client_for(zhuxi).post(
        reverse("plans:item_add", args=[plan.pk]),
        {"month": 6, "text": "越界", "category": "other", "unit": units["office"].pk, "status": "planned"},
    )
    assert response.status_code == 200 and not plan.items.filter(text="越界").exists()


def test_chair_adds_a_live_target(client_for, zhuxi, plan):
    client = client_for(zhuxi)
    response = client.post(
        reverse("plans:target_add", args=[plan.pk]),
        {"name": "完成率", "op": ">=", "value": "90", "measure": "次", "metric": "plans.items_done_rate"},
    )
    assert "请把计量单位改为“%”" in response.content.decode()
    response = client.post(
        reverse("plans:target_add", args=[plan.pk]),
        {"name": "完成率", "op": ">=", "value": "90", "measure": "%", "metric": "plans.items_done_rate"},
    )
    assert response.status_code == 302
    assert plan.targets.get(name="完成率").metric == "plans.items_done_rate"


def test_section_numbering_follows_the_order(client_for, zhuxi, plan):
    sections = list(plan.sections.all())
    client_for(zhuxi).post(reverse("plans:section_move", args=[sections[-1].pk]), {"direction": "up"})
    outline = [entry for entry in plan.outline() if entry.section]
    assert outline[-2].heading == "保障措施" and outline[-2].number == "四、"  # after 一、指导思想
    assert outline[-1].heading == "加强工会自身建设" and outline[-1].number == "（一）"


def test_publish_unpublish_and_delete_a_draft(client_for, zhuxi, plan):
    client = client_for(zhuxi)
    assert client.get(reverse("plans:delete", args=[plan.pk])).status_code == 302  # published: refused
    client.post(reverse("plans:unpublish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert "确认删除" in client.get(reverse("plans:delete", args=[plan.pk])).content.decode()
    client.post(reverse("plans:delete", args=[plan.pk]))
    assert not Plan.objects.filter(pk=plan.pk).exists()


def test_chair_drafts_and_edits_the_year_end_summary(client_for, zhuxi, xianzong, plan):
    client = client_for(zhuxi)
    response = client.post(reverse("plans:summary_create", args=[plan.pk]))
    summary = YearSummary.objects.get(unit=plan.unit, year=2027)
    assert response["Location"] == reverse("plans:summary", args=[summary.pk])
    assert "一、计划执行情况" in summary.body
    page = client.get(reverse("plans:summary", args=[summary.pk])).content.decode()
    assert reverse("plans:summary_docx", args=[summary.pk]) in page
    client.post(
        reverse("plans:summary", args=[summary.pk]),
        {"title": summary.title, "body": "一、总体情况\n全年工作顺利。", "status": "final"},
    )
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.FINAL and summary.body.startswith("一、总体情况")
    viewer = client_for(xianzong)
    assert "全年工作顺利" in viewer.get(reverse("plans:summary", args=[summary.pk])).content.decode()
    assert (
        viewer.post(
            reverse("plans:summary", args=[summary.pk]), {"title": "x", "body": "", "status": "draft"}
        ).status_code
        == 404
    )


def test_past_years_list_shows_plans_and_summaries(client_for, zhuxi, units, django_assert_max_num_queries):
    for year in (2024, 2025, 2026):
        old = services.plan_from_template(unit=units["school"], year=year, template_key="school")
        services.plan_publish(plan=old)
        services.summary_draft(plan=old)
        services.plan_create_blank(unit=units["g1"], year=year, title=f"小组{year}年计划")
    client = client_for(zhuxi)
    client.get(reverse("plans:archive"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("plans:archive")).content.decode()
    assert html.count('data-testid="past-row"') == 6
    assert "城关镇中心学校工会2025年工作总结" in html
    assert reverse("plans:archive_zip", args=[units["school"].pk, 2025]) in html


def test_the_past_years_page_says_what_the_archive_holds_and_that_it_stays_editable(client_for, zhuxi, units):
    """The page offered "下载归档包" without a word on what the bundle holds, whether the roster in it
    carries ID numbers, or whether a year once archived can still be changed."""
    services.plan_create_blank(unit=units["school"], year=2025, title="2025年计划")
    html = client_for(zhuxi).get(reverse("plans:archive")).content.decode()
    assert 'data-testid="archive-contents"' in html
    assert "计划事项和工作目标（Excel）" in html and "身份证号、手机号已隐去" in html
    assert "归档后仍可修改" in html
    english = in_english(client_for(zhuxi)).get(reverse("plans:archive")).content.decode()
    assert "ID numbers and phone numbers masked" in english
    assert "<th>Work plan</th>" in english


def test_home_card_lists_overdue_items_and_this_months_work(client_for, zhuxi, plan):
    html = client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    assert "本月计划事项" in html
    assert "春节前走访慰问困难教职工和离退休教师" in html  # overdue since January
    assert "2027年工作目标" in html


def test_a_federations_overdue_list_names_each_items_unit(client_for, xianzong, zhuxi, plan, units):
    html = client_for(xianzong).get(reverse("workbench:home")).content.decode()
    school = units["school"].display_name
    assert f"逾期：春节前走访慰问困难教职工和离退休教师（{school}）" in html
    page = client_for(zhuxi).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    overdue = page[page.index('data-testid="overdue-card"') :]
    assert f"{units['g1'].display_name} · " in overdue  # the sports day was handed to the group


def test_breadcrumbs_lead_to_the_page_without_repeating_its_title(client_for, zhuxi, plan):
    sports = item(plan, "趣味运动会")
    html = client_for(zhuxi).get(reverse("plans:item", args=[sports.pk])).content.decode()
    trail = html[html.index('class="breadcrumb') : html.index("</ol>")]
    assert "工作计划" in trail and "2027年" in trail
    assert sports.text not in trail


def test_english_pages_are_translated(client_for, units):
    unit = OrgUnit.objects.add_child(units["county"], {"code": "ascii", "name": "Ascii Union", "kind": "union"})
    chair = make_person("ascii-chair", "Ascii Chair", unit, Role.CHAIR)
    plan = services.plan_create_blank(unit=unit, year=2027, title="Plan 2027")
    PlanSection.objects.create(plan=plan, heading="Goals", body="Be good")
    ScheduleItem.objects.create(plan=plan, unit=unit, month=3, text="Congress", status=ItemStatus.IN_PROGRESS)
    ScheduleItem.objects.create(plan=plan, unit=unit, month=1, text="Old", category="care")
    plan.targets.create(name="Events", measure="x", op=">=", value=5, actual_manual=1)
    services.plan_publish(plan=plan)
    summary = services.summary_draft(plan=plan)
    client = in_english(client_for(chair))
    item_pk = plan.items.first().pk
    for url in [
        reverse("plans:index"),
        reverse("plans:create"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:edit", args=[plan.pk]),
        reverse("plans:item", args=[item_pk]),
        reverse("plans:item_edit", args=[item_pk]),
        reverse("plans:target_add", args=[plan.pk]),
        reverse("plans:section_add", args=[plan.pk]),
        reverse("plans:assigned"),
        reverse("plans:archive"),
        reverse("workbench:home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert untranslated(response.content.decode()) == [], (url, untranslated(response.content.decode()))
    # The summary body is the officer's own Chinese text; the page around it is translated.
    page = client.get(reverse("plans:summary", args=[summary.pk])).content.decode()
    page = page.replace(summary.body, "").replace(summary.title, "")
    assert untranslated(page) == []


def test_records_that_prove_an_item_are_shown_beside_it(client_for, zhuxi, plan, monkeypatch):
    from core import figures

    proven = item(plan, "召开教职工代表大会")

    def activities(item_ids):
        return {proven.pk: [figures.Evidence(label="活动“三届二次教代会”已举办", url="/activities/7/")]}

    monkeypatch.setattr(figures, "_evidence", [activities])
    client = client_for(zhuxi)
    for url in (reverse("plans:detail", args=[plan.pk]), reverse("plans:item", args=[proven.pk])):
        html = client.get(url).content.decode()
        assert "活动“三届二次教代会”已举办" in html and 'href="/activities/7/"' in html


def test_plans_list_keeps_its_queries_bounded(client_for, xianzong, units, django_assert_max_num_queries):
    for year in range(2000, 2040):
        services.plan_from_template(unit=units["school"], year=year, template_key="school")
    client = client_for(xianzong)
    client.get(reverse("plans:index"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:index"))
    html = response.content.decode()
    assert html.count('data-testid="plan-row"') == 30 and "共 40 条" in html
    assert [p.year for p in response.context["page"]] == list(range(2039, 2009, -1))
    with django_assert_max_num_queries(10):
        rest = client.get(reverse("plans:index"), {"after": response.context["page"].next_cursor})
    assert [p.year for p in rest.context["page"]] == list(range(2009, 1999, -1))
    assert not rest.context["page"].has_next and rest.context["page"].has_previous
    assert client.get(reverse("plans:index"), {"after": "not-a-cursor"}).status_code == 200


def test_home_cards_keep_their_queries_bounded(rf, zhuxi, plan, units, django_assert_max_num_queries):
    from plans.figures import plan_cards

    ScheduleItem.objects.bulk_create(
        ScheduleItem(plan=plan, unit=units["g2"], month=m % 5 + 1, text=f"小组活动{m}") for m in range(100)
    )
    touch([units["g2"].pk], now=True)  # a bulk write marks its unit itself
    request = rf.get("/")
    request.user = zhuxi
    with django_assert_max_num_queries(12):
        cards = plan_cards(request, units["school"])
    assert [c.title for c in cards] == ["本月计划事项", "2027年工作目标"]
    assert cards[0].value == "0/23" and len(cards[0].todos) == 5


def test_a_member_learns_nothing_of_the_plans(client_for, huiyuan, plan):
    html = client_for(huiyuan).get(reverse("plans:index")).content.decode()
    assert plan.title not in html


def test_a_member_is_not_offered_the_calendar_they_may_not_open(client_for, zhuxi, huiyuan, plan):
    calendar_url = reverse("plans:calendar")
    assert client_for(huiyuan).get(calendar_url).status_code == 404
    assert f'href="{calendar_url}"' not in client_for(huiyuan).get(reverse("plans:index")).content.decode()
    assert f'href="{calendar_url}"' in client_for(zhuxi).get(reverse("plans:index")).content.decode()


@pytest.mark.parametrize("query", ["?year=99999999999", "?year=abc", "?month=99999999999&status=nope", "?page=x"])
def test_odd_filters_are_ignored(client_for, zhuxi, plan, query):
    client = client_for(zhuxi)
    assert client.get(reverse("plans:index") + query).status_code == 200
    assert client.get(reverse("plans:assigned") + query).status_code == 200


def test_a_final_summary_keeps_the_date_it_was_made_final_when_corrected_later(client_for, zhuxi, plan, monkeypatch):
    """The Word export was signed with the day of the last change: a typo corrected in January
    redated the year's summary, in the archive too."""
    client = client_for(zhuxi)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 28))
    client.post(reverse("plans:summary_create", args=[plan.pk]))
    summary = YearSummary.objects.get(unit=plan.unit, year=2027)
    url = reverse("plans:summary", args=[summary.pk])
    client.post(url, {"title": summary.title, "body": "一、总体情况\n全年工作顺利", "dated": "", "status": "final"})
    summary.refresh_from_db()
    assert summary.dated == datetime.date(2027, 12, 28)

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2028, 1, 5))
    assert 'value="2027-12-28"' in client.get(url).content.decode()
    client.post(
        url, {"title": summary.title, "body": "一、总体情况\n全年工作顺利。", "dated": "2027-12-28", "status": "final"}
    )
    document = Document(io.BytesIO(client.get(reverse("plans:summary_docx", args=[summary.pk])).content))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[-2:] == ["城关镇中心学校工会", "2027年12月28日"]


def test_the_federation_reads_a_summary_with_its_headings_set_apart(client_for, zhuxi, xianzong, plan):
    """Read by the county federation the summary was one block of text, its 一、 二、 headings lost in it."""
    summary = YearSummary.objects.create(
        unit=plan.unit,
        year=2027,
        plan=plan,
        title="总结",
        body="一、总体情况\n全年工作顺利。\n\n（一）学习\n学习12次。",
    )
    html = client_for(xianzong).get(reverse("plans:summary", args=[summary.pk])).content.decode()
    assert '<p class="fw-bold mt-3 mb-1">一、总体情况</p>' in html
    assert '<p class="fw-bold mt-3 mb-1">（一）学习</p>' in html
    assert '<p class="mb-1">全年工作顺利。</p>' in html and '<p class="mb-1">学习12次。</p>' in html


def test_redrafting_a_summary_asks_first_and_a_second_click_keeps_edits(client_for, zhuxi, plan):
    client = client_for(zhuxi)
    client.post(reverse("plans:summary_create", args=[plan.pk]))
    summary = YearSummary.objects.get(unit=plan.unit, year=2027)
    summary.body = "手工修改的正文"
    summary.save()
    client.post(reverse("plans:summary_create", args=[plan.pk]))  # the button clicked again
    summary.refresh_from_db()
    assert summary.body == "手工修改的正文"
    page = client.get(reverse("plans:summary_redraft", args=[summary.pk])).content.decode()
    assert "您在页面上做的修改会被覆盖" in page
    summary.refresh_from_db()
    assert summary.body == "手工修改的正文"
    client.post(reverse("plans:summary_redraft", args=[summary.pk]))
    summary.refresh_from_db()
    assert summary.body.startswith("2027年，城关镇中心学校工会")
    assert summary.history.count() == 3  # drafted, edited, redrafted: every version kept


def test_chair_adds_edits_and_deletes_a_month_item(client_for, zhuxi, plan, units):
    client = client_for(zhuxi)
    form = client.get(reverse("plans:item_add", args=[plan.pk]) + "?month=6").content.decode()
    assert '<option value="6" selected>6月</option>' in form
    response = client.post(
        reverse("plans:item_add", args=[plan.pk]),
        {"month": 6, "text": "组织教职工观看红色电影", "category": "study", "unit": units["g2"].pk, "status": "done"},
    )
    added = plan.items.get(text="组织教职工观看红色电影")
    assert response["Location"].endswith("#month-6")
    assert added.done_by == zhuxi and added.done_at is not None and added.order == 3  # after two June items
    assert "确认删除" in client.get(reverse("plans:item_delete", args=[added.pk])).content.decode()
    client.post(reverse("plans:item_delete", args=[added.pk]))
    assert not plan.items.filter(pk=added.pk).exists()


def test_chair_writes_the_outline_section_by_section(client_for, zhuxi, units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="城关中心校2027年工作计划")
    client = client_for(zhuxi)
    for level, heading in [(1, "工作目标"), (1, "主要工作"), (2, "加强师德建设")]:
        client.post(reverse("plans:section_add", args=[plan.pk]), {"level": level, "heading": heading, "body": ""})
    assert [(s.number, s.heading) for s in plan.outline()] == [
        ("一、", "工作目标"),
        ("二、", "主要工作"),
        ("（一）", "加强师德建设"),
    ]
    first = plan.sections.get(heading="工作目标")
    client.post(reverse("plans:section_delete", args=[first.pk]))
    assert [s.number for s in plan.outline()] == ["一、", "（一）"]
    response = client.post(reverse("plans:section_add", args=[plan.pk]), {"level": 5, "heading": ""})
    assert response.status_code == 200 and plan.sections.count() == 2


def test_officers_of_another_plan_cannot_touch_its_parts(client_for, outsider, weiyuan, xianzong, plan):
    section, target, entry = plan.sections.first(), plan.targets.first(), plan.items.first()
    for user in (outsider, xianzong):
        client = client_for(user)
        for url in [
            reverse("plans:section_edit", args=[section.pk]),
            reverse("plans:target_edit", args=[target.pk]),
            reverse("plans:target_delete", args=[target.pk]),
            reverse("plans:item_edit", args=[entry.pk]),
            reverse("plans:item_add", args=[plan.pk]),
        ]:
            assert client.get(url).status_code == 404, (user, url)
    assert client_for(weiyuan).get(reverse("plans:target_edit", args=[target.pk])).status_code == 200


def test_home_card_invites_to_write_the_plan_when_there_is_none(rf, zhuxi, units):
    """And reads no items: the roll-ups say there are none this month and none overdue."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.figures import plan_cards

    request = rf.get("/")
    request.user = zhuxi
    with CaptureQueriesContext(connection) as captured:
        cards = plan_cards(request, units["school"])
    assert [(c.title, c.value, c.url) for c in cards] == [("2027年工作计划", "未编制", reverse("plans:create"))]
    assert not [q["sql"] for q in captured if 'FROM "plans_scheduleitem"' in q["sql"]]


def test_the_plans_list_pages_a_year_at_a_time_in_year_then_tree_order(
    client_for, units, xianzong, settings, django_assert_max_num_queries
):
    """A federation's list runs newest year first, then down the tree; each page is read a year at a
    time (a province's plans of one year, in tree order, are an index walk), forwards and back."""
    settings.PAGE_SIZE = 3
    inside = [units[k] for k in ("county", "school", "g1", "g2", "office")]
    for year in (2025, 2027):
        for unit in inside + [units["other"]]:
            Plan.objects.create(unit=unit, year=year, title=f"{unit.name}{year}年计划")
    Plan.objects.create(unit=units["g1"], year=2026, title="只有东关完小的2026年计划")
    expected = list(
        Plan.objects.filter(unit__in=inside).order_by("-year", "unit__path", "id").values_list("pk", flat=True)
    )
    client = client_for(xianzong)
    pages, cursor = [], ""
    while True:
        with django_assert_max_num_queries(15):  # a page reads at most a few years, whatever it holds
            response = client.get(reverse("plans:index"), {"after": cursor} if cursor else {})
        page = response.context["page"]
        pages.append([p.pk for p in page])
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert [pk for rows in pages for pk in rows] == expected and len(pages) == 4  # 11 plans, 3 a page
    assert pages[1] == expected[3:6]  # 2027's last two, then 2026's only plan
    back = client.get(reverse("plans:index"), {"before": page.previous_cursor}).context["page"]
    assert [p.pk for p in back] == pages[-2] and back.has_previous
    one_year = client.get(reverse("plans:index"), {"year": 2025}).context["page"]
    assert [p.pk for p in one_year] == expected[6:9]


@pytest.fixture
def on_6_december(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 6))


def test_a_refused_postponement_is_shown_beside_the_month_keeping_the_note(client_for, zhuxi, plan, on_6_december):
    """On 6 December an April item cannot move to May; the page says so at 延期至 and keeps what was typed."""
    april = plan.items.filter(month=4).first()
    response = client_for(zhuxi).post(
        reverse("plans:item_status", args=[april.pk]), {"status": "postponed", "postponed_to": 5, "note": "场地维修"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"postponed_to": ["5月已经过去，请延期到本月（12月）或以后的月份。"]}
    assert form["note"].value() == "场地维修" and form["postponed_to"].value() == "5"
    assert not list(response.context["messages"])  # no banner above the page
    april.refresh_from_db()
    assert april.status == ItemStatus.PLANNED


def test_a_december_item_says_beside_the_month_to_go_into_next_years_plan(client_for, zhuxi, plan, on_6_december):
    december = plan.items.filter(month=12).first()
    response = client_for(zhuxi).post(
        reverse("plans:item_status", args=[december.pk]), {"status": "postponed", "postponed_to": 12, "note": "天冷"}
    )
    [error] = response.context["form"].errors["postponed_to"]
    assert "12月的事项不能在本年度内延期：请把它列入2028年的工作计划" in error
    assert "天冷" in response.content.decode()


def test_the_item_form_refuses_a_postponement_to_a_past_month(client_for, zhuxi, plan, units, on_6_december):
    response = client_for(zhuxi).post(
        reverse("plans:item_add", args=[plan.pk]),
        {
            "month": 4,
            "text": "补办春季运动会",
            "category": "other",
            "unit": units["school"].pk,
            "status": "postponed",
            "postponed_to": 5,
        },
    )
    assert response.context["form"].errors == {"postponed_to": ["5月已经过去，请延期到本月（12月）或以后的月份。"]}
    assert not plan.items.filter(text="补办春季运动会").exists()


def test_a_postponed_item_without_its_month_is_told_so_once(client_for, zhuxi, plan, units):
    response = client_for(zhuxi).post(
        reverse("plans:item_add", args=[plan.pk]),
        {"month": 6, "text": "观影", "category": "other", "unit": units["school"].pk, "status": "postponed"},
    )
    assert response.context["form"].errors == {"postponed_to": ["延期的事项请选择延期到哪个月。"]}
    # Once in the list of what to fix at the form's top, once beside the box.
    summary, _end, below = response.content.decode().partition('data-testid="error-summary"')[2].partition("</ul>")
    assert summary.count("延期的事项请选择延期到哪个月。") == below.count("延期的事项请选择延期到哪个月。") == 1


def test_this_years_archive_is_listed_from_december(client_for, zhuxi, plan, units, monkeypatch):
    """The year-end archiving item falls due in December: the chair downloads the year's bundle then."""
    client = client_for(zhuxi)
    this_years_zip = reverse("plans:archive_zip", args=[units["school"].pk, 2027])
    assert this_years_zip not in client.get(reverse("plans:archive")).content.decode()  # 10 May 2027
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 1))
    assert this_years_zip in client.get(reverse("plans:archive")).content.decode()


@pytest.mark.parametrize(
    ("measure", "value", "actual", "errors"),
    [
        ("户", "-5", "", {"value": ["不能小于0。"]}),
        ("户", "5", "-5", {"actual_manual": ["不能小于0。"]}),
        ("%", "250", "", {"value": ["百分比不能大于100。"]}),
        ("％", "95", "100.5", {"actual_manual": ["百分比不能大于100。"]}),
    ],
)
def test_a_target_refuses_a_negative_figure_or_a_share_above_the_whole(
    client_for, zhuxi, plan, measure, value, actual, errors
):
    response = client_for(zhuxi).post(
        reverse("plans:target_add", args=[plan.pk]),
        {"name": "困难职工帮扶", "op": "<=", "value": value, "measure": measure, "metric": "", "actual_manual": actual},
    )
    assert response.status_code == 200 and response.context["form"].errors == errors
    assert response.context["form"]["value"].value() == value  # the input is kept
    assert not plan.targets.filter(name="困难职工帮扶").exists()


def test_a_full_percentage_and_zero_are_fine_targets(client_for, zhuxi, plan):
    response = client_for(zhuxi).post(
        reverse("plans:target_add", args=[plan.pk]),
        {"name": "入会率", "op": ">=", "value": "100", "measure": "%", "metric": "", "actual_manual": "0"},
    )
    assert response.status_code == 302


def test_in_december_the_group_leader_is_told_which_months_turn_was_recorded(client_for, zhuxi, plan, on_6_december):
    """ "已完成" on a monthly item records December's turn: the page says so and shows every month's record,
    instead of "状态已更新" over a status still 进行中."""
    monthly = plan.items.filter(recurring=True, month=0).first()
    monthly.mark_done(by=zhuxi, month=3, note="三月羽毛球赛")
    client = client_for(zhuxi)
    response = client.post(
        reverse("plans:item_status", args=[monthly.pk]),
        {"status": "done", "note": "全年共开展文体活动12次"},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        f"已记录“{monthly.text}”12月的一次，全年已完成 2/12 个月。如全年工作已经完成，请勾选“整项完成（全年）”后保存。"
    )
    monthly.refresh_from_db()
    assert monthly.status == ItemStatus.IN_PROGRESS
    turns = response.context["turns"]
    assert [(t.month, bool(t.done_at), t.note) for t in turns if t.done_at] == [
        (3, True, "三月羽毛球赛"),
        (12, True, "全年共开展文体活动12次"),
    ]
    html = response.content.decode()
    assert "每月完成情况：已完成 2/12 个月" in html and "全年共开展文体活动12次" in html


def test_the_group_leader_closes_a_monthly_item_for_the_whole_year(client_for, zhuxi, plan, on_6_december):
    monthly = plan.items.filter(recurring=True, month=0).first()
    client = client_for(zhuxi)
    assert "整项完成（全年）" in client.get(reverse("plans:item", args=[monthly.pk])).content.decode()
    client.post(reverse("plans:item_status", args=[monthly.pk]), {"status": "done", "whole": "on", "note": "全年12次"})
    monthly.refresh_from_db()
    assert monthly.status == ItemStatus.DONE and "全年12次" in monthly.note
    assert not monthly.occurrences.exists()  # the months' turns as they were: none recorded


def test_the_whole_year_box_is_offered_for_monthly_items_of_the_running_year_only(
    client_for, zhuxi, plan, on_6_december
):
    once = plan.items.filter(recurring=False).first()
    assert "整项完成（全年）" not in client_for(zhuxi).get(reverse("plans:item", args=[once.pk])).content.decode()


def test_cancelling_an_item_asks_why_and_keeps_the_choice(client_for, xiaozu, plan):
    assigned = item(plan, "趣味运动会")
    client = client_for(xiaozu)
    response = client.post(reverse("plans:item_status", args=[assigned.pk]), {"status": "cancelled", "note": " "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["取消事项时请在情况说明中写明原因。"]}
    assert response.context["form"]["status"].value() == "cancelled"
    assigned.refresh_from_db()
    assert assigned.status == ItemStatus.PLANNED
    client.post(
        reverse("plans:item_status", args=[assigned.pk]), {"status": "cancelled", "note": "场地改建，并入秋季运动会"}
    )
    assigned.refresh_from_db()
    assert assigned.status == ItemStatus.CANCELLED and assigned.note == "场地改建，并入秋季运动会"


def test_a_whole_year_item_overdue_says_by_the_end_of_its_year_not_month_0(client_for, zhuxi, units, on_6_december):
    last_year = services.plan_create_blank(unit=units["school"], year=2026, title="2026年工作计划")
    ScheduleItem.objects.create(plan=last_year, unit=units["school"], month=0, text="每月更新校务公开栏")
    services.plan_publish(plan=last_year)
    html = client_for(zhuxi).get(reverse("plans:detail", args=[last_year.pk])).content.decode()
    assert "全年事项，应于2026年底前完成" in html and "应于0月完成" not in html


def test_the_summary_page_warns_the_chair_of_items_done_without_an_activity_record(client_for, zhuxi, xianzong, plan):
    plan.items.filter(text__contains="趣味运动会").update(status=ItemStatus.DONE)
    plan.targets.create(name="开展工会活动", measure="次", op=">=", value=12, metric="activities.held")
    client = client_for(zhuxi)
    client.post(reverse("plans:summary_create", args=[plan.pk]))
    summary = YearSummary.objects.get(unit=plan.unit, year=plan.year)
    page = client.get(reverse("plans:summary", args=[summary.pk])).content.decode()
    assert 'data-testid="summary-gap"' in page and "没有关联的活动记录" in page
    assert "没有关联的活动记录" not in summary.body
    # The county reads the summary, not the chair's reminders.
    assert (
        'data-testid="summary-gap"'
        not in client_for(xianzong).get(reverse("plans:summary", args=[summary.pk])).content.decode()
    )


def test_a_plan_for_the_running_year_written_in_december_leaves_out_the_months_gone(
    client_for, zhuxi, units, monkeypatch
):
    """A union set up in December writing its first plan had 29 of 36 template items overdue the moment it
    published: only December's and the year-round items are listed, and the chair is told why."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 6))
    client = client_for(zhuxi)
    response = client.post(
        reverse("plans:create"), {"year": 2027, "start": "template", "template": "school"}, follow=True
    )
    plan = Plan.objects.get(unit=units["school"], year=2027)
    months = set(plan.items.values_list("month", flat=True))
    assert months and months <= {0, 12} and 12 in months
    assert "已经过去的2027年1—11月的事项没有列入" in response.content.decode()
    # Next year's plan, written the same day, keeps every month.
    client.post(reverse("plans:create"), {"year": 2028, "start": "copy", "copy_from": plan.pk})
    template = client.post(reverse("plans:create"), {"year": 2029, "start": "template", "template": "school"})
    assert template.status_code == 302
    from plans.plan_templates import TEMPLATES

    assert Plan.objects.get(year=2029).items.count() == len(TEMPLATES["school"].items)


def test_an_item_money_was_paid_against_is_not_deleted_and_the_chair_is_told_why(client_for, zhuxi, plan, units):
    from decimal import Decimal

    from finance import services as finance_services

    item = plan.items.first()
    finance_services.payment_record(
        unit=units["school"],
        by=zhuxi,
        line=None,
        amount=Decimal("10"),
        paid_on=datetime.date(plan.year, 3, 1),
        payee="文具店",
        description="奖品",
        schedule_item=item,
    )
    client = client_for(zhuxi)
    response = client.post(reverse("plans:item_delete", args=[item.pk]), follow=True)
    assert response.status_code == 200
    assert f"“{item.text}”已有支出记在名下，不能删除" in response.content.decode()
    assert ScheduleItem.objects.filter(pk=item.pk).exists()
    services.plan_unpublish(plan=plan)
    drafted = client.post(reverse("plans:delete", args=[plan.pk]), follow=True).content.decode()
    assert "这份计划已有支出记在名下，不能删除" in drafted and Plan.objects.filter(pk=plan.pk).exists()


def test_a_target_handed_down_is_refused_by_the_service_too(zhuxi, plan):
    target, federations = plan.targets.all()[:2]
    target.handed_down_from_id = federations.pk  # as if the federation's target had been handed down
    with pytest.raises(services.PlanError, match="上级下达的目标"):
        services.part_delete(part=target, name=target.name)


def test_chair_sets_the_plans_signature_date_and_the_word_file_signs_with_it(client_for, zhuxi, plan):
    """A plan written in the product (not imported) is signed on the day the union dates it, not the
    day it was published: the chair sets 落款日期 on the plan's form, and can clear it again."""
    client = client_for(zhuxi)
    url = reverse("plans:edit", args=[plan.pk])
    assert 'type="date"' in client.get(url).content.decode()
    response = client.post(url, {"title": plan.title, "dated": "2027-01-18", "guiding": plan.guiding})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.dated == datetime.date(2027, 1, 18)
    assert client.get(url).context["form"]["dated"].value() == datetime.date(2027, 1, 18)
    document = client.get(reverse("plans:plan_docx", args=[plan.pk]))
    paragraphs = [p.text for p in Document(io.BytesIO(document.content)).paragraphs if p.text.strip()]
    assert paragraphs[-1] == "2027年1月18日"

    # A date that is no date keeps the form, with the title typed, and says which field.
    response = client.post(url, {"title": "改过的标题", "dated": "2027-02-30", "guiding": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["dated"]
    assert "改过的标题" in response.content.decode()
    plan.refresh_from_db()
    assert plan.dated == datetime.date(2027, 1, 18) and plan.title != "改过的标题"

    client.post(url, {"title": plan.title, "dated": "", "guiding": plan.guiding})
    plan.refresh_from_db()
    assert plan.dated is None


def test_in_december_the_create_page_sends_the_chair_to_next_years_plan_already_begun(
    client_for, zhuxi, units, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 8))
    begun = services.plan_copy(
        source=services.plan_create_blank(unit=units["school"], year=2027, title="计划"), year=2028
    )
    html = client_for(zhuxi).get(reverse("plans:create")).content.decode()
    # The form alone offered 2029 without a word, and a busy chair started the wrong year.
    assert "城关镇中心学校工会已有2028年的工作计划，请打开它修改。" in html
    assert f'href="{reverse("plans:detail", args=[begun.pk])}">{begun.title}</a>' in html
    assert 'name="year" value="2029"' in html


def test_the_create_page_names_a_plan_begun_only_when_there_is_one(client_for, zhuxi, plan):
    html = client_for(zhuxi).get(reverse("plans:create")).content.decode()  # May 2027: 2027's is there
    assert "请打开它修改" in html
    plan.delete()
    assert "请打开它修改" not in client_for(zhuxi).get(reverse("plans:create")).content.decode()


def test_next_years_draft_offers_no_summary_of_a_year_not_begun(client_for, zhuxi, plan):
    client = client_for(zhuxi)  # 10 May 2027: the 2027 plan may be summed up, 2028's draft not yet
    assert 'data-testid="draft-summary"' in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    draft = services.plan_copy(source=plan, year=2028)
    page = client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
    assert 'data-testid="draft-summary"' not in page
    response = client.post(reverse("plans:summary_create", args=[draft.pk]), follow=True)
    assert "2028年还没有开始，到年底再写这一年的工作总结。" in response.content.decode()
    assert not YearSummary.objects.filter(year=2028).exists()


def test_the_plan_page_says_the_county_asks_for_it_and_leads_to_filing(client_for, zhuxi, xianzong, units, plan):
    from federation import services as federation_services
    from federation.models import CallKind

    call = federation_services.call_issue(
        unit=units["county"],
        kind=CallKind.PLAN,
        year=2027,
        title="2027年度工作计划报备",
        due=datetime.date(2027, 5, 31),
        by=xianzong,
        today=TODAY,
    )
    call_url = reverse("federation:call", args=[call.pk]) + f"?unit={units['school'].pk}"
    page = client_for(zhuxi).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    # Only the summary's page said so: a chair finishing the plan had to find the task in her to-do list.
    assert 'data-testid="plan-call"' in page and "要求报送“2027年度工作计划报备”" in page
    assert f'href="{call_url}">去报送</a>' in page
    reader = client_for(xianzong).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-call"' not in reader  # the county reads the plan, it does not file it


def test_in_december_the_plans_page_leads_to_this_years_plan_and_next_years_draft(
    client_for, zhuxi, units, plan, monkeypatch
):
    draft = services.plan_copy(source=plan, year=2028)
    may = client_for(zhuxi).get(reverse("plans:index")).content.decode()
    assert may.count('data-testid="own-plan"') == 1 and "本单位2027年计划" in may
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 8))
    december = client_for(zhuxi).get(reverse("plans:index")).content.decode()
    # Next year's draft was only a row in the table below this year's.
    assert december.count('data-testid="own-plan"') == 2
    assert december.index("本单位2027年计划") < december.index("本单位2028年计划")
    assert f'<a href="{reverse("plans:detail", args=[draft.pk])}">{draft.title}</a>' in december
