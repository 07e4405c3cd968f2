"""Working days and holidays in China: the one calendar every app counts on.

Three sources, the later overriding the earlier:

1. the rules of the statutory holidays (元旦 one day, 春节 from 除夕 four days, 清明 one day,
   劳动节 two days, 端午 one day, 中秋 one day, 国庆 three days), computed for any year from the
   lunar calendar and the solar terms. Such days are *provisional*: the State Council publishes
   each year's real arrangement, with bridging days and swapped weekend workdays, only in
   the preceding autumn;
2. chinese-calendar, which carries the published arrangements of the years it knows;
3. ``core.models.OfficialDay`` rows that a site administrator enters once an arrangement is
   published (or to correct one). Entering the holiday days of one festival replaces that
   festival's days from the sources above; each entered day overrides its date.

Everything is computed once per year and process. An administrator's change bumps a version
row (``core.models.StateVersion`` "calendar") in the same transaction; every process compares
its copy's version with the row at most once per ``settings.CALENDAR_CHECK_SECONDS`` (5 s by
default), so the change reaches every app server and worker within that delay (this process at
once), and a year is rebuilt after ``CACHE_SECONDS`` in any case.
"""

import datetime
import threading
import time
from dataclasses import dataclass, field

import chinese_calendar
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from lunardate import LunarDate

MIN_YEAR = 1901
MAX_YEAR = 2099
CACHE_SECONDS = 300

# The months as pages name them: 2月 in Chinese, February in English.
MONTHS = {
    1: _("1月"),
    2: _("2月"),
    3: _("3月"),
    4: _("4月"),
    5: _("5月"),
    6: _("6月"),
    7: _("7月"),
    8: _("8月"),
    9: _("9月"),
    10: _("10月"),
    11: _("11月"),
    12: _("12月"),
}


HOLIDAY_NAMES = {
    "yuandan": _("元旦"),
    "chunjie": _("春节"),
    "qingming": _("清明节"),
    "laodong": _("劳动节"),
    "duanwu": _("端午节"),
    "zhongqiu": _("中秋节"),
    "guoqing": _("国庆节"),
    "kangzhan": _("抗战胜利纪念日"),
}

FESTIVAL_NAMES = {
    "yuandan": _("元旦"),
    "chunjie": _("春节"),
    "yuanxiao": _("元宵节"),
    "funv": _("三八妇女节"),
    "qingming": _("清明节"),
    "laodong": _("五一劳动节"),
    "qingnian": _("五四青年节"),
    "ertong": _("六一儿童节"),
    "duanwu": _("端午节"),
    "jiaoshi": _("教师节"),
    "zhongqiu": _("中秋节"),
    "guoqing": _("国庆节"),
    "chongyang": _("重阳节"),
}

_LIBRARY_KEYS = {
    chinese_calendar.Holiday.new_years_day.value: "yuandan",
    chinese_calendar.Holiday.spring_festival.value: "chunjie",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "qingming",
    chinese_calendar.Holiday.labour_day.value: "laodong",
    chinese_calendar.Holiday.dragon_boat_festival.value: "duanwu",
    chinese_calendar.Holiday.mid_autumn_festival.value: "zhongqiu",
    chinese_calendar.Holiday.national_day.value: "guoqing",
    chinese_calendar.Holiday.anti_fascist_70th_day.value: "kangzhan",
}
_LIBRARY_YEARS = {d.year for d in chinese_calendar.holidays}


@dataclass(frozen=True)
class Holiday:
    """One day off of a statutory holiday."""

    date: datetime.date
    key: str
    provisional: bool = False

    @property
    def name(self) -> Promise:
        return HOLIDAY_NAMES[self.key]


