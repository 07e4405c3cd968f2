"""The members' own side: applications to join (扫码入会), consent records, recruitment drives,
invitations and one-time sign-in codes.

ID numbers and phones are encrypted (core.encryption); what is matched on is a blind index beside
them, with the same purposes as the roster's so that an application finds an existing member.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import idnumber
from core.encryption import EncryptedTextField, blind_index, mask_id_number, mask_phone
from members.models import IN_UNION, id_number_index
from orgs.access import EVERYTHING, UnitScopedQuerySet, scope_paths, subtree_q

PHONE_INDEX_PURPOSE = "portal-phone"
CODE_INDEX_PURPOSE = "portal-code"
# No 0/O, 1/I/L: codes are read off paper and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def phone_index(phone: str) -> str:
    return blind_index("".join((phone or "").split()), PHONE_INDEX_PURPOSE)


def code_index(code: str) -> str:
    return blind_index("".join((code or "").split()).upper(), CODE_INDEX_PURPOSE)


def new_code(length=8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    MORE_INFO = "more_info", _("需补充材料")
    APPROVED = "approved", _("已批准入会")
    DECLINED = "declined", _("未批准")
    FOUNDING = "founding", _("待建会")


# Applications someone still has to act on; one person has at most one of them at a time.
OPEN_STATUSES = (ApplicationStatus.PENDING, ApplicationStatus.MORE_INFO, ApplicationStatus.FOUNDING)


class ApplicationQuerySet(UnitScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def pending(self):
        return self.filter(status=ApplicationStatus.PENDING)

    def approved(self):
        return self.filter(status=ApplicationStatus.APPROVED)


class Application(models.Model):
    """An application to join, made by a worker on the unit's public page without logging in."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("申请加入"), on_delete=models.PROTECT, related_name="join_applications"
    )
    routed_from = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("由上级转交"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = models.CharField(max_length=40, editable=False, db_index=True)
    phone = EncryptedTextField(_("手机号"))
    phone_index = models.CharField(max_length=40, editable=False, db_index=True)
    employer = models.CharField(_("工作单位"), max_length=100)
    post = models.CharField(_("岗位"), max_length=50, blank=True)
    is_migrant_worker = models.BooleanField(_("农民工"), default=False)
    is_new_form_worker = models.BooleanField(_("新就业形态劳动者"), default=False)
    # What the applicant agreed to: the version and the very text shown, and when.
    consent_version = models.CharField(_("说明版本"), max_length=20)
    consent_text = models.TextField(_("说明全文"))
    consented_at = models.DateTimeField(_("同意时间"))
    # Optional uses (consent.OPTIONAL_PURPOSES) ticked on the form; recorded as ConsentRecords on approval.
    optional_consents = models.JSONField(_("可选用途"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    # The applicant checks the status with their phone and this code (only its hash is kept).
    code_index = models.CharField(max_length=40, editable=False)
    reply = models.TextField(_("申请人补充说明"), blank=True)
    decision_note = models.CharField(_("办理意见"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_applications",
    )
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open application per person, wherever it was made.
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=Q(status__in=["pending", "more_info", "founding"]),
                name="application_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="application_unit_status_idx"),
            models.Index(fields=["status", "decided_at"], name="application_decided_idx"),
        ]

    def __str__(self):
        return f"{self.name} · {self.employer}"

    def save(self, *args, **kwargs):
        self.id_number = idnumber.normalize(self.id_number)
        self.phone = "".join((self.phone or "").split())
        self.id_number_index = id_number_index(self.id_number)
        self.phone_index = phone_index(self.phone)
        super().save(*args, **kwargs)

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def gender_label(self):
        try:
            return _("女") if idnumber.parse(self.id_number).gender == "F" else _("男")
        except idnumber.InvalidIdNumber:
            return ""


class ConsentQuerySet(models.QuerySet):
    def current_for(self, member):
        """{purpose: granted} by each purpose's latest record (absent purposes were never granted)."""
        latest = {}
        for purpose, granted in self.filter(member=member).order_by("at", "id").values_list("purpose", "granted"):
            latest[purpose] = granted
        return latest


class ConsentRecord(models.Model):
    """A member granting or withdrawing one optional use of their data; the latest record counts."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(_("用途"), max_length=20)
    granted = models.BooleanField(_("同意"))
    version = models.CharField(_("说明版本"), max_length=20)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "purpose", "at"], name="consent_member_idx")]

    def __str__(self):
        return f"{self.member_id} {self.purpose} {self.granted}"


class TargetGroup(models.TextChoices):
    ALL = "all", _("全体职工")
    MIGRANT = "migrant", _("农民工")
    NEW_FORM = "new_form", _("新就业形态劳动者（快递员、外卖骑手、网约车司机等）")


# What a unit given a target may do with the drive: follow it (read its targets and progress), as its
# federation does. Setting the drive and its targets stays with the federation.
FOLLOW_PERMISSIONS = frozenset({"reports.view"})


class CampaignQuerySet(UnitScopedQuerySet):
    def visible_to(self, user, permission):
        """Drives of the units in the user's scope (their federations'); for following
        (FOLLOW_PERMISSIONS), also those that set a unit in that scope a target."""
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        condition = subtree_q(paths, "unit__path")
        if permission in FOLLOW_PERMISSIONS:
            targeted = CampaignTarget.objects.filter(subtree_q(paths, "unit__path")).values("campaign_id")
            condition |= Q(pk__in=targeted)
        return self.filter(condition)


class Campaign(models.Model):
    """A recruitment drive (入会集中行动) a federation sets for the units below it."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("发起单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    group = models.CharField(_("重点对象"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.MIGRANT)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("入会集中行动")
        verbose_name_plural = _("入会集中行动")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    def group_filter(self, prefix=""):
        """The approvals that count for this drive's target group."""
        if self.group == TargetGroup.MIGRANT:
            return Q(**{f"{prefix}is_migrant_worker": True})
        if self.group == TargetGroup.NEW_FORM:
            return Q(**{f"{prefix}is_new_form_worker": True})
        return Q()


class CampaignTarget(models.Model):
    """How many new members one unit is to bring in during a drive."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("行动"), on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    target = models.PositiveIntegerField(_("目标人数"))

    class Meta:
        verbose_name = _("行动目标")
        verbose_name_plural = _("行动目标")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_target_once")]

    def __str__(self):
        return f"{self.unit_id}: {self.target}"


class InvitationQuerySet(UnitScopedQuerySet):
    def live(self, now):
        """Codes that still open an account: unused, unexpired, for a member in the union who has no login
        yet (one who got a login since, by an SMS code or by linking, signs in with it; the code is moot)."""
        return self.filter(used_at__isnull=True, expires_at__gt=now, member__status__in=IN_UNION, member__user=None)


class Invitation(models.Model):
    """A code handed to one member (printed or sent) with which they open their account."""

    member = models.OneToOneField(
        "members.Member", verbose_name=_("会员"), on_delete=models.CASCADE, related_name="invitation"
    )
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    code = EncryptedTextField(_("邀请码"))  # kept (encrypted) so that a lost sheet can be printed again
    code_index = models.CharField(max_length=40, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("开通邀请")
        verbose_name_plural = _("开通邀请")
        ordering = ["member__name_pinyin", "id"]

    def __str__(self):
        return str(self.member_id)

    def save(self, *args, **kwargs):
        self.code_index = code_index(self.code)
        super().save(*args, **kwargs)

    def is_usable(self, now):
        return self.used_at is None and self.expires_at > now


class OneTimeCode(models.Model):
    """A six-digit sign-in code sent by SMS; only its hash is kept, it expires and allows few tries."""

    phone_index = models.CharField(max_length=40, db_index=True)
    code_index = models.CharField(max_length=40)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        indexes = [models.Index(fields=["phone_index", "created_at"], name="otp_phone_created_idx")]

    def __str__(self):
        return str(self.member_id)
