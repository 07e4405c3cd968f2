"""On a phone, the safety inspector photographs a hazard in the canteen; the chair, responsible for
the fix, uploads the photo of the repair and closes it."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import log_in, phone_page, screenshot
from safety.models import Hazard, HazardStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chair_phone(browser, live_server):
    yield from phone_page(browser, live_server)


def photo(path, colour):
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")
    return str(path)


def test_an_inspector_records_a_hazard_and_the_chair_closes_it_with_a_photo(
    phone, chair_phone, anquan, zhuxi, tmp_path
):
    log_in(phone, "anquan")
    phone.goto("/safety/inspections/new/")
    phone.fill("#id_place", "中心校食堂")
    phone.get_by_label("食堂燃气、锅炉、压力容器有检验记录").check()  # the canteen gas check fails
    phone.get_by_label("发现隐患，现在登记").check()
    phone.fill("#id_hazard-description", "燃气软管老化开裂")
    phone.select_option("#id_hazard-severity", "serious")
    phone.fill("#id_hazard-department", "食堂")
    phone.fill("#id_hazard-deadline", "2099-01-10")
    phone.set_input_files("#id_hazard-photo", photo(tmp_path / "hazard.jpg", (160, 50, 40)))
    screenshot(phone, "safety-inspection-phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("检查记录已保存。")).to_be_visible()
    expect(phone.get_by_test_id("hazards")).to_contain_text("燃气软管老化开裂")
    hazard = Hazard.objects.get()
    assert hazard.photo and hazard.severity == "serious"

    log_in(chair_phone, "zhuxi")
    chair_phone.goto(f"/safety/hazards/{hazard.pk}/")
    chair_phone.set_input_files("#id_fix_photo", photo(tmp_path / "fixed.jpg", (40, 140, 60)))
    chair_phone.fill("#id_note", "已更换为金属波纹管")
    chair_phone.get_by_label("核实无误，同时销号").check()
    chair_phone.get_by_role("button", name="提交整改").click()
    expect(chair_phone.get_by_test_id("hazard-status")).to_have_text("已销号")
    expect(chair_phone.get_by_test_id("fix-photo")).to_be_visible()
    screenshot(chair_phone, "safety-hazard-closed-phone")
    assert Hazard.objects.get().status == HazardStatus.CLOSED


def test_an_inspector_records_a_clean_inspection_from_her_phone(phone, anquan):
    """Nothing found: the hazard's fields stay empty, and the phone's browser must not hold the form back for them."""
    log_in(phone, "anquan")
    phone.goto("/safety/inspections/new/")
    phone.fill("#id_place", "教学楼三楼")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("检查记录已保存。")).to_be_visible()
    assert not Hazard.objects.exists()
