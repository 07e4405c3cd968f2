"""Rate limits (core.throttle): a fixed window against floods from one address, and a sliding window
with a least gap for what a person is told about (an SMS sign-in code: once a minute, five an hour)."""

import datetime

import pytest
from django.core.cache import cache

from core import throttle
from core.throttle import Verdict

T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def at(minutes=0, seconds=0):
    return T0 + datetime.timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def sms_code(now, key="code:13831500101"):
    """The sign-in code's limits, as portal.services counts them."""
    return throttle.allow_sliding(key, limit=5, seconds=3600, gap=60, now=now)


def test_a_fixed_window_refuses_past_its_limit():
    verdicts = [throttle.allow("signin:10.0.0.1", limit=3, seconds=3600) for _ in range(5)]
    assert verdicts == [Verdict.ALLOWED] * 3 + [Verdict.LIMIT] * 2
    assert [bool(v) for v in verdicts] == [True, True, True, False, False]
    assert throttle.allow("signin:10.0.0.2", limit=3, seconds=3600)  # another address has its own count


def test_the_sliding_window_holds_at_every_moment_not_per_clock_hour():
    """Five an hour, counted back from each request: the first of the five passing out of the hour lets
    one more in, and no more (a fixed window would let five more in at its turn)."""
    for minute in (0, 50, 52, 54, 56):
        assert sms_code(at(minute))
    assert sms_code(at(58)) is Verdict.LIMIT
    assert sms_code(at(60, 30))  # the one at :00 is more than an hour old
    assert sms_code(at(62)) is Verdict.LIMIT  # 50, 52, 54, 56 and 60:30 are within the hour


def test_a_use_within_the_gap_is_refused_and_not_counted():
    assert sms_code(at(0))
    assert sms_code(at(0, 30)) is Verdict.GAP
    assert not sms_code(at(0, 59))
    for minute in range(1, 5):
        assert sms_code(at(minute))  # the refused ones took none of the five
    assert sms_code(at(6)) is Verdict.LIMIT  # the limit is told before the gap


def test_without_a_gap_uses_may_follow_each_other():
    assert [bool(throttle.allow_sliding("export:7", limit=2, seconds=60, now=at(0))) for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_the_clock_is_the_default_moment():
    assert throttle.allow_sliding("code:now", limit=1, seconds=3600)
    assert throttle.allow_sliding("code:now", limit=1, seconds=3600) is Verdict.LIMIT


def test_a_second_use_in_the_same_moment_is_refused_while_the_first_is_counted(monkeypatch):
    """A double tap: the second arrives after the first has read the times and before it wrote them. It
    must not read the same times and pass too (here with no gap that would refuse it anyway)."""
    read, second = cache.get, []

    def read_then_a_second_use(key, *args, **kwargs):
        times = read(key, *args, **kwargs)
        if key == "throttle:export:7:times" and not second:
            second.append(throttle.allow_sliding("export:7", limit=5, seconds=60, now=at(0)))
        return times

    monkeypatch.setattr(cache, "get", read_then_a_second_use)
    assert throttle.allow_sliding("export:7", limit=5, seconds=60, now=at(0))
    assert second == [Verdict.BUSY]
    monkeypatch.undo()
    # The first was counted, and the key is free again at once.
    assert [bool(throttle.allow_sliding("export:7", limit=2, seconds=60, now=at(0))) for _ in range(2)] == [
        True,
        False,
    ]


def test_a_mark_left_by_a_crashed_request_holds_the_key_only_until_it_lapses():
    cache.add("throttle:export:7:busy", True, timeout=throttle.BUSY_SECONDS)
    assert throttle.allow_sliding("export:7", limit=5, seconds=60) is Verdict.BUSY
    cache.delete("throttle:export:7:busy")  # what the timeout does BUSY_SECONDS later
    assert throttle.allow_sliding("export:7", limit=5, seconds=60)
