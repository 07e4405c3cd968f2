"""The home page's counts read as English does: one of a thing, not "1 opinions" (Chinese has no plural)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.testing import in_english
from democracy.models import DisclosureItem, Opinion
from members.models import Member
from rollups.refresh import refresh


def test_the_chairs_home_page_says_one_opinion_and_one_person(client_for, units, zhuxi):
    today = timezone.localdate()
    Member.objects.create(unit=units["school"], name="Zhou", gender="F")
    refresh()  # the members card reads the roll-ups
    Opinion.objects.create(unit=units["school"], text="Heating", received_on=today)
    DisclosureItem.objects.create(
        unit=units["school"],
        title="Canteen",
        category="finance",
        period="year",
        period_label="2026",
        due_on=today - datetime.timedelta(days=3),
    )
    html = in_english(client_for(zhuxi)).get(reverse("workbench:home")).content.decode()
    assert "1 opinion without a reply" in html and "1 opinions" not in html
    assert "1 disclosure item overdue" in html
    assert "1 person" in html and "1 people" not in html


def test_more_than_one_stays_plural(client_for, units, zhuxi):
    today = timezone.localdate()
    for text in ("Heating", "Lights"):
        Opinion.objects.create(unit=units["school"], text=text, received_on=today)
    html = in_english(client_for(zhuxi)).get(reverse("workbench:home")).content.decode()
    assert "2 opinions without a reply" in html
