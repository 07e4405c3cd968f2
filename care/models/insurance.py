"""Group insurance (女职工安康互助保险, accident insurance) and women staff health checks and protection."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField
from core.language import written_date
from core.validators import NOT_NEGATIVE
from orgs.access import UnitScopedQuerySet

AGE = MaxValueValidator(120)


class ProductQuerySet(UnitScopedQuerySet):
    pass


class InsuranceProduct(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("投保单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("险种"), max_length=100)
    insurer = models.CharField(_("承保机构"), max_length=100, blank=True)
    premium = models.DecimalField(_("每人保费（元）"), max_digits=8, decimal_places=2, validators=[NOT_NEGATIVE])
    women_only = models.BooleanField(_("仅限女职工"), default=False)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True, validators=[AGE])
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True, validators=[AGE])
    include_retirees = models.BooleanField(_("含退休会员"), default=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("保险险种")
        verbose_name_plural = _("保险险种")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        # A range the other way round would leave nobody eligible, silently.
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("最高年龄不能小于最低年龄。")})


class EnrollmentQuerySet(UnitScopedQuerySet):
    pass


class InsuranceEnrollment(models.Model):
    product = models.ForeignKey(InsuranceProduct, on_delete=models.PROTECT, related_name="enrollments")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    premium = models.DecimalField(_("保费（元）"), max_digits=8, decimal_places=2, validators=[NOT_NEGATIVE])
    enrolled_on = models.DateField(_("参保日期"))

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("参保记录")
        verbose_name_plural = _("参保记录")
        constraints = [models.UniqueConstraint(fields=["product", "member", "year"], name="care_enroll_once")]

    def __str__(self):
        return f"{self.product} {self.year}"

    @property
    def cover_starts_on(self) -> datetime.date:
        """The first day of the enrolment's year, when its cover begins."""
        return datetime.date(self.year, 1, 1)

    def filing_problem(self, day, *, today) -> str:
        """Why ``day`` cannot be the filing date of a claim under this enrolment, or "" when it can: a claim is
        recorded once filed (2099 is a slip of the year), and not before the year's cover began (1900 is a blank
        Excel cell)."""
        if day > today:
            return _("申请日期不能晚于今天。")
        if day < self.cover_starts_on:
            return _("申请日期不能早于%(year)s年度保障开始之日（%(date)s）。") % {
                "year": self.year,
                "date": written_date(self.cover_starts_on),
            }
        return ""


class ClaimQuerySet(UnitScopedQuerySet):
    pass


class InsuranceClaim(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        InsuranceEnrollment, verbose_name=_("参保记录"), on_delete=models.PROTECT, related_name="claims"
    )
    household = models.ForeignKey(
        "care.Household", verbose_name=_("困难档案"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_on = models.DateField(_("申请日期"))
    # Often an illness (乳腺癌手术): health data, encrypted at rest like a hardship file's situation.
    reason = EncryptedTextField(_("理赔事由"), max_length=200)
    amount = models.DecimalField(
        _("理赔金额（元）"), max_digits=10, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    paid_on = models.DateField(_("到账日期"), null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("理赔记录")
        verbose_name_plural = _("理赔记录")
        ordering = ["-filed_on", "-id"]

    def __str__(self):
        return str(_("理赔记录 %(pk)s") % {"pk": self.pk})

    def payout_problem(self, paid_on, *, today) -> str:
        """Why ``paid_on`` cannot be the day the insurer's money arrived, or "" when it can: not before the
        claim was filed, and recorded once it has arrived."""
        if paid_on < self.filed_on:
            return _("到账日期不能早于申请日期（%(date)s）。") % {"date": written_date(self.filed_on)}
        if paid_on > today:
            return _("到账日期不能晚于今天。")
        return ""


class HealthCheckQuerySet(UnitScopedQuerySet):
    pass


class HealthCheck(models.Model):
    """A woman member's yearly health check (女职工健康体检, “两癌”筛查): attended or not."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    attended_on = models.DateField(_("体检日期"))

    objects = HealthCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("女职工体检")
        verbose_name_plural = _("女职工体检")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="care_health_once")]

    def __str__(self):
        return f"{self.year}"


class ProtectionQuerySet(UnitScopedQuerySet):
    pass


class ProtectionItem(models.Model):
    """A women staff special-protection item of the year (专项集体合同, 经期/孕期/哺乳期 protection, 母婴室)."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("事项"), max_length=200)
    done_on = models.DateField(_("落实日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ProtectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("女职工特殊保护事项")
        verbose_name_plural = _("女职工特殊保护事项")
        ordering = ["-year", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        """An item of last year, this year or next (a year typed as 0 or 99999 was saved and never shown
        again), done on a day of its year up to today."""
        today = timezone.localdate()
        errors = {}
        if self.year is not None and not today.year - 1 <= self.year <= today.year + 1:
            errors["year"] = _("年度应为%(first)s到%(last)s年。") % {"first": today.year - 1, "last": today.year + 1}
        if self.done_on is not None:
            if self.done_on > today:
                errors["done_on"] = _("落实日期不能晚于今天。")
            elif self.year is not None and self.done_on.year != self.year:
                errors["done_on"] = _("落实日期应在%(year)s年内。") % {"year": self.year}
        if errors:
            raise ValidationError(errors)
