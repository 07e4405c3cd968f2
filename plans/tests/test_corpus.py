"""A corpus of plan documents written the many ways real plans are written (see corpus/README.md),
each read from its file as an upload would be, against what corpus/expected.json says it holds."""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from plans.parsing import parse_plan
from plans.reading import PlanParseError, read_text, soffice_path

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def _month(month):
    return "次年1" if month.next_year else month.month


def _needs_soffice(name):
    if name.endswith(".doc") and not soffice_path():
        if os.environ.get("CI"):
            pytest.fail("soffice is missing: .ci/run installs libreoffice-writer")
        pytest.skip("LibreOffice is not installed")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_plan_reads_as_expected(name):
    _needs_soffice(name)
    expected = EXPECTED[name]
    data = (CORPUS / name).read_bytes()
    if "refused" in expected:
        with pytest.raises(PlanParseError, match=expected["refused"]):
            read_text(data, name)
        return

    plan = parse_plan(read_text(data, name))

    assert plan.title == expected["title"]
    assert len(plan.sections) == expected["sections"]
    assert [[_month(m), len(m.items)] for m in plan.months] == expected["months"]
    assert [[s.month, s.festival] for s in plan.suggested] == expected["suggested"]
    assert [[t.value, t.measure, t.op] for t in plan.targets] == [
        [Decimal(str(v)), measure, op] for v, measure, op in expected["targets"]
    ]


def test_corpus_holds_at_least_twelve_plans_of_every_kind_of_file():
    assert len(EXPECTED) >= 12
    assert {Path(name).suffix for name in EXPECTED} == {".txt", ".docx", ".doc", ".pdf"}
