"""Finance pages as the personas meet them: who sees the money, forms that keep what was typed,
vouchers only through the access rule, and bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.testing import in_english, untranslated
from finance.models import Payment
from finance.tests.test_vouchers import jpeg


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.mark.parametrize(("persona", "status"), [("zhuxi", 200), ("jingshen", 200), ("xiaozu", 404), ("huiyuan", 404)])
def test_who_sees_the_unions_money(persona, status, request, client_for, budget):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("finance:home")).status_code == status


def test_a_chair_of_another_county_cannot_open_a_payment(pay, client_for, outsider):
    payment = pay("50")
    client = client_for(outsider)
    assert client.get(reverse("finance:payment", args=[payment.pk])).status_code == 404
    assert client.get(reverse("finance:payment_voucher", args=[payment.pk])).status_code == 404


def test_the_chair_enters_a_payment_with_a_voucher_which_only_readers_of_the_record_get(
    client_for, zhuxi, line, outsider
):
    client = client_for(zhuxi)
    voucher = SimpleUploadedFile("发票.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(
        reverse("finance:payment_new"),
        {
            "line": line.pk,
            "amount": "1,280.50",
            "paid_on": "2026-05-04",
            "payee": "城关镇体育用品商店",
            "description": "拔河绳",
            "purpose": "activity",
            "voucher": voucher,
        },
    )
    payment = Payment.objects.get()
    assert response.status_code == 302 and payment.amount == Decimal("1280.50")
    assert client.get(reverse("finance:payment_voucher", args=[payment.pk])).status_code == 200
    assert "/media/" not in payment.voucher.path


def test_a_voucher_that_is_not_a_photo_or_scan_is_refused_at_its_field(client_for, zhuxi, line):
    page = SimpleUploadedFile("发票.jpg", b"<html><script>alert(1)</script>", content_type="image/jpeg")
    data = {"line": line.pk, "amount": "80", "paid_on": "2026-05-04", "payee": "商店", "description": "绳子"}
    response = client_for(zhuxi).post(reverse("finance:payment_new"), {**data, "purpose": "activity", "voucher": page})
    assert response.status_code == 200 and "不是它的文件名所说的文件" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_refused_payment_keeps_what_was_typed_and_names_the_field(client_for, zhuxi, line):
    response = client_for(zhuxi).post(
        reverse("finance:payment_new"),
        {
            "line": line.pk,
            "amount": "20000",
            "paid_on": "2026-05-04",
            "payee": "县体育馆",
            "description": "场地费",
            "purpose": "activity",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "超过允许的" in html
    assert 'value="县体育馆"' in html and 'value="场地费"' in html
    assert not Payment.objects.exists()


def test_an_overspend_is_shown_as_a_warning_to_confirm(client_for, zhuxi, pay, line):
    data = {
        "line": line.pk,
        "amount": "2500",
        "paid_on": "2026-05-04",
        "payee": "县体育馆",
        "description": "场地费",
        "purpose": "other",
    }
    for _ in range(4):  # 7,996 of the line's 10,000 spent; 2,500 more goes over, within the tolerance
        pay("1999")
    response = client_for(zhuxi).post(reverse("finance:payment_new"), data)
    assert 'data-testid="overspend-warning"' in response.content.decode()
    response = client_for(zhuxi).post(reverse("finance:payment_new"), {**data, "confirm_overspend": "on"})
    assert response.status_code == 302


def test_a_voucher_chosen_before_the_overspend_warning_is_asked_for_again_beside_its_box(client_for, zhuxi, pay, line):
    data = {
        "line": line.pk,
        "amount": "2500",
        "paid_on": "2026-05-04",
        "payee": "县体育馆",
        "description": "场地费",
        "purpose": "other",
    }
    for _ in range(4):  # 7,996 of the line's 10,000 spent: 2,500 more asks to confirm
        pay("1999")
    client = client_for(zhuxi)
    voucher = SimpleUploadedFile("场地发票.jpg", jpeg(), content_type="image/jpeg")
    html = client.post(reverse("finance:payment_new"), {**data, "voucher": voucher}).content.decode()
    assert 'data-testid="overspend-warning"' in html
    beside = html.split('id="id_voucher"')[1].split('class="mb-3"')[0]
    assert "请重新选择凭证“场地发票.jpg”" in beside  # the browser dropped it: the chair is told, at its box
    html = client.post(reverse("finance:payment_new"), {**data, "amount": "abc"}).content.decode()
    assert "请重新选择凭证" not in html  # no file was chosen: nothing to choose again
    voucher = SimpleUploadedFile("场地发票.jpg", jpeg(), content_type="image/jpeg")
    html = in_english(client).post(reverse("finance:payment_new"), {**data, "voucher": voucher}).content.decode()
    assert "Choose the voucher “场地发票.jpg” again" in html


def test_pages_keep_a_bounded_number_of_queries(client_for, zhuxi, pay, django_assert_max_num_queries):
    for i in range(30):
        pay(str(10 + i))
    client = client_for(zhuxi)
    for url in (
        reverse("finance:home") + "?year=2026",
        reverse("finance:payments"),
        reverse("finance:report") + "?year=2026",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_the_statement_downloads_as_a_sheet_with_totals(client_for, zhuxi, pay):
    pay("500")
    import io

    from openpyxl import load_workbook

    response = client_for(zhuxi).get(reverse("finance:report_export") + "?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row if v is not None]
    assert "文体活动" in flat and "合计" in flat and "结余" in flat
    # The yuan columns read as officers write money: 500.00, a number still.
    spent = next(row for row in sheet.iter_rows(min_row=3) if row[3].value == "文体活动")[6]
    assert spent.value == 500 and spent.number_format == "#,##0.00"
    # The spending total stands under 年初预算数 (no line was adjusted), beside what was spent.
    total = next(row for row in values if row[1] == "支出" and row[2] == "合计")
    assert total[4] == 25000 and total[5] is None and total[6] == 500


def test_finance_pages_read_in_english(client_for, units, zhuxi, jingshen):
    """With ASCII-named records, any Chinese left on an English page is an untranslated string."""
    from finance import services
    from orgs.models import OrgUnit

    for unit in OrgUnit.objects.all():
        unit.name, unit.short_name = f"Unit {unit.code}", ""
        unit.save()
    zhuxi.full_name = "Wang Jianguo"
    zhuxi.save()
    # Drawn up in Chinese, as the demo's: its standard lines read in English all the same.
    budget = services.budget_create(unit=units["school"], year=2026, by=zhuxi)
    services.budget_update_lines(budget=budget, amounts={line.pk: Decimal("1000") for line in budget.lines.all()})
    services.budget_approve(budget=budget, meeting="Committee meeting", on=datetime.date(2026, 1, 5), by=zhuxi)
    payment = services.payment_record(
        unit=units["school"],
        by=zhuxi,
        line=budget.lines.spending().first(),
        amount="88",
        paid_on=datetime.date(2026, 3, 1),
        payee="Shop",
        description="Ropes",
    )
    audit = services.audit_open(unit=units["school"], year=2026, title="Audit 2026", by=jingshen)
    services.finding_add(audit=audit, by=jingshen, payment=payment, text="Receipt missing")
    client = in_english(client_for(zhuxi))
    for url in (
        reverse("finance:home") + "?year=2026",
        reverse("finance:payments"),
        reverse("finance:payment", args=[payment.pk]),
        reverse("finance:payment_new"),
        reverse("finance:payment_reverse", args=[payment.pk]),
        reverse("finance:incomes"),
        reverse("finance:report") + "?year=2026",
        reverse("finance:settings"),
        reverse("finance:audits"),
        reverse("finance:audit", args=[audit.pk]),
        reverse("finance:budget_edit", args=[budget.pk]),
    ):
        html = client.get(url).content.decode()
        assert untranslated(html) == [], (url, untranslated(html))
    # Each part of the line under the title starts with a capital: "Unit demo-school · Year 2026 · In progress".
    assert "· Year 2026 ·" in client.get(reverse("finance:audit", args=[audit.pk])).content.decode()


def test_the_api_lists_budgets_and_payments_within_reach(client_for, pay, budget, outsider, zhuxi):
    pay("66.60")
    payments = client_for(zhuxi).get("/api/v1/finance/payments/").json()
    assert payments["count"] == 1 and payments["items"][0]["amount"] == "66.60"
    budgets = client_for(zhuxi).get("/api/v1/finance/budgets/?year=2026").json()
    assert budgets["items"][0]["status"] == "approved" and budgets["items"][0]["lines"]
    assert client_for(outsider).get("/api/v1/finance/payments/").json()["count"] == 0
    assert client_for(zhuxi).get("/api/v1/finance/payments/?offset=99999999999999999999").status_code == 422


def test_payments_to_approve_and_findings_to_answer_are_on_the_to_do_list(pay, units, zhuxi, weiyuan, jingshen):
    import random

    from conftest import make_person
    from core.todo import todos_for
    from finance import services

    pay("2600")  # entered by the chair: another officer approves it
    assert [t.kind for t in todos_for(weiyuan, today=datetime.date(2026, 5, 5))].count("finance.approve") == 0
    vice = make_person("fuzhuxi", "副主席", units["school"], "vice_chair")
    assert "finance.approve" in [t.kind for t in todos_for(vice, today=datetime.date(2026, 5, 5))]
    assert "finance.approve" not in [t.kind for t in todos_for(zhuxi, today=datetime.date(2026, 5, 5))]
    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, rng=random.Random(1))
    finding = services.finding_add(audit=audit, by=jingshen, text="请补充清单")
    assert "finance.finding_respond" in [t.kind for t in todos_for(zhuxi, today=datetime.date(2026, 5, 5))]
    services.finding_respond(finding=finding, by=zhuxi, response="已补")
    assert "finance.finding_close" in [t.kind for t in todos_for(jingshen, today=datetime.date(2026, 5, 5))]


def test_the_payment_form_offers_no_line_of_a_draft_budget(client_for, units, zhuxi):
    from django.utils import timezone

    from finance import services

    draft = services.budget_create(unit=units["school"], year=timezone.localdate().year, by=zhuxi)
    client = client_for(zhuxi)
    response = client.get(reverse("finance:payment_new"))
    assert "还没有已批准的预算" in response.content.decode()
    response = client.post(
        reverse("finance:payment_new"),
        {
            "line": draft.lines.spending().first().pk,
            "amount": "100",
            "paid_on": timezone.localdate().isoformat(),
            "payee": "城关镇体育用品商店",
            "description": "拔河绳",
            "purpose": "activity",
        },
    )
    assert response.status_code == 200 and not Payment.objects.exists()


def test_a_finding_sent_to_an_audit_closed_meanwhile_is_refused_with_a_message(client_for, pay, units, jingshen):
    import random

    from finance import services
    from finance.models import Finding

    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, rng=random.Random(1))
    services.audit_close(audit=audit, conclusion="收支基本规范")
    response = client_for(jingshen).post(reverse("finance:audit", args=[audit.pk]), {"text": "迟到的意见"}, follow=True)
    assert "审查已经结束，不能再添加意见。" in response.content.decode()
    assert not Finding.objects.exists()


def test_a_standard_sent_without_its_name_marks_that_field_only(client_for, units, zhuxi):
    answer = client_for(zhuxi).post(
        reverse("finance:settings"),
        {"add_standard": "1", "standard-name": "", "standard-purpose": "慰问", "standard-amount": "500"},
    )
    assert answer.status_code == 200
    assert "name" in answer.context["standard_form"].errors
    assert not answer.context["form"].is_bound and not answer.context["form"].errors
    assert answer.content.decode().count("is-invalid") == len(answer.context["standard_form"].errors)


def test_the_statement_of_a_year_without_a_budget_says_where_budgets_are_made(client_for, units, jingshen):
    page = client_for(jingshen).get(reverse("finance:report") + "?year=2026").content.decode()
    assert "2026年还没有预算" in page and "预算在“工会经费”首页建立" in page


def test_a_year_still_to_come_is_marked_beside_the_year_and_the_form_keeps_what_was_typed(client_for, pay, jingshen):
    from django.utils import timezone

    from finance.models import Audit

    pay("100")
    next_year = timezone.localdate().year + 1
    answer = client_for(jingshen).post(
        reverse("finance:audits"), {"title": "年度审查（误填）", "year": str(next_year), "sample_size": "10"}
    )
    assert answer.status_code == 200 and not Audit.objects.exists()
    assert list(answer.context["form"].errors) == ["year"]
    page = answer.content.decode()
    assert f"审查年度不能晚于今年（{next_year - 1}年）。" in page and 'value="年度审查（误填）"' in page


def test_a_year_without_a_counted_payment_is_refused_beside_the_year(client_for, units, jingshen):
    from finance.models import Audit

    answer = client_for(jingshen).post(
        reverse("finance:audits"), {"title": "审查", "year": "2019", "sample_size": "10"}
    )
    assert answer.status_code == 200 and not Audit.objects.exists()
    assert answer.context["form"].errors["year"] == ["2019年没有入账的支出，没有可抽查的凭证，请核对年度。"]


def test_the_audit_committee_deletes_an_audit_opened_by_mistake_after_confirming(
    client_for, pay, units, zhuxi, jingshen
):
    from finance import services
    from finance.models import Audit

    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="误开的审查", by=jingshen)
    delete_url = reverse("finance:audit_delete", args=[audit.pk])
    assert client_for(zhuxi).post(delete_url).status_code == 404  # the unit's chair is not the committee
    client = client_for(jingshen)
    assert delete_url in client.get(reverse("finance:audit", args=[audit.pk])).content.decode()
    confirm = client.get(delete_url).content.decode()
    assert "误开的审查" in confirm and "确认删除" in confirm and Audit.objects.filter(pk=audit.pk).exists()
    answer = client.post(delete_url, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("finance:audits")
    assert "已删除审查“误开的审查”。" in answer.content.decode() and not Audit.objects.exists()


def test_an_audit_with_a_finding_offers_no_delete_and_refuses_one(client_for, pay, units, jingshen):
    from finance import services
    from finance.models import Audit

    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen)
    services.finding_add(audit=audit, by=jingshen, text="缺少购物清单")
    client = client_for(jingshen)
    delete_url = reverse("finance:audit_delete", args=[audit.pk])
    assert delete_url not in client.get(reverse("finance:audit", args=[audit.pk])).content.decode()
    answer = client.post(delete_url, follow=True)
    assert "只有还在进行、尚未提出审查意见的审查可以删除。" in answer.content.decode()
    assert Audit.objects.filter(pk=audit.pk).exists()


def test_the_audit_page_keeps_a_bounded_number_of_queries(
    client_for, pay, units, jingshen, django_assert_max_num_queries
):
    from finance import services

    for i in range(30):
        pay(str(10 + i))
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, sample_size=30)
    for payment in audit.sampled.all()[:10]:
        services.finding_add(audit=audit, by=jingshen, payment=payment, text="请补充清单")
    client = client_for(jingshen)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("finance:audit", args=[audit.pk])).content.decode()
    assert page.count('data-testid="finding-payment"') == 10 and "¥10.00" in page


def test_ending_an_audit_with_a_finding_open_is_refused_on_the_page_keeping_the_conclusion(
    client_for, pay, units, zhuxi, jingshen
):
    from finance import services
    from finance.models import Audit

    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen)
    finding = services.finding_add(audit=audit, by=jingshen, text="缺少购物清单")
    client = client_for(jingshen)
    page = client.get(reverse("finance:audit", args=[audit.pk])).content.decode()
    close_form = page.split('data-testid="audit-close"')[1].split("</form>")[0]
    assert "data-confirm=" in close_form  # asked before a step that cannot be undone
    close_url = reverse("finance:audit_close", args=[audit.pk])
    answer = client.post(close_url, {"conclusion": "收支基本规范，个别凭证不全"})
    assert answer.status_code == 200  # the page again, not a redirect that loses what was typed
    close_form = answer.content.decode().split('data-testid="audit-close"')[1].split("</form>")[0]
    assert "还有未销号的审查意见，全部整改销号后才能结束审查。" in close_form
    assert "收支基本规范，个别凭证不全</textarea>" in close_form
    assert Audit.objects.get(pk=audit.pk).is_open
    services.finding_respond(finding=finding, by=zhuxi, response="已补齐清单")
    services.finding_close(finding=finding)
    answer = client.post(close_url, {"conclusion": "收支基本规范"}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("finance:audit", args=[audit.pk])
    assert "审查已结束，可以下载审查报告。" in answer.content.decode()
    assert Audit.objects.get(pk=audit.pk).conclusion == "收支基本规范"


def test_an_audit_ended_in_another_tab_is_not_ended_again(client_for, pay, units, jingshen):
    from finance import services
    from finance.models import Audit

    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen)
    services.audit_close(audit=audit, conclusion="收支基本规范")
    answer = client_for(jingshen).post(
        reverse("finance:audit_close", args=[audit.pk]), {"conclusion": "另一个结论"}, follow=True
    )
    assert answer.redirect_chain[-1][0] == reverse("finance:audit", args=[audit.pk])
    assert "审查已经结束。" in answer.content.decode()
    assert Audit.objects.get(pk=audit.pk).conclusion == "收支基本规范"


def test_the_monthly_table_of_the_report_reads_on_a_phone_and_by_keyboard(client_for, pay, jingshen):
    pay("1800")  # below the approval threshold: counted at once
    page = client_for(jingshen).get(reverse("finance:report") + "?year=2026").content.decode()
    before, table = page.split('data-testid="line-months"')
    region = before.rsplit("<div", 1)[1]
    assert 'tabindex="0"' in region and 'aria-label="各科目按月执行情况"' in region
    table = table.split("</table>")[0]
    assert 'style="min-width: 8rem">科目</th>' in table  # the names do not stack one character a line
    assert "¥1,800.00" in table and "¥10,000.00" in table and "1800.00" not in table


def test_the_home_cards_keep_an_amount_on_one_line(client_for, units, zhuxi, pay, line):
    from finance import services

    budget = line.budget
    services.budget_adjust(
        budget=budget,
        amounts={**{each.pk: each.budgeted for each in budget.lines.all()}, line.pk: Decimal("125000")},
        meeting="工会委员会第六次会议",
        on=datetime.date(2026, 6, 1),
    )
    pay("1800")
    page = client_for(zhuxi).get(reverse("finance:home") + "?year=2026").content.decode()
    figures = [part.split(">", 1)[0] for part in page.split('class="card-figure')[1:]]
    assert len(figures) == 4 and all("text-nowrap" in figure for figure in figures)
    assert "fs-5" in figures[0] and "fs-4" in figures[1]  # ¥13x,xxx.00 in a smaller size than ¥1,800.00


@pytest.mark.parametrize(
    ("amount", "size"),
    [(None, "fs-4"), ("99999.99", "fs-4"), ("-99999.99", "fs-4"), ("125000", "fs-5"), ("1250000", "fs-6")],
)
def test_a_card_amount_gets_smaller_as_it_grows(amount, size):
    from finance.templatetags.finance import figure_size

    assert figure_size(Decimal(amount) if amount else None) == size


def test_a_refused_budget_adjustment_comes_back_with_its_date_and_boxes_like_every_forms(
    client_for, zhuxi, budget, units
):
    from finance import services

    data = {f"line-{line.pk}": "1000" for line in budget.lines.all()}
    first = budget.lines.order_by("pk").first()
    data.update({f"line-{first.pk}": "一千", "meeting": "工会委员会第七次会议", "on": "2026-06-01"})
    client = client_for(zhuxi)
    html = client.post(reverse("finance:budget_edit", args=[budget.pk]), data).content.decode()
    assert "请填写金额" in html  # refused at the amount typed in words
    # What was typed is kept, and every box has the form's look, the refused one outlined.
    assert 'type="date" name="on" value="2026-06-01"' in html
    assert 'value="工会委员会第七次会议"' in html
    box = html.split(f'name="line-{first.pk}"')[1].split(">")[0]
    assert "form-control" in box and "is-invalid" in box
    draft = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    html = client.get(reverse("finance:budget_edit", args=[draft.pk])).content.decode()
    assert 'name="on"' not in html and 'name="meeting"' not in html  # a draft is simply edited
