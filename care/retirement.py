"""Statutory retirement dates, with China's gradual reform from 1 January 2025 (渐进式延迟法定退休年龄).

The reform (全国人大常委会 2024年9月13日决定) delays the old ages step by step:
- men, old age 60: born from January 1965, one month later for every four months of birth, up to 63;
- women whose old age was 55 (cadres, teachers): born from January 1970, every four months, up to 58;
- women whose old age was 50 (workers): born from January 1975, every two months, up to 55.
The rules are a table so that a later change is one line; a unit chooses which women's rule applies
(CareSettings.women_retirement).
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class RetirementRule:
    old_age: int
    first_birth: datetime.date  # the first birth month the reform delays
    birth_months_per_step: int
    max_delay_months: int


RULES = {
    ("M", 60): RetirementRule(60, datetime.date(1965, 1, 1), 4, 36),
    ("F", 55): RetirementRule(55, datetime.date(1970, 1, 1), 4, 36),
    ("F", 50): RetirementRule(50, datetime.date(1975, 1, 1), 2, 60),
}


def delay_months(birth_date: datetime.date, rule: RetirementRule) -> int:
    months_after = (birth_date.year - rule.first_birth.year) * 12 + birth_date.month - rule.first_birth.month
    if months_after < 0:
        return 0
    return min(months_after // rule.birth_months_per_step + 1, rule.max_delay_months)


def retirement_date(birth_date: datetime.date, gender: str, *, women_old_age: int = 55) -> datetime.date:
    """The month one reaches the statutory retirement age; the first of that month (when pensions start)."""
    rule = RULES[("M", 60)] if gender == "M" else RULES[("F", women_old_age)]
    months = rule.old_age * 12 + delay_months(birth_date, rule)
    month0 = birth_date.month - 1 + months
    return datetime.date(birth_date.year + month0 // 12, month0 % 12 + 1, 1)


def retirement_age_text(birth_date: datetime.date, gender: str, *, women_old_age: int = 55) -> tuple[int, int]:
    """(years, months) of the retirement age for this person."""
    rule = RULES[("M", 60)] if gender == "M" else RULES[("F", women_old_age)]
    months = rule.old_age * 12 + delay_months(birth_date, rule)
    return months // 12, months % 12
