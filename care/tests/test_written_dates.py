"""Dates in the care refusals as the care pages write them (2026年12月1日; Dec. 1, 2026 in English), not
2026-12-01 beside them."""

import datetime

from django.utils import translation

from care.models import Campaign, InsuranceClaim, InsuranceEnrollment
from care.models.archive import early_date_problem

TODAY = datetime.date(2026, 12, 7)


def test_a_visit_outside_the_campaign_is_told_its_period_as_the_page_writes_it():
    campaign = Campaign(
        title="2027年春节送温暖", starts_on=datetime.date(2026, 12, 1), ends_on=datetime.date(2027, 2, 28)
    )
    problem = str(campaign.date_problem(datetime.date(2020, 1, 5)))
    assert "2026年12月1日至2027年2月28日" in problem
    with translation.override("en"):
        problem = str(campaign.date_problem(datetime.date(2020, 1, 5)))
    assert "Dec. 1, 2026" in problem and "Feb. 28, 2027" in problem


def test_insurance_dates_refused_name_the_day_in_written_form():
    enrollment = InsuranceEnrollment(year=2026)
    assert "（2026年1月1日）" in str(enrollment.filing_problem(datetime.date(2025, 12, 31), today=TODAY))
    claim = InsuranceClaim(filed_on=datetime.date(2026, 3, 9))
    assert "（2026年3月9日）" in str(claim.payout_problem(datetime.date(2026, 3, 1), today=TODAY))
    with translation.override("en"):
        assert "March 9, 2026" in str(claim.payout_problem(datetime.date(2026, 3, 1), today=TODAY))


def test_a_care_record_before_the_hardship_files_began_names_that_day():
    assert "1990年1月1日" in early_date_problem(datetime.date(1900, 1, 1))
