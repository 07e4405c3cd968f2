"""The import as an officer walks it: upload a sheet with errors, read the preview, download the
failed rows, import the rest; then find the imported member by pinyin on a phone."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import log_in, screenshot
from members.models import Member
from members.tests.sheets import id_for, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_chair_imports_a_sheet_with_errors_and_downloads_the_failed_rows(page, zhuxi, units, tmp_path):
    path = xlsx(
        tmp_path / "教职工花名册.xlsx",
        [
            [1, "张　伟", "男", id_for(1985, 3, 2, "M", seed=1), "１３８１２３４５６７８", "东关完小", "2010.09", ""],
            [2, "李娜", "女", id_for(1990, 1, 2, "F", seed=2), "13900001111", "西街完小", "2015年3月1日", ""],
            [3, "王芳", "女", 110105199003071234, "", "", "", ""],
            [4, "赵强", "女", id_for(1978, 5, 6, "M", seed=4), "", "火星", "", ""],
        ],
    )
    log_in(page, "zhuxi")
    page.goto("/members/import/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()

    expect(page.get_by_test_id("count-created")).to_have_text("2")
    expect(page.get_by_test_id("count-failed")).to_have_text("2")
    errors = page.get_by_test_id("errors").inner_text()
    assert "第 5 行" in errors and "身份证号码" in errors and "后几位已经丢失" in errors
    assert "第 6 行" in errors and "性别与身份证号不一致" in errors and "火星" in errors
    screenshot(page, "members-import-preview")
    assert not Member.objects.exists()

    with page.expect_download() as download:
        page.get_by_test_id("download-failed").click()
    saved = tmp_path / "failed.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "教职工花名册-错误行.xlsx"
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["王芳", "赵强"] and "错误说明" in rows[0]

    page.get_by_test_id("import-skip").click()
    expect(page.get_by_test_id("job-state")).to_have_text("已导入")
    screenshot(page, "members-import-done")
    assert sorted(Member.objects.values_list("name", "unit__code")) == [
        ("张伟", "demo-school-g1"),
        ("李娜", "demo-school-g2"),
    ]


def test_roster_search_by_initials_on_a_phone(phone, zhuxi, make_member):
    make_member("张伟", "g1")
    make_member("李娜", "g2", gender="F")
    log_in(phone, "zhuxi")
    phone.goto("/members/")
    phone.fill("#id_q", "zw")
    # A phone lists name, group and status, one short line a member; the wide table is not shown.
    rows = phone.get_by_test_id("roster-phone").get_by_role("listitem")
    expect(rows).to_have_count(1)
    expect(phone.get_by_test_id("roster")).to_be_hidden()
    expect(rows.first).to_contain_text("张伟")
    expect(rows.first).to_contain_text("在会")
    assert rows.first.bounding_box()["height"] < 90
    assert "q=zw" in phone.url  # the search is in the address, so Back and sharing keep it
    screenshot(phone, "members-roster-phone")
    phone.get_by_role("link", name="张伟").click()
    phone.get_by_test_id("reveal").click()
    phone.wait_for_selector("text=本次查看已记录")
    screenshot(phone, "members-detail-phone")


def test_chair_exports_a_large_roster_in_the_background(page, zhuxi, make_member, monkeypatch, tmp_path):
    from core import exports

    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", 1)  # two members stand for a county's tens of thousands
    make_member("张伟", "g1")
    make_member("李娜", "g2", gender="F")
    log_in(page, "zhuxi")
    page.goto("/members/")
    page.get_by_test_id("export-xlsx").click()
    page.get_by_test_id("export-masked").click()
    expect(page.get_by_test_id("export-start")).to_contain_text("将在后台生成")
    page.get_by_test_id("export-start-button").click()
    # The worker runs at once in tests; on a server the page polls until it has.
    expect(page.get_by_test_id("export-state")).to_have_text("已生成")
    screenshot(page, "members-export-background")
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    saved = tmp_path / "roster.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("城关中心校-会员名册-")
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[2:]) == ["张伟", "李娜"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("export-delete").click()
    expect(page.get_by_role("alert").first).to_contain_text("已删除导出的文件")


def test_on_the_chairs_phone_in_english_a_members_labels_of_two_lines_keep_apart(
    phone, live_server, zhuxi, make_member
):
    """Political status, Membership card no. and Member account take two lines at 390 px: each label keeps
    the gap its value has below it, so that two labels are not read as one (Member account / Other)."""
    member = make_member(name="陈海军", card_number="000894520")
    phone.context.add_cookies([{"name": "gonghui_language", "value": "en", "url": live_server.url}])
    log_in(phone, "zhuxi")
    phone.goto(f"/members/{member.pk}/")
    pairs = [("Political status", "Education"), ("Member account", "Other"), ("ID number", "Mobile phone")]
    for upper, lower in pairs:
        above = phone.locator("dt", has_text=upper).bounding_box()
        below = phone.locator("dt", has_text=lower).bounding_box()
        assert above["height"] > 30 or upper == "ID number"  # two lines at this width
        assert below["y"] - (above["y"] + above["height"]) >= 6, (upper, above, below)
    screenshot(phone, "members-phone-detail-english")
