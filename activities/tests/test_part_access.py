"""The parts of what a unit runs have URLs of their own: a sports event's entries and matches, a
competition's scoring items, contestants and rounds, an activity's registrations and its summary's
photos. Each is found through the access rule of what it belongs to, in the one query that reads it:
an officer of another union, or one who only sees the school's work from below, is told the part
does not exist, and nothing of it changes."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities import contests, services, sports
from activities.models import (
    Competition,
    Contestant,
    Entry,
    EventFormat,
    EventKind,
    Match,
    Registration,
    Score,
    ScoringItem,
    SportsEvent,
    Status,
    SummaryPhoto,
)
from conftest import make_person
from orgs.roles import Role


@pytest.fixture
def jiguan(units):
    """The chair of demo-office, the school's sibling union: runs activities, not the school's."""
    return make_person("jiguan", "钱程", units["office"], Role.CHAIR)


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, "JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def parts(make_activity, member_factory, me, units, zhuxi):
    """One of each part, all the school's: the chair runs them and sits on the competition's panel."""
    meeting = make_activity(title="春季趣味运动会")
    event = SportsEvent.objects.create(
        activity=meeting, name="乒乓球男子单打", kind=EventKind.INDIVIDUAL, format=EventFormat.KNOCKOUT
    )
    entry = sports.entry_add(event=event, unit=None, member=member_factory("甲"))
    sports.entry_add(event=event, unit=None, member=member_factory("乙"))
    sports.draw_make(event=event)
    competition = Competition.objects.create(
        unit=units["school"],
        title="青年教师教学技能比武",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    contests.rounds_create(competition=competition)
    competition.judges.add(zhuxi)
    held = make_activity(
        title="教师节座谈会", status=Status.HELD, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    summary = services.summary_save(activity=held, text="总结", photos=[_jpeg()], by=zhuxi)
    return {
        "entry": entry,
        "match": event.matches.get(),
        "item": ScoringItem.objects.create(competition=competition, name="教学设计", weight=100),
        "contestant": Contestant.objects.create(competition=competition, unit=units["g1"], name="东关完小"),
        "round": competition.rounds.get(),
        "registration": services.registration_add(activity=meeting, member=me, by=zhuxi),
        "photo": summary.photos.get(),
    }


def _untouched(parts):
    """Every part as the fixture left it."""
    match, registration = (
        Match.objects.get(pk=parts["match"].pk),
        Registration.objects.get(pk=parts["registration"].pk),
    )
    return (
        Entry.objects.filter(pk=parts["entry"].pk).exists()
        and match.home_score is None
        and ScoringItem.objects.filter(pk=parts["item"].pk).exists()
        and Contestant.objects.filter(pk=parts["contestant"].pk).exists()
        and not Score.objects.exists()
        and registration.status == parts["registration"].status
        and registration.checked_in_at is None
        and SummaryPhoto.objects.filter(pk=parts["photo"].pk).exists()
    )


def _requests(parts):
    """(method, URL, data) of every page or action on one part (the result before the entry's removal,
    which would void the draw)."""
    sheet = reverse("activities:score_sheet", args=[parts["round"].pk])
    cell = f"s-{parts['contestant'].pk}-{parts['item'].pk}"
    return [
        ("post", reverse("activities:match_result", args=[parts["match"].pk]), {"home_score": 3, "away_score": 1}),
        ("post", reverse("activities:entry_remove", args=[parts["entry"].pk]), {}),
        ("post", reverse("activities:item_remove", args=[parts["item"].pk]), {}),
        ("post", reverse("activities:contestant_remove", args=[parts["contestant"].pk]), {}),
        ("get", sheet, {}),
        ("post", sheet, {cell: "90"}),
        ("post", reverse("activities:cancel_registration", args=[parts["registration"].pk]), {}),
        ("post", reverse("activities:tick", args=[parts["registration"].pk]), {}),
        ("get", reverse("activities:photo", args=[parts["photo"].pk]), {}),
        ("post", reverse("activities:photo_delete", args=[parts["photo"].pk]), {}),
    ]


@pytest.mark.parametrize("persona", ["jiguan", "xiaozu", "outsider"])
def test_another_union_s_officer_finds_no_part_of_the_school_s_work(persona, request, client_for, parts):
    client = client_for(request.getfixturevalue(persona))
    for method, url, data in _requests(parts):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _untouched(parts)


def test_the_chair_who_runs_them_reaches_every_part(client_for, zhuxi, parts):
    client = client_for(zhuxi)
    for method, url, data in _requests(parts):
        assert getattr(client, method)(url, data).status_code in (200, 302), url
    assert not _untouched(parts)


def test_the_host_s_chair_off_the_panel_has_no_score_sheet(client_for, zhuxi, parts):
    parts["round"].competition.judges.remove(zhuxi)
    sheet = reverse("activities:score_sheet", args=[parts["round"].pk])
    assert client_for(zhuxi).get(sheet).status_code == 404


def test_the_unit_above_reviewing_a_summary_sees_its_photos(client_for, make_activity, units, zhuxi, xiaozu):
    held = make_activity(
        unit=units["g1"],
        title="三八趣味活动",
        status=Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    photo = services.summary_save(activity=held, text="总结", photos=[_jpeg()], by=xiaozu).photos.get()
    assert client_for(zhuxi).get(reverse("activities:photo", args=[photo.pk])).status_code == 200