@dataclass(frozen=True)
class DayInfo:
    """What a date is: a working day or not, and why."""

    date: datetime.date
    workday: bool
    holiday: str = ""  # key of the statutory holiday the day off belongs to
    swapped: bool = False  # a weekend day made a working day for ``holiday``
    provisional: bool = False  # computed by the rules, not yet published for its year
    festivals: tuple[str, ...] = field(default=())  # keys of FESTIVAL_NAMES falling on the day

    @property
    def holiday_name(self):
        return HOLIDAY_NAMES[self.holiday] if self.holiday else ""

    @property
    def festival_names(self):
        return [FESTIVAL_NAMES[key] for key in self.festivals]

    @property
    def other_festival_names(self):
        """Festivals of the day besides the holiday it is a day off for (for labels)."""
        own = self.holiday if not self.swapped else ""
        return [FESTIVAL_NAMES[key] for key in self.festivals if key != own]


def _check_year(year):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside the supported {MIN_YEAR}-{MAX_YEAR}")


def _lunar(year, month, day):
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year):
    april = chinese_calendar.get_solar_terms(datetime.date(year, 4, 1), datetime.date(year, 4, 10))
    return april[0][0]


def festivals(year: int) -> dict[str, datetime.date]:
    """The festivals a union celebrates, key -> date in ``year``, in calendar order."""
    _check_year(year)
    found = {
        "yuandan": datetime.date(year, 1, 1),
        "chunjie": _lunar(year, 1, 1),
        "yuanxiao": _lunar(year, 1, 15),
        "funv": datetime.date(year, 3, 8),
        "qingming": _qingming(year),
        "laodong": datetime.date(year, 5, 1),
        "qingnian": datetime.date(year, 5, 4),
        "ertong": datetime.date(year, 6, 1),
        "duanwu": _lunar(year, 5, 5),
        "jiaoshi": datetime.date(year, 9, 10),
        "zhongqiu": _lunar(year, 8, 15),
        "guoqing": datetime.date(year, 10, 1),
        "chongyang": _lunar(year, 9, 9),
    }
    return dict(sorted(found.items(), key=lambda item: item[1]))


def _rule_holidays(year):
    """The statutory days off by the rules in force since 2025, date -> key."""
    chunjie = _lunar(year, 1, 1)
    periods = [
        ("yuandan", datetime.date(year, 1, 1), 1),
        ("chunjie", chunjie - datetime.timedelta(days=1), 4),  # 除夕 to 初三
        ("qingming", _qingming(year), 1),
        ("laodong", datetime.date(year, 5, 1), 2),
        ("duanwu", _lunar(year, 5, 5), 1),
        ("zhongqiu", _lunar(year, 8, 15), 1),
        ("guoqing", datetime.date(year, 10, 1), 3),
    ]
    days = {}
    for key, start, length in periods:
        day = start
        # When 中秋 falls inside 国庆 the law still gives both, so the later one runs a day longer.
        while length:
            if day not in days:
                days[day] = key
                length -= 1
            day += datetime.timedelta(days=1)
    return days


@dataclass
class _Year:
    holidays: dict  # date -> Holiday
    workdays: dict  # date -> key of the holiday a swapped workday serves
    festivals: dict  # date -> tuple of festival keys


def _build_year(year):
    from core.models import OfficialDay

    if year in _LIBRARY_YEARS:
        holidays = {
            d: Holiday(d, _LIBRARY_KEYS[name]) for d, name in chinese_calendar.holidays.items() if d.year == year
        }
        workdays = {d: _LIBRARY_KEYS[name] for d, name in chinese_calendar.workdays.items() if d.year == year}
    else:
        holidays = {d: Holiday(d, key, provisional=True) for d, key in _rule_holidays(year).items()}
        workdays = {}

    entered = list(OfficialDay.objects.filter(Q(year=year) | Q(date__year=year)))
    replaced = {row.holiday for row in entered if row.year == year and row.kind == OfficialDay.Kind.HOLIDAY}
    holidays = {d: h for d, h in holidays.items() if h.key not in replaced}
    for row in entered:
        if row.date.year != year:
            continue
        holidays.pop(row.date, None)
        workdays.pop(row.date, None)
        if row.kind == OfficialDay.Kind.HOLIDAY:
            holidays[row.date] = Holiday(row.date, row.holiday)
        else:
            workdays[row.date] = row.holiday

    by_date = {}
    for key, day in festivals(year).items():
        by_date.setdefault(day, []).append(key)
    return _Year(holidays, workdays, {d: tuple(keys) for d, keys in by_date.items()})


