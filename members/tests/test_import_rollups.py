"""An import moves the roll-ups like any other change: the county's overview counts the new members."""

from django.utils import timezone

from members.importing import roster_import
from members.tests.sheets import id_for, xlsx
from rollups import read
from rollups.refresh import drift, refresh


def test_imported_members_reach_the_roll_ups_of_their_units_and_above(units, zhuxi, tmp_path):
    path = xlsx(
        tmp_path / "花名册.xlsx",
        [
            [1, "张伟", "男", id_for(1985, 3, 2, "M", seed=1), "13812345678", "东关完小", "2010.09", ""],
            [2, "李娜", "女", id_for(1990, 1, 2, "F", seed=2), "13900001111", "西街完小", "2015年3月1日", ""],
        ],
    )
    result = roster_import(path, unit=units["school"], user=zhuxi)
    assert not result.failed
    refresh()
    year = timezone.localdate().year
    assert read.for_unit(units["county"], year).members == 2
    assert read.for_unit(units["g2"], year).members == 1
    assert drift() == []
