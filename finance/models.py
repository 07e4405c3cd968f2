"""A union's money, as its own committee and audit committee keep it: not a general ledger, but the
budget the plan spends, every payment against a budget line, income (dues, 拨缴, subsidies), and
the audit committee's year.

Amounts are Decimal yuan to the fen everywhere. A payment is never deleted or edited after
approval: a mistake is undone by a reversal that points at it (its amount negated), so the sum of
a line's payments is always what was spent. Each line keeps its spent total as a maintained
counter (updated in the same transaction as the payment); ``manage.py check_ledger`` recomputes
it from the payments and reports any difference.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core import money
from core.files import private_storage
from finance.categories import BY_KEY
from orgs.access import UnitScopedQuerySet, has_permission

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
# No single amount of a union's books comes near it: beyond it, a slip of the keyboard (digits doubled).
MAX_AMOUNT = Decimal("100000000.00")


def yuan(value) -> Decimal:
    """Any amount as Decimal yuan to the fen (SQLite's SUM loses the scale)."""
    return Decimal(value or 0).quantize(FEN)


class Direction(models.TextChoices):
    INCOME = "income", _("收入")
    SPENDING = "spending", _("支出")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")


class BudgetQuerySet(UnitScopedQuerySet):
    pass


class Budget(models.Model):
    """A unit's budget for one year, approved by its committee; a mid-year adjustment keeps both figures."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT)
    approved_at = models.DateField(_("批准日期"), null=True, blank=True)
    approval_meeting = models.CharField(
        _("批准会议"), max_length=200, blank=True, help_text=_("如“第三届工会委员会第五次会议”。")
    )
    adjusted_at = models.DateField(_("调整日期"), null=True, blank=True)
    adjustment_meeting = models.CharField(_("调整会议"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("预算")
        verbose_name_plural = _("预算")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="finance_one_budget_a_year")]
        ordering = ["-year"]

    def __str__(self):
        return str(_("%(year)s年经费预算") % {"year": self.year})

    @property
    def is_approved(self):
        return self.status == BudgetStatus.APPROVED

    @property
    def is_adjusted(self):
        return self.adjusted_at is not None


class BudgetLineQuerySet(UnitScopedQuerySet):
    path_field = "budget__unit__path"

    def spending(self):
        return self.filter(direction=Direction.SPENDING)

    def income(self):
        return self.filter(direction=Direction.INCOME)


class BudgetLine(models.Model):
    """One line of a budget (职工活动支出—文体活动, 会费收入 …): the original amount, the adjusted
    one once the budget is adjusted, and what was spent (or received) against it."""

    budget = models.ForeignKey(Budget, verbose_name=_("预算"), on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField(_("收支"), max_length=10, choices=Direction.choices)
    # A standard line's key (finance.categories); blank for a line the officer added. Standard lines are
    # found and labelled by it; their category and name are kept in the site's language, as written.
    key = models.CharField(max_length=30, blank=True, editable=False)
    category = models.CharField(_("类别"), max_length=40)  # the standard heading, e.g. 职工活动支出
    name = models.CharField(_("科目"), max_length=60)
    amount = models.DecimalField(_("预算数（元）"), max_digits=14, decimal_places=2, default=ZERO)
    adjusted_amount = models.DecimalField(
        _("调整后预算数（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(_("执行数（元）"), max_digits=14, decimal_places=2, default=ZERO, editable=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("预算科目")
        verbose_name_plural = _("预算科目")
        ordering = ["budget", "direction", "position", "id"]

    def __str__(self):
        category, name = self.category_label, self.label
        return f"{category}—{name}" if name != category else name

    @property
    def label(self) -> str:
        """The line's name in the reader's language (a standard line's) or as the officer wrote it."""
        standard = BY_KEY.get(self.key)
        return str(standard.name) if standard else self.name

    @property
    def category_label(self) -> str:
        standard = BY_KEY.get(self.key)
        return str(standard.category) if standard else self.category

    @property
    def budgeted(self) -> Decimal:
        """What may be spent now: the adjusted amount once there is one."""
        return self.amount if self.adjusted_amount is None else self.adjusted_amount

    @property
    def left(self) -> Decimal:
        return self.budgeted - self.actual

    @property
    def share_used(self) -> Decimal | None:
        if not self.budgeted:
            return None
        return (self.actual * 100 / self.budgeted).quantize(Decimal("0.1"))


class Settings(models.Model):
    """A unit's own rules for its money, set by its chair."""

    unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="finance_settings")
    approval_threshold = models.DecimalField(
        _("需第二人审批的金额（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("2000.00"),
        help_text=_("单笔支出达到此金额，须由登记人以外的另一位干部审批后才计入执行数。"),
    )
    overspend_tolerance = models.DecimalField(
        _("超支容忍比例（%）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text=_("科目执行数超出预算时先提醒；超出此比例则不再允许登记。"),
    )
    dues_upward_share = models.DecimalField(
        _("会费上缴比例（%）"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    allocation_upward_share = models.DecimalField(
        _("拨缴经费上解比例（%）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40.00"),
        help_text=_("按规定基层工会留成 60%，40% 上解上级工会；各地比例不同，按本地规定填写。"),
    )

    class Meta:
        verbose_name = _("经费设置")
        verbose_name_plural = _("经费设置")

    def __str__(self):
        return str(self.unit)


class Purpose(models.TextChoices):
    ACTIVITY = "activity", _("活动支出")
    FESTIVAL = "festival", _("节日慰问")
    CARE = "care", _("帮扶救助")
    TRAINING = "training", _("培训")
    OFFICE = "office", _("办公及业务")
    CAPITAL = "capital", _("资本性支出")
    OTHER = "other", _("其他")


class StandardKind(models.TextChoices):
    PER_MEMBER_YEAR = "per_member_year", _("每人每年")
    PER_PARTICIPANT = "per_participant", _("每参与人次")
    PER_PAYMENT = "per_payment", _("每笔")


class Standard(models.Model):
    """A spending standard (开支标准) of a unit, e.g. festival care money at most 500 yuan per member a year."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("标准名称"), max_length=60)
    purpose = models.CharField(_("适用用途"), max_length=20, choices=Purpose.choices)
    kind = models.CharField(_("计算方式"), max_length=20, choices=StandardKind.choices)
    amount = models.DecimalField(_("上限（元）"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("开支标准")
        verbose_name_plural = _("开支标准")
        ordering = ["unit", "purpose", "id"]

    def __str__(self):
        return self.name


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已入账")
    REJECTED = "rejected", _("未批准")


class PaymentQuerySet(UnitScopedQuerySet):
    def delete(self):
        raise TypeError("payments are never deleted: reverse them (finance.services.payment_reverse)")

    def counted(self):
        """What counts as spent: approved payments and their reversals (both approved)."""
        return self.filter(status=PaymentStatus.APPROVED)

    def total(self) -> Decimal:
        return yuan(self.aggregate(total=Sum("amount"))["total"])

    def in_year(self, year):
        return self.filter(paid_on__year=year)


def voucher_path(instance, filename):
    return f"finance/vouchers/{instance.unit_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


HIDDEN_PAYEE = _("帮扶对象（已隐去）")


class Payment(models.Model):
    """One spend against a budget line, with its voucher and what it was for.

    What it was for is a link, not a retyped figure: an activity's spend is the sum of the
    payments linked to it, and a care payment is the very record the care officer entered
    (``assistance``), booked here when it was approved.
    """

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("预算科目"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("支付日期"))
    payee = models.CharField(_("收款人"), max_length=100)
    description = models.CharField(_("事由"), max_length=200)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    people = models.PositiveIntegerField(
        _("人数"), null=True, blank=True, help_text=_("按人计的标准（人均、每人每年）据此核对。")
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("受益会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发给个人的慰问、补助，按“每人每年”标准核对。"),
    )
    voucher = models.FileField(_("凭证"), storage=private_storage, upload_to=voucher_path, blank=True, max_length=300)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    schedule_item = models.ForeignKey(
        "plans.ScheduleItem",
        verbose_name=_("计划事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    assistance = models.OneToOneField(
        "care.Assistance",
        verbose_name=_("帮扶发放"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finance_payment",
    )
    campaign = models.ForeignKey(
        "care.Campaign",
        verbose_name=_("帮扶活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finance_payments",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的支出"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    status = models.CharField(_("状态"), max_length=10, choices=PaymentStatus.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["unit", "paid_on"], name="finance_payment_unit_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="finance_payment_sign",
            )
        ]

    def __str__(self):
        # Not the payee: a care payment's names a family, and this is what the access log, the admin
        # and history pages write of the record (label_for names the payee to whom may read it).
        return f"{self.paid_on:%Y-%m-%d} {self.description} {self.amount}"

    def delete(self, *args, **kwargs):
        raise TypeError("payments are never deleted: reverse them (finance.services.payment_reverse)")

    @property
    def is_care(self):
        return self.purpose == Purpose.CARE

    def names_shown_to(self, user) -> bool:
        """May ``user`` read who this payment went to (its payee and voucher)?

        A care payment names a family in hardship. Care shows those names to its own officers only
        (a federation reads counts), so finance keeps the same rule: the people who may read care
        records on the unit, and its funds reviewers, who check the receipts. Everyone else who reads
        the ledger sees the amount, the date and what it was for.
        """
        return (
            not self.is_care
            or has_permission(user, "care.view", self.unit)
            or has_permission(user, "finance.audit", self.unit)
        )

    def payee_for(self, user) -> str:
        return self.payee if self.names_shown_to(user) else str(HIDDEN_PAYEE)

    @property
    def number(self) -> str:
        """Its number (第12号), which tells apart two payments of the same day, purpose and amount (the
        five 送温暖 packets of a morning) for a reader to whom their payees are hidden."""
        return str(_("第%(number)s号") % {"number": self.pk})

    def label_for(self, user) -> str:
        """The payment in one line, as ``user`` may read it: 第12号 · 2026年12月4日 · 送温暖 · 易芳 · ¥500.00
        (a care payment's payee hidden from a reader without care rights; its number still tells it apart)."""
        parts = [
            self.number,
            date_format(self.paid_on),
            self.description,
            self.payee_for(user),
            money.yuan(self.amount),
        ]
        return " · ".join(parts)

    @property
    def is_reversal(self):
        return self.reverses_id is not None

    @property
    def is_pending(self):
        return self.status == PaymentStatus.PENDING


class IncomeKind(models.TextChoices):
    DUES = "dues", _("会费收入")
    ALLOCATION = "allocation", _("拨缴经费收入")
    SUBSIDY_UPPER = "subsidy_upper", _("上级补助收入")
    SUBSIDY_EMPLOYER = "subsidy_employer", _("行政补助收入")
    OTHER = "other", _("其他收入")


class IncomeQuerySet(UnitScopedQuerySet):
    def in_accounts_of(self, unit):
        """The income ``unit`` keeps the accounts of, as its budget's income lines count it: its own and
        its groups' (dues a group hands in are booked on its union's line), and what in its subtree is
        on no line yet; not what a unit below with a budget of its own keeps."""
        return self.in_subtree(unit).filter(Q(line__budget__unit=unit) | Q(line__isnull=True))

    def total(self) -> Decimal:
        return yuan(self.aggregate(total=Sum("amount"))["total"])


class Income(models.Model):
    """Money received: 拨缴 from the employer, a subsidy, or dues (per member and month, or a group's lump)."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("收入类别"), max_length=20, choices=IncomeKind.choices)
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("预算科目"), null=True, blank=True, on_delete=models.PROTECT, related_name="incomes"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    received_on = models.DateField(pgettext_lazy("income", "到账日期"))
    payer = models.CharField(_("交款单位或人"), max_length=100, blank=True)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dues_year = models.PositiveSmallIntegerField(_("会费所属年度"), null=True, blank=True)
    dues_month = models.PositiveSmallIntegerField(_("会费所属月份"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # As a payment's: a mistake is undone by an entry of the opposite amount pointing at it, never deleted.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的收入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    objects = IncomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("收入")
        verbose_name_plural = _("收入")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "received_on"], name="finance_income_unit_day_idx"),
            models.Index(fields=["member", "dues_year", "dues_month"], name="finance_dues_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="finance_income_sign",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def delete(self, *args, **kwargs):
        raise TypeError("income is never deleted: reverse it (finance.services.income_reverse)")

    @property
    def is_reversal(self):
        return self.reverses_id is not None


class AuditStatus(models.TextChoices):
    OPEN = "open", _("审查中")
    CLOSED = "closed", _("已结束")


class AuditQuerySet(UnitScopedQuerySet):
    pass


class Audit(models.Model):
    """The audit committee's review of a year (or of one campaign): sampled payments, findings, closure."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("审查名称"), max_length=100)
    campaign = models.ForeignKey(
        "care.Campaign", verbose_name=_("帮扶活动"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=AuditStatus.choices, default=AuditStatus.OPEN)
    sampled = models.ManyToManyField(Payment, verbose_name=_("抽查的支出"), related_name="audits", blank=True)
    conclusion = models.TextField(_("审查结论"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("经费审查")
        verbose_name_plural = _("经费审查")
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == AuditStatus.OPEN

    @property
    def is_deletable(self) -> bool:
        """Opened by mistake may be undone: while it is open and has no finding. One with a finding or
        a conclusion is the committee's record (its report) and stays."""
        return self.is_open and not self.findings.exists()


class FindingQuerySet(UnitScopedQuerySet):
    path_field = "audit__unit__path"


class Finding(models.Model):
    """What the audit committee found, the unit's response, and its closure."""

    audit = models.ForeignKey(Audit, verbose_name=_("经费审查"), on_delete=models.CASCADE, related_name="findings")
    payment = models.ForeignKey(
        Payment, verbose_name=_("相关支出"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    text = models.TextField(pgettext_lazy("audit finding", "审查意见"))
    response = models.TextField(_("整改说明"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("audit finding", "审查意见")
        verbose_name_plural = pgettext_lazy("audit findings", "审查意见")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def is_closed(self):
        return self.closed_at is not None
