"""An ID number's birth date, told beside the one typed, as the member pages write dates (1985年3月2日)."""

import datetime

from django.utils import translation

from core import idnumber
from members.models import id_number_conflicts
from members.tests.sheets import id_for

ZHANG = id_for(1985, 3, 2, "M", seed=1)


def test_a_birth_date_other_than_the_id_numbers_is_told_the_id_numbers_in_written_form():
    parsed = idnumber.parse(ZHANG)
    errors = id_number_conflicts(parsed, birth_date=datetime.date(1985, 3, 12), gender="M")
    assert errors == {"birth_date": "出生日期与身份证号不一致（身份证号为1985年3月2日）。"}
    with translation.override("en"):
        errors = id_number_conflicts(parsed, birth_date=datetime.date(1985, 3, 12), gender="M")
    assert "March 2, 1985" in errors["birth_date"]
