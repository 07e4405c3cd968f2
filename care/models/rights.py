"""Rights protection and legal aid (维权与法律援助): “拿不到工资找工会”."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.encryption import EncryptedTextField, mask_phone
from core.validators import NOT_NEGATIVE
from orgs.access import UnitScopedQuerySet


class CaseCategory(models.TextChoices):
    WAGES = "wages", _("拖欠工资")
    CONTRACT = "contract", _("劳动合同")
    INJURY = "injury", _("工伤")
    DISMISSAL = "dismissal", _("解除劳动关系")
    SOCIAL = "social", _("社会保险")
    OTHER = "other", _("其他")


class CaseStatus(models.TextChoices):
    NEW = "new", _("待受理")
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已办结")


class CaseQuerySet(UnitScopedQuerySet):
    def open(self):
        return self.exclude(status=CaseStatus.CLOSED)


class RightsCase(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("求助人"), max_length=50)
    phone = EncryptedTextField(_("联系电话"))
    employer = models.CharField(_("用人单位"), max_length=100, blank=True)
    category = models.CharField(_("问题类别"), max_length=10, choices=CaseCategory.choices)
    account = EncryptedTextField(_("情况说明"))
    amount_claimed = models.DecimalField(
        _("涉及金额（元）"), max_digits=12, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    from_public_form = models.BooleanField(_("来自网上求助"), default=False)
    consent_at = models.DateTimeField(_("同意处理个人信息时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=300, blank=True)
    recovered = models.DecimalField(
        _("挽回金额（元）"), max_digits=12, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("维权案件")
        verbose_name_plural = _("维权案件")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(_("维权案件 %(pk)s") % {"pk": self.pk})

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    @property
    def is_member(self):
        return self.member_id is not None


class CaseStep(models.Model):
    class Kind(models.TextChoices):
        INTAKE = "intake", _("受理")
        ASSIGN = "assign", pgettext_lazy("case step", "交办")
        CONTACT = "contact", _("联系核实")
        MEDIATION = "mediation", _("调解")
        LEGAL_AID = "legal_aid", _("法律援助")
        ARBITRATION = "arbitration", _("仲裁或诉讼")
        CLOSE = "close", pgettext_lazy("case step", "办结")

    case = models.ForeignKey(RightsCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("记录"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"
