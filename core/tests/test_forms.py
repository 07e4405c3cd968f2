"""Form fields render the way browsers and people read them."""

import datetime

from django import forms

from core.forms import BootstrapFormMixin


class DayForm(BootstrapFormMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def test_a_date_box_shows_its_date_in_the_iso_form_browsers_accept_in_the_chinese_ui():
    # zh-hans' first input format is 2026/12/01, which a type=date box silently drops.
    html = str(DayForm(initial={"day": datetime.date(2026, 12, 1)})["day"])
    assert 'value="2026-12-01"' in html
