"""In a browser: an officer records a 送温暖 visit with a photo of the signed receipt on her phone;
the chair reads who opened a hardship file."""

import base64
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from care import services
from care.models import Assistance, FamilyMember
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 PNG: what a phone camera would send, only smaller.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def test_an_officer_records_a_visit_with_a_receipt_photo_on_her_phone(
    phone, bangfu, units, add_household, tmp_path, private_root
):
    today = timezone.localdate()
    add_household("张桂芳", today=today)
    campaign = services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=today,
        kind="spring",
        title="春节送温暖",
        year=today.year,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=14),
        standard_amount=Decimal("500"),
        levels=["deep"],
    )
    services.campaign_split(campaign=campaign, officers=[bangfu])
    photo = tmp_path / "receipt.png"
    photo.write_bytes(PNG)

    log_in(phone, "bangfu")
    expect(phone.get_by_text("我负责的慰问名单")).to_be_visible()
    phone.goto(reverse("care:campaign_detail", args=[campaign.pk]) + "?mine=1")
    entry = phone.get_by_test_id("entry").filter(has_text="张桂芳")
    screenshot(phone, "care-phone-1-my-list")
    entry.get_by_role("link", name="登记").tap()
    expect(phone.locator("#id_amount")).to_have_value("500.00")
    phone.locator("#id_receipt").set_input_files(str(photo))
    phone.fill("#id_note", "本人在家，身体恢复中")
    screenshot(phone, "care-phone-2-record")
    phone.get_by_test_id("submit").tap()
    expect(phone.get_by_text("已登记 张桂芳 的慰问。")).to_be_visible()
    expect(phone.get_by_test_id("entry").filter(has_text="张桂芳")).to_contain_text("¥500.00")
    screenshot(phone, "care-phone-3-done")

    payment = Assistance.objects.get()
    assert payment.purpose == "songnuan" and payment.campaign == campaign and payment.receipt
    assert payment.receipt.path.startswith(str(private_root))
    # The phone's width holds the page: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_chair_reads_who_opened_a_file(page, bangfu, zhuxi, add_household, client_for):
    household = add_household("张桂芳", today=timezone.localdate())
    client_for(bangfu).get(reverse("care:household_detail", args=[household.pk]))

    log_in(page, "zhuxi")
    page.goto(reverse("care:index"))
    page.get_by_test_id("access-log-link").click()
    row = page.get_by_test_id("log").locator("tbody tr").first
    expect(row).to_contain_text("赵丽")
    expect(row).to_contain_text("困难职工档案")
    screenshot(page, "care-chair-read-log")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("readers")).to_contain_text("赵丽")
    expect(page.get_by_test_id("readers")).to_contain_text("王建国")  # the chair's own opening, just now


def test_the_officer_reveals_a_files_id_number_on_purpose(page, bangfu, add_household):
    household = add_household("张桂芳", today=timezone.localdate(), phone="13803191234")

    log_in(page, "bangfu")
    page.goto(reverse("care:household_detail", args=[household.pk]))
    expect(page.get_by_test_id("id-number")).to_have_text(household.id_number_masked)
    expect(page.get_by_test_id("phone")).to_have_text("138****1234")
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("id-number")).to_have_text(household.id_number)
    expect(page.get_by_test_id("phone")).to_have_text("13803191234")
    expect(page.get_by_text("本次查看已记录。").first).to_be_visible()
    screenshot(page, "care-file-revealed")


def test_names_and_buttons_keep_to_one_line_on_the_officers_phone(phone, bangfu, add_household, add_member):
    """Chinese text may break between any two characters: on a 390 px phone the 登记 beside a birthday was
    squeezed to 登 above 记, and a family's name to 高志 above 刚, once the dates beside them kept to one line."""
    soon = timezone.localdate() + datetime.timedelta(days=3)
    # As long a line as the demo's: a member of the school's own union, its full name beside hers.
    add_member("欧阳明远", "school", gender="M", birth=datetime.date(1980, soon.month, soon.day))
    add_household("高志刚")
    log_in(phone, "bangfu")
    phone.goto(reverse("care:visits"))
    header = phone.get_by_role("link", name="登记走访").bounding_box()
    record = phone.get_by_role("link", name="登记", exact=True).first.bounding_box()
    assert abs(record["height"] - header["height"]) < 4, (record, header)  # one line, as the header's button
    screenshot(phone, "care-phone-visits")
    phone.goto(reverse("care:households"))
    name = phone.get_by_test_id("household").filter(has_text="高志刚")
    assert name.evaluate("link => link.getClientRects().length") == 1  # an inline link broken in two has two boxes
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_files_family_table_scrolls_inside_its_card_on_a_phone_in_english(phone, live_server, bangfu, add_household):
    """The English headers make the family table wider than a phone: it scrolls sideways in its card, and its
    hidden "Actions" header no longer stretches the page (the phone's audit fails a page wider than the screen)."""
    household = add_household("高志刚")
    FamilyMember.objects.create(household=household, name="高一鸣", relation="子女", birth_year=2016, occupation="小学")
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    log_in(phone, "bangfu")
    phone.goto(reverse("care:household_detail", args=[household.pk]))
    expect(phone.get_by_role("columnheader", name="Occupation or school")).to_be_attached()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_signoff_sheet_reads_on_a_phone_and_prints_as_a_table(phone, bangfu, units, add_household):
    """The 签领表 had six columns on a 390 px phone: a group's name stood a character to a line. On the phone
    each recipient is now a card (name, then unit and amount whole, a space to sign); on paper it is the table."""
    today = timezone.localdate()
    add_household("高志刚", today=today)
    campaign = services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=today,
        kind="spring",
        title="春节送温暖",
        year=today.year,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=14),
        standard_amount=Decimal("500"),
        levels=["deep"],
    )
    log_in(phone, "bangfu")
    phone.goto(reverse("care:campaign_signoff", args=[campaign.pk]))
    row = phone.get_by_test_id("signoff").locator("tbody tr").first
    unit = row.locator("td.unit")
    # The header row hidden, the cell names its column.
    assert unit.evaluate("cell => getComputedStyle(cell, '::before').content") == '"单位："'
    line = unit.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight)")
    assert unit.bounding_box()["height"] < 2 * line + 8  # the group's name on one line, not a column of characters
    expect(row.locator("td.amount")).to_contain_text("¥500.00")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "care-phone-signoff")
    phone.emulate_media(media="print")
    assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
    expect(phone.get_by_test_id("signoff").locator("thead")).to_be_visible()
