"""The standard lines of a grassroots union's budget (基层工会经费收支管理办法), in the order its
statements list them; a new budget starts from these, and the officer edits amounts and notes.
Each spending line says which payment purposes it usually takes, so a care payment booked
automatically lands on 维权支出—困难职工帮扶 and a festival gift on 职工活动支出—其他活动.

A standard line is known by its ``key``, never by its name: names are translated, so a name looked up
in the reader's language would miss a line written in the writer's."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Directions and purposes are written as the plain values of finance.models' choices, which reads
# this module for the lines' labels.


@dataclass(frozen=True)
class StandardLine:
    key: str
    direction: str  # finance.models.Direction
    category: str  # lazy: the heading in the reader's language
    name: str
    purposes: tuple = ()  # finance.models.Purpose values that land here by default


STANDARD_LINES = [
    StandardLine("dues", "income", _("会费收入"), _("会费收入")),
    StandardLine("allocation", "income", _("拨缴经费收入"), _("拨缴经费收入")),
    StandardLine("subsidy_upper", "income", _("上级补助收入"), _("上级补助收入")),
    StandardLine("subsidy_employer", "income", _("行政补助收入"), _("行政补助收入")),
    StandardLine("income_other", "income", _("其他收入"), _("其他收入")),
    StandardLine("education", "spending", _("职工活动支出"), _("职工教育"), ("training",)),
    StandardLine("culture", "spending", _("职工活动支出"), _("文体活动"), ("activity",)),
    StandardLine("publicity", "spending", _("职工活动支出"), _("宣传活动")),
    StandardLine("activity_other", "spending", _("职工活动支出"), _("其他活动"), ("festival",)),
    StandardLine("protection", "spending", _("维权支出"), _("劳动保护")),
    StandardLine("hardship", "spending", _("维权支出"), _("困难职工帮扶"), ("care",)),
    StandardLine("rights_other", "spending", _("维权支出"), _("其他维权支出")),
    StandardLine("training", "spending", _("业务支出"), _("培训")),
    StandardLine("meetings", "spending", _("业务支出"), pgettext_lazy("budget line", "会议")),
    StandardLine("business_other", "spending", _("业务支出"), _("其他业务支出"), ("office",)),
    StandardLine("capital", "spending", _("资本性支出"), _("资本性支出"), ("capital",)),
    StandardLine("other", "spending", _("其他支出"), _("其他支出"), ("other",)),
]

BY_KEY = {line.key: line for line in STANDARD_LINES}

# The income line each kind of income is booked on.
INCOME_LINE_OF_KIND = {  # finance.models.IncomeKind
    "dues": "dues",
    "allocation": "allocation",
    "subsidy_upper": "subsidy_upper",
    "subsidy_employer": "subsidy_employer",
    "other": "income_other",
}

# Where a spending purpose no line takes goes.
FALLBACK_SPENDING_LINE = "other"


def keys_for_purpose(purpose):
    return [line.key for line in STANDARD_LINES if purpose in line.purposes]
