"""Text colours meet WCAG 2.1 AA (4.5:1) on the backgrounds they are drawn on, computed from our CSS.

axe-core checks the pages in the browser tests, but it cannot measure text over a gradient (the
top menu) and only sees the states a test happens to show; this computes the pairs from the
stylesheet itself, for every state.
"""

import re
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]
CSS = (BASE / "core/static/core/gonghui.css").read_text(encoding="utf-8")
CALENDAR_CSS = (BASE / "plans/static/plans/calendar.css").read_text(encoding="utf-8")

BODY = "#f8f9fa"  # .bg-body-tertiary, the page behind everything
WHITE = "#ffffff"  # cards
WARNING = "#fff3cd"  # .alert-warning, e.g. the demo logins on the login page


def block(css, selector):
    """The declarations of the first rule whose selector list is exactly ``selector``."""
    match = re.search(r"(?:^|\})\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", css, flags=re.M)
    assert match, f"no rule for {selector}"
    declarations = re.sub(r"/\*.*?\*/", "", match.group(1), flags=re.S)
    return dict(re.findall(r"(-{0,2}[\w-]+)\s*:\s*([^;]+);", declarations))


def rgb(colour):
    colour = colour.strip()
    if colour.startswith("#"):
        if len(colour) == 4:  # #fff
            colour = "#" + "".join(c * 2 for c in colour[1:])
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    numbers = re.findall(r"\d+", colour)
    return tuple(int(n) for n in numbers[:3])


def luminance(colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fore, back):
    lighter, darker = sorted((luminance(fore), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#6c757d", BODY) == pytest.approx(4.44, abs=0.01)  # the failure the audit found


ROOT = block(CSS, ":root")
NAVBAR = block(CSS, ".gh-navbar")
GRADIENT_STOPS = [ROOT["--gh-red-dark"], ROOT["--gh-red"]]


@pytest.mark.parametrize("state", ["--bs-navbar-color", "--bs-navbar-hover-color", "--bs-navbar-active-color"])
def test_menu_links_are_readable_over_every_stop_of_the_red_gradient(state):
    for stop in GRADIENT_STOPS:
        assert contrast(NAVBAR[state], stop) >= 4.5, (state, stop)


def test_the_menu_keeps_the_unions_red():
    assert ROOT["--gh-red"].lower() == "#b71c1c"


@pytest.mark.parametrize(
    "variable",
    ["--bs-secondary-color", "--bs-danger", "--bs-success", "--bs-link-color", "--bs-primary", "--bs-code-color"],
)
def test_body_text_colours_are_readable_on_the_page_on_cards_and_in_warnings(variable):
    for background in (BODY, WHITE, WARNING):
        assert contrast(ROOT[variable], background) >= 4.5, (variable, background)


@pytest.mark.parametrize(
    "selector", [".btn-outline-secondary", ".btn-outline-danger", ".btn-outline-success", ".btn-outline-primary"]
)
def test_outline_buttons_are_readable_at_rest_and_white_on_their_hover_fill(selector):
    rule = block(CSS, selector)
    colour = rule["--bs-btn-color"]
    colour = ROOT["--gh-red"] if colour == "var(--gh-red)" else colour
    hover = rule["--bs-btn-hover-bg"]
    hover = ROOT["--gh-red"] if hover == "var(--gh-red)" else hover
    assert contrast(colour, BODY) >= 4.5
    assert contrast(WHITE, hover) >= 4.5


@pytest.mark.parametrize("selector", [".btn-danger", ".btn-success"])
def test_filled_buttons_carry_white_text_readably_in_every_state(selector):
    rule = block(CSS, selector)
    for state in ("--bs-btn-bg", "--bs-btn-hover-bg", "--bs-btn-disabled-bg"):
        assert contrast(WHITE, rule[state]) >= 4.5, state


@pytest.mark.parametrize(
    ("selector", "background"),
    [
        (".cal-holiday", None),
        (".cal-workday", None),
        (".cal-festival", None),
        (".cal-off .cal-date", WHITE),
        (".cal-other .cal-date", BODY),
    ],
)
def test_calendar_marks_are_readable(selector, background):
    rule = block(CALENDAR_CSS, selector)
    assert contrast(rule["color"], background or rule["background"]) >= 4.5


def test_no_calendar_text_is_faded_by_transparency():
    assert "opacity" not in CALENDAR_CSS


PLANS_CSS = (BASE / "plans/static/plans/plans.css").read_text(encoding="utf-8")


@pytest.mark.parametrize("state", ["achieved", "on_track", "at_risk", "missed", "not_started"])
def test_every_targets_state_badge_is_drawn_and_readable(state):
    """A state without a rule drew its badge as white text on nothing (年度未开始 on a white card)."""
    from plans.models import TargetState

    assert state in TargetState.values
    found = re.search(r"\.badge\.state-" + state + r"\b[^{]*\{([^}]*)\}", PLANS_CSS)
    assert found, f"no badge rule for {state}"
    rule = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", found.group(1)))
    assert contrast(rule["color"], rule["background"]) >= 4.5


def test_every_targets_state_but_no_data_is_listed_above():
    from plans.models import TargetState

    assert set(TargetState.values) - {"no_data"} == {"achieved", "on_track", "at_risk", "missed", "not_started"}
