"""The standard lines of a grassroots union's budget (基层工会经费收支管理办法), in the order its
statements list them; a new budget starts from these, and the officer edits amounts and notes.
Each spending line says which payment purposes it usually takes, so a care payment booked
automatically lands on 维权支出—困难职工帮扶 and a festival gift on 职工活动支出—其他活动."""

from django.utils.translation import gettext_lazy as _

from finance.models import Direction, Purpose

# (direction, category, line name, purposes that land here by default)
STANDARD_LINES = [
    (Direction.INCOME, _("会费收入"), _("会费收入"), ()),
    (Direction.INCOME, _("拨缴经费收入"), _("拨缴经费收入"), ()),
    (Direction.INCOME, _("上级补助收入"), _("上级补助收入"), ()),
    (Direction.INCOME, _("行政补助收入"), _("行政补助收入"), ()),
    (Direction.INCOME, _("其他收入"), _("其他收入"), ()),
    (Direction.SPENDING, _("职工活动支出"), _("职工教育"), (Purpose.TRAINING,)),
    (Direction.SPENDING, _("职工活动支出"), _("文体活动"), (Purpose.ACTIVITY,)),
    (Direction.SPENDING, _("职工活动支出"), _("宣传活动"), ()),
    (Direction.SPENDING, _("职工活动支出"), _("其他活动"), (Purpose.FESTIVAL,)),
    (Direction.SPENDING, _("维权支出"), _("劳动保护"), ()),
    (Direction.SPENDING, _("维权支出"), _("困难职工帮扶"), (Purpose.CARE,)),
    (Direction.SPENDING, _("维权支出"), _("其他维权支出"), ()),
    (Direction.SPENDING, _("业务支出"), _("培训"), ()),
    (Direction.SPENDING, _("业务支出"), _("会议"), ()),
    (Direction.SPENDING, _("业务支出"), _("其他业务支出"), (Purpose.OFFICE,)),
    (Direction.SPENDING, _("资本性支出"), _("资本性支出"), (Purpose.CAPITAL,)),
    (Direction.SPENDING, _("其他支出"), _("其他支出"), (Purpose.OTHER,)),
]

INCOME_LINE_OF_KIND = {
    "dues": _("会费收入"),
    "allocation": _("拨缴经费收入"),
    "subsidy_upper": _("上级补助收入"),
    "subsidy_employer": _("行政补助收入"),
    "other": _("其他收入"),
}
