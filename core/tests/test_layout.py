"""The shared layout (base.html) as a keyboard and screen reader user meets it: a skip link to the
content, the page's landmarks (header, the named main menu, main), the module the page belongs to
marked as the current one, and a region that stays in the page for what htmx swaps in."""

import re

import pytest
from django.urls import reverse

from core.testing import in_english

pytestmark = pytest.mark.django_db


def test_the_page_has_a_skip_link_a_header_with_the_named_main_menu_and_a_main(client_for, zhuxi):
    html = client_for(zhuxi).get(reverse("finance:home")).content.decode()
    assert (
        html.index('href="#content"')
        < html.index("<header")
        < html.index('<main class="container-xl py-3" id="content"')
    )
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert '<nav class="navbar' in header and 'aria-label="主菜单"' in header
    assert html.count("<main") == 1


def test_the_module_of_the_page_is_the_current_item_of_the_menu(client_for, zhuxi):
    html = client_for(zhuxi).get(reverse("finance:payments")).content.decode()
    current = re.findall(r'<a class="(?:nav-link|dropdown-item) active" href="([^"]+)" aria-current="page">', html)
    assert current == [reverse("finance:home")]
    assert html.count('aria-current="page"') == 1


def test_a_region_for_what_htmx_swaps_in_stays_in_every_page(client_for, zhuxi, huiyuan):
    for client, url in ((client_for(huiyuan), reverse("workbench:home")), (client_for(zhuxi), reverse("safety:index"))):
        html = client.get(url).content.decode()
        assert '<div id="gh-announcer" class="visually-hidden" role="status" aria-live="polite"' in html


def test_in_english_the_main_menu_is_named_in_english(client_for, zhuxi):
    html = in_english(client_for(zhuxi)).get(reverse("finance:home")).content.decode()
    assert 'aria-label="Main menu"' in html and "Skip to content" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_by_keyboard_the_skip_link_leads_past_the_menu_and_the_user_menu_and_language_switch_work(page, zhuxi):
    from playwright.sync_api import expect

    from conftest import log_in

    log_in(page, "zhuxi")
    page.goto(reverse("finance:home"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is in the page's content, not back in the menu
    assert page.evaluate("document.activeElement.closest('main') !== null")
    # The module of the page is the menu's current item, as a screen reader says it.
    expect(page.get_by_role("banner").locator('[aria-current="page"]')).to_have_text("经费")
    # The user menu opens from the keyboard and its items are reached with the arrow keys.
    menu = page.get_by_test_id("user-menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="我的")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    # The language switch is a pair of buttons: Enter on English turns the page into English.
    page.get_by_test_id("language-switch").get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
