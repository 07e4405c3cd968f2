"""On a phone, the chair pays for the tug-of-war ropes and photographs the receipt; at her desk the
audit committee member finds the payment in her sample and records a finding."""

import pytest
from playwright.sync_api import expect

from conftest import log_in, screenshot
from finance.models import Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest valid JPEG a phone camera could hand over (1x1 px).
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e"
    "2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000"
    "000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c1"
    "1552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a"
    "838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_chair_pays_on_a_phone_and_the_auditor_samples_it(phone, page, zhuxi, jingshen, budget, tmp_path):
    receipt = tmp_path / "收据.jpg"
    receipt.write_bytes(JPEG)

    log_in(phone, "zhuxi")
    phone.goto("/finance/payments/new/")
    phone.select_option("#id_line", label="职工活动支出—文体活动")
    phone.fill("#id_amount", "1,280.50")
    phone.fill("#id_paid_on", "2026-05-04")
    phone.fill("#id_payee", "城关镇体育用品商店")
    phone.fill("#id_description", "拔河比赛用绳和号码布")
    phone.select_option("#id_purpose", "other")
    phone.set_input_files("#id_voucher", str(receipt))
    screenshot(phone, "finance-payment-phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已登记支出 1,280.50 元。")).to_be_visible()
    expect(phone.get_by_test_id("amount")).to_have_text("¥1,280.50")
    expect(phone.get_by_test_id("voucher")).to_be_visible()
    payment = Payment.objects.get()
    assert payment.voucher and payment.line.actual == payment.amount

    log_in(page, "jingshen")
    page.goto("/finance/audits/")
    page.fill("#id_title", "2026年度经费收支审查")
    page.get_by_role("button", name="开始审查并随机抽取支出").click()
    expect(page.get_by_test_id("sampled")).to_contain_text("拔河比赛用绳和号码布")
    page.fill("#id_text", "收据未写明数量，请补充购物清单。")
    page.select_option("#id_payment", str(payment.pk))
    page.get_by_role("button", name="记录意见").click()
    expect(page.get_by_test_id("findings")).to_contain_text("收据未写明数量")
    screenshot(page, "finance-audit-finding")


def test_a_refused_end_of_audit_puts_the_focus_on_what_to_fix(page, pay, zhuxi, jingshen, units):
    from finance import services

    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="2026年经费审查", by=jingshen)
    services.finding_add(audit=audit, by=jingshen, text="缺少购物清单")
    log_in(page, "jingshen")
    page.goto(f"/finance/audits/{audit.pk}/")
    page.get_by_label("审查结论").fill("收支基本规范")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("audit-close").get_by_role("button").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("还有未销号的审查意见")
    expect(summary).to_be_focused()  # announced, though the page came back at …/close/#close
    screenshot(page, "finance-audit-close-refused")


def test_on_a_phone_the_budget_adjustment_keeps_each_line_readable_and_its_box_in_sight(phone, zhuxi, budget):
    log_in(phone, "zhuxi")
    phone.goto(f"/finance/budget/{budget.pk}/")
    lines = phone.get_by_test_id("budget-lines")
    name = lines.get_by_text("职工活动支出—文体活动", exact=True)
    assert name.bounding_box()["height"] < 30  # one line: squeezed into a column it stood a character a row
    box = lines.locator("input").first
    within = phone.evaluate("document.documentElement.clientWidth")
    edge = box.bounding_box()
    assert edge["x"] + edge["width"] <= within, edge  # the whole box on the screen, not cut off at its edge
    box.fill("9500")
    expect(box).to_have_value("9500")
    screenshot(phone, "finance-budget-adjust-phone")