VERSION_NAME = "calendar"

_cache: dict[int, tuple[float, _Year]] = {}
_lock = threading.Lock()
_seen = {"version": None, "checked": -1e9}


def _stored_version():
    from core.models import StateVersion

    return StateVersion.objects.filter(name=VERSION_NAME).values_list("version", flat=True).first() or 0


def _drop_if_changed_elsewhere(now):
    """Another process saved official days: forget our years (checked at most every few seconds)."""
    from django.conf import settings

    if now - _seen["checked"] < getattr(settings, "CALENDAR_CHECK_SECONDS", 5):
        return
    version = _stored_version()
    with _lock:
        if _seen["version"] is not None and version != _seen["version"]:
            _cache.clear()
        _seen.update(version=version, checked=now)


def _year(year) -> _Year:
    _check_year(year)
    now = time.monotonic()
    _drop_if_changed_elsewhere(now)
    cached = _cache.get(year)
    if cached is None or now - cached[0] > CACHE_SECONDS:
        built = _build_year(year)
        with _lock:
            _cache[year] = (now, built)
        return built
    return cached[1]


def forget():
    """Drop what was computed, after official days changed (or between tests)."""
    with _lock:
        _cache.clear()
        _seen.update(version=None, checked=-1e9)


def changed():
    """Official days changed: bump the shared version (inside the caller's transaction) so that
    every other process drops its years at its next check, and drop ours now."""
    from django.db.models import F

    from core.models import StateVersion

    if not StateVersion.objects.filter(name=VERSION_NAME).update(version=F("version") + 1):
        StateVersion.objects.get_or_create(name=VERSION_NAME, defaults={"version": 1})
    forget()


def holidays(year: int) -> list[Holiday]:
    """The statutory days off of ``year`` in date order (weekends inside a break included)."""
    return sorted(_year(year).holidays.values(), key=lambda h: h.date)


def swapped_workdays(year: int) -> dict[datetime.date, str]:
    """Weekend days of ``year`` that are working days, date -> key of the holiday they serve."""
    return dict(sorted(_year(year).workdays.items()))


def day_info(d: datetime.date) -> DayInfo:
    data = _year(d.year)
    holiday = data.holidays.get(d)
    festivals_on = data.festivals.get(d, ())
    if holiday is not None:
        return DayInfo(d, False, holiday.key, provisional=holiday.provisional, festivals=festivals_on)
    swapped_for = data.workdays.get(d)
    if swapped_for is not None:
        return DayInfo(d, True, swapped_for, swapped=True, festivals=festivals_on)
    return DayInfo(d, d.weekday() < 5, festivals=festivals_on)


def is_workday(d: datetime.date) -> bool:
    data = _year(d.year)
    if d in data.holidays:
        return False
    return d in data.workdays or d.weekday() < 5


def is_holiday(d: datetime.date) -> bool:
    """Is ``d`` a day off of a statutory holiday? (An ordinary weekend is not.)"""
    return d in _year(d.year).holidays


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The date ``n`` working days after ``start`` (before it when n < 0); ``start`` itself
    does not count, so a notice posted on a Friday for 5 working days ends the next Friday."""
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when b comes first), so
    that ``workdays_between(a, add_workdays(a, n)) == n``."""
    if b < a:
        return -workdays_between(b, a)
    count = 0
    day = a + datetime.timedelta(days=1)
    while day <= b:
        count += is_workday(day)
        day += datetime.timedelta(days=1)
    return count


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` on (back, when negative): a 29 February falls on the 28th in other years, as
    a birthday, an award's expiry or "a year ago" is reckoned."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_last_day(starts_on: datetime.date, years: int) -> datetime.date:
    """The last day of a term of whole years starting ``starts_on``: the day before the same day ``years``
    on (1 January 2027 for 3 years ends 31 December 2029). A term starting on 29 February ends on 28 February
    either way: in a year without a 29th the next term would start on 1 March."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February: the next term would start on 1 March
        anniversary = datetime.date(starts_on.year + years, 3, 1)
    return anniversary - datetime.timedelta(days=1)
