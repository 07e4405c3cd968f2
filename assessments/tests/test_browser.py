"""A county officer reviews a school's self-check on a desktop, adjusting one criterion with a
reason, publishes the result for its 公示 and sees the ranking with the titles proposed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import CheckStatus, Criterion, Scheme
from assessments.tests.conftest import agree_all, submitted
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def six_haves_round(units, title, invited):
    """The county's round of the “六有” template, due in ten days, the title from 30 points for two years."""
    return services.round_open(
        scheme=services.scheme_from_template(unit=units["county"], key="six_haves"),
        unit=units["county"],
        year=timezone.localdate().year,
        title=title,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        award_title="“六有”达标单位",
        award_years=2,
        award_min_score=Decimal(30),
        invited=invited,
    )


def test_county_officer_reviews_a_school_and_sees_the_ranking(page, units, xianzong, zhuxi):
    round_ = six_haves_round(units, "2026年基层工会“六有”达标评比", [units["school"], units["office"]])
    school = submitted(round_, units["school"], Decimal(10), by=zhuxi)
    agree_all(submitted(round_, units["office"], Decimal(8)), xianzong)
    sign = Criterion.objects.get(scheme=round_.scheme, title="工会牌子醒目悬挂，名称规范")

    log_in(page, "xianzong")
    page.goto("/assessments/")  # the module may sit under 更多 in the navbar
    page.get_by_role("link", name=round_.title).click()
    page.get_by_test_id("checks").get_by_role("link", name="审核").click()
    expect(page.get_by_role("heading", name="审核自评：城关镇中心学校工会")).to_be_visible()
    line = page.locator(f'[data-criterion="{sign.pk}"]')
    line.get_by_label("调整", exact=True).check()
    line.get_by_label("审核分").fill("6")
    page.once("dialog", lambda dialog: dialog.accept())  # the review is final: the page asks first
    page.get_by_role("button", name="完成审核").click()
    expect(page.get_by_role("alert")).to_contain_text("请写明理由")
    line = page.locator(f'[data-criterion="{sign.pk}"]')
    expect(line.get_by_label("审核分")).to_have_value("6")  # what was typed is kept
    line.get_by_label("调整理由").fill("牌子未悬挂在大门醒目位置")
    screenshot(page, "assessments-1-review")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="完成审核").click()
    expect(page.get_by_text("审核完成")).to_be_visible()
    assert "不能再修改" in asked[0]
    school.refresh_from_db()
    assert school.status == CheckStatus.REVIEWED and school.total == Decimal(
        36
    )  # 4 criteria scored 10, the sign 6; two rules found nothing

    page.get_by_role("link", name="公示结果").click()
    page.once("dialog", lambda dialog: dialog.accept())  # every unit is told: the page asks first
    page.get_by_role("button", name="公示结果").click()
    expect(page.get_by_test_id("publicity")).to_contain_text("5个工作日")
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("城关镇中心学校工会")
    expect(ranking.locator("tbody tr").first).to_contain_text("36")
    expect(ranking.locator("tbody tr").first).to_contain_text("拟授予：“六有”达标单位")  # conferred after the 公示
    expect(ranking.locator("tbody tr").nth(1)).to_contain_text("县教育局机关工会")
    screenshot(page, "assessments-2-ranking")
    assert Scheme.objects.count() == 1


def test_school_chair_fills_in_the_self_check_with_a_photo_on_a_phone(phone, units, zhuxi, tmp_path):
    from io import BytesIO

    from PIL import Image

    from assessments.models import SelfCheck

    six_haves_round(units, "“六有”达标评比", [units["school"]])
    photo = tmp_path / "paizi.jpg"
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    log_in(phone, "zhuxi")
    phone.goto("/assessments/")
    phone.get_by_role("link", name="自评中").click()
    expect(phone.get_by_text("没有").first).to_be_visible()  # the rules read the record: no plan yet
    phone.get_by_label("对应细则").select_option(label="工会牌子醒目悬挂，名称规范")
    phone.get_by_label("文件或照片").set_input_files(str(photo))
    phone.get_by_role("button", name="添加", exact=True).click()
    expect(phone.get_by_test_id("evidence")).to_contain_text("paizi.jpg")
    for index, field in enumerate(phone.locator("input[name^=score_]").all()):
        field.fill("10" if index else "9")
    screenshot(phone, "assessments-phone-1-self-check")
    phone.once("dialog", lambda dialog: dialog.accept())  # submitting is final: the page asks first
    phone.get_by_role("button", name="提交上级审核").click()
    expect(phone.get_by_text("自评已提交上级审核")).to_be_visible()
    check = SelfCheck.objects.get(unit=units["school"])
    assert check.status == CheckStatus.SUBMITTED and check.self_total == Decimal(39)
    assert check.evidence.get().file.name.endswith("paizi.jpg")


def test_the_county_reads_the_self_checks_of_a_round_on_a_phone(phone, units, xianzong, zhuxi):
    """At 390 px the table of self-checks wrapped each unit's name a character a line and cut off 查看."""
    round_ = six_haves_round(units, "“六有”达标评比", [units["school"], units["office"]])
    submitted(round_, units["school"], Decimal(10), by=zhuxi)
    log_in(phone, "xianzong")
    phone.goto(f"/assessments/rounds/{round_.pk}/")
    row = phone.get_by_test_id("checks").locator("tbody tr").first
    expect(row).to_contain_text("城关镇中心学校工会")
    review = row.get_by_role("link", name="审核")
    expect(review).to_be_in_viewport()
    name_cell = row.locator("td").first
    assert name_cell.bounding_box()["height"] < 40  # one line, not a character a line
    screenshot(phone, "assessments-phone-2-round")


def test_on_a_phone_in_english_a_criterion_keeps_the_width_of_the_line_beside_its_score(
    phone, live_server, units, xianzong, zhuxi
):
    """At 390 px in English, 'Scored from the record 0.0 / 10.0' kept its line and squeezed the criterion
    beside it into a column of four or five characters a line; the score now goes under the criterion."""
    round_ = six_haves_round(units, "“六有”达标评比", [units["school"]])
    check = submitted(round_, units["school"], Decimal(10), by=zhuxi)
    phone.context.add_cookies([{"name": "gonghui_language", "value": "en", "url": live_server.url}])
    log_in(phone, "xianzong")
    phone.goto(f"/assessments/checks/{check.pk}/review/")
    line = phone.get_by_test_id("review-lines").locator("li").first
    title = line.get_by_test_id("criterion-title")
    expect(line.get_by_test_id("claimed")).to_be_visible()
    assert title.bounding_box()["width"] > 0.8 * line.bounding_box()["width"]
    screenshot(phone, "assessments-phone-3-review-english")
