"""A timed race's results as the stopwatch reads them: 5:32.18 typed, 5分32.18秒 shown, seconds kept."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from activities import race_times, sports
from activities.models import EventFormat, SportsEvent


@pytest.mark.parametrize(
    "typed, seconds",
    [
        ("5:32.18", "332.18"),
        ("5：32.18", "332.18"),
        ("5′32″18", "332.18"),
        ("5'32\"18", "332.18"),
        ("5分32秒18", "332.18"),
        ("5分32秒", "332"),
        ("5分05.5秒", "305.5"),
        ("1:05:32", "3932"),
        ("1小时05分32秒", "3932"),
        (" 12:00 ", "720"),
        # As a referee types on the field: the seconds' mark as two quotes, full-width, dots on a number pad.
        ("1'02''45", "62.45"),
        ("1′02′′45", "62.45"),
        ("１:０２.４５", "62.45"),
        ("１′０２″４５", "62.45"),
        ("１分０２秒４５", "62.45"),
        ("1.02.45", "62.45"),
    ],
)
def test_a_clock_is_read_as_seconds(typed, seconds):
    assert race_times.read(typed) == Decimal(seconds)


@pytest.mark.parametrize(
    "typed", ["5:60", "5:75.1", "1:60:00", "5:", ":32", "5:3a", "1:2:3:4", "五分三十秒", "5:NaN", "1.60.00", "1''"]
)
def test_what_is_no_time_is_refused(typed):
    with pytest.raises(ValueError):
        race_times.read(typed)


def test_a_time_is_shown_in_minutes_and_seconds_and_typed_back_the_way_it_reads():
    with translation.override("zh-hans"):
        assert race_times.shown(Decimal("332.18")) == "5分32.18秒"
        assert race_times.shown(Decimal("305.50")) == "5分05.50秒"
        assert race_times.shown(Decimal("360.87")) == "6分00.87秒"
        assert race_times.shown(Decimal("361.00")) == "6分01秒"
        assert race_times.shown(Decimal("3932.00")) == "1小时5分32秒"
        assert race_times.shown(Decimal("12.40")) == "12.40秒"
    with translation.override("en"):
        assert race_times.shown(Decimal("332.18")) == "5 min 32.18 s"
    for seconds in ("332.18", "305.50", "3932.00", "12.40", "60.00"):
        shown_in_box = race_times.typed(Decimal(seconds))
        read_back = race_times.read(shown_in_box) if race_times.is_clock(shown_in_box) else Decimal(shown_in_box)
        assert read_back == Decimal(seconds)
    assert race_times.typed(Decimal("305.50")) == "5:05.50"
    assert race_times.typed(Decimal("3932.00")) == "1:05:32"


@pytest.fixture
def race(make_activity, member_factory):
    event = SportsEvent.objects.create(
        activity=make_activity(title="秋季运动会"),
        name="1500米跑（男子）",
        format=EventFormat.RANKED,
        lower_is_better=True,
        result_unit="秒",
    )
    fast, slow = (sports.entry_add(event=event, unit=None, member=member_factory(name)) for name in ("王五", "赵六"))
    return event, fast, slow


def test_the_chair_types_the_stopwatchs_times_and_the_standings_show_them(client_for, zhuxi, race):
    event, fast, slow = race
    school = client_for(zhuxi)
    response = school.post(
        reverse("activities:results", args=[event.pk]),
        {f"result-{fast.pk}": "5:32.18", f"result-{slow.pk}": "6分01秒5"},
        follow=True,
    )
    page = response.content.decode()
    fast.refresh_from_db()
    slow.refresh_from_db()
    assert (fast.result, fast.place, slow.result, slow.place) == (Decimal("332.18"), 1, Decimal("361.50"), 2)
    assert "5分32.18秒" in page and "6分01.50秒" in page
    # The box offers the saved time back as it is typed, and saving it unchanged changes nothing.
    assert f'name="result-{fast.pk}" value="5:32.18"' in page
    school.post(reverse("activities:results", args=[event.pk]), {f"result-{fast.pk}": "5:32.18"})
    fast.refresh_from_db()
    assert fast.result == Decimal("332.18")


def test_a_time_with_sixty_seconds_names_the_athlete_and_nothing_is_saved(client_for, zhuxi, race):
    event, fast, slow = race
    response = client_for(zhuxi).post(
        reverse("activities:results", args=[event.pk]),
        {f"result-{fast.pk}": "5:60", f"result-{slow.pk}": "6:01.5"},
        follow=True,
    )
    page = response.content.decode()
    assert "王五的成绩“5:60”不是有效的时间" in page
    assert f'name="result-{fast.pk}" value="5:60"' in page and f'name="result-{slow.pk}" value="6:01.5"' in page
    assert not event.entries.filter(result__isnull=False).exists()


def test_an_event_counted_in_pieces_takes_no_clock(client_for, zhuxi, race):
    event, fast, _slow = race
    SportsEvent.objects.filter(pk=event.pk).update(name="一分钟跳绳", lower_is_better=False, result_unit="个")
    response = client_for(zhuxi).post(
        reverse("activities:results", args=[event.pk]), {f"result-{fast.pk}": "1:20"}, follow=True
    )
    assert "王五的成绩“1:20”不是数字" in response.content.decode()


def test_plain_seconds_typed_full_width_are_read_and_a_word_is_called_no_time(client_for, zhuxi, race):
    event, fast, slow = race
    response = client_for(zhuxi).post(
        reverse("activities:results", args=[event.pk]),
        {f"result-{fast.pk}": "１２．３", f"result-{slow.pk}": "快"},
        follow=True,
    )
    assert "赵六的成绩“快”不是有效的时间" in response.content.decode()
    response = client_for(zhuxi).post(
        reverse("activities:results", args=[event.pk]),
        {f"result-{fast.pk}": "１２．３", f"result-{slow.pk}": "1'02''45"},
        follow=True,
    )
    fast.refresh_from_db()
    slow.refresh_from_db()
    assert (fast.result, fast.place, slow.result, slow.place) == (Decimal("12.30"), 1, Decimal("62.45"), 2)


def test_on_a_phone_a_time_is_typed_on_the_number_pad(client_for, zhuxi, race):
    """The number pad has a dot but no colon: the boxes ask for it, and the hint says how a time is typed there."""
    event, fast, _slow = race
    page = client_for(zhuxi).get(reverse("activities:event", args=[event.pk])).content.decode()
    box = page.split(f'name="result-{fast.pk}"')[1].split(">")[0]
    assert 'inputmode="decimal"' in box
    assert "用数字键盘写作 5.32.18" in page
