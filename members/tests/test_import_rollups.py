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


def test_an_import_of_many_batches_marks_each_unit_once_and_a_failed_one_marks_nothing(
    units, zhuxi, tmp_path, monkeypatch
):
    from members import importing
    from rollups.models import Dirty

    monkeypatch.setattr(importing, "BATCH", 2)
    rows = [
        [n, "张伟", "男", id_for(1985, 3, n, "M", seed=n), "13812345678", "东关完小" if n % 2 else "西街完小", "", ""]
        for n in range(1, 8)
    ]
    Dirty.objects.all().delete()
    assert roster_import(xlsx(tmp_path / "花名册.xlsx", rows), unit=units["school"], user=zhuxi).written
    assert sorted(Dirty.objects.values_list("unit_id", flat=True)) == sorted([units["g1"].pk, units["g2"].pk])

    Dirty.objects.all().delete()
    rows = [[n + 10, *row[1:3], id_for(1986, 4, n, "M", seed=n), *row[4:]] for n, row in enumerate(rows, 1)]
    rows[-1][3] = "123"  # the last batch fails: nothing is written, nothing marked
    result = roster_import(xlsx(tmp_path / "花名册2.xlsx", rows), unit=units["school"], user=zhuxi)
    assert result.failed and not result.written
    assert not Dirty.objects.exists()
