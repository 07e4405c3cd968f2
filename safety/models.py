"""安康杯 and union safety inspection (劳动保护监督检查): units enroll in the year's 安康杯; union
safety inspectors record inspections from a phone, with the hazards they find; each hazard is
followed up until a photo shows it fixed and an officer closes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.files import private_storage
from orgs.access import UnitScopedQuerySet


class Enrollment(models.Model):
    """A unit's entry in one year's 安康杯 competition."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("安康杯参赛")
        verbose_name_plural = _("安康杯参赛")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="safety_enroll_once_a_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"


# The checks every inspection walks through (stored in the source language, shown translated); an
# inspector adds others in the notes.
CHECKLIST = [
    gettext_noop("消防通道、安全出口畅通，标识完好"),
    gettext_noop("灭火器、消防栓在有效期内且取用方便"),
    gettext_noop("电气线路无私拉乱接，插座无过载"),
    gettext_noop("楼梯、栏杆、门窗牢固"),
    gettext_noop("食堂燃气、锅炉、压力容器有检验记录"),
    gettext_noop("实验室、仓库危化品按规定存放"),
    gettext_noop("劳动防护用品按规定配发和使用"),
    gettext_noop("特种作业人员持证上岗"),
]


class InspectionQuerySet(UnitScopedQuerySet):
    def in_year(self, year):
        return self.filter(inspected_on__year=year)


class Inspection(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("检查地点"), max_length=100)
    inspected_on = models.DateField(_("检查日期"), default=timezone.localdate)  # China's date, not the server's
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人"), on_delete=models.PROTECT, related_name="+"
    )
    checklist = models.JSONField(_("检查项目"), default=list)  # [{"item": text, "ok": bool}]
    note = models.TextField(_("检查情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全检查")
        verbose_name_plural = _("安全检查")
        ordering = ["-inspected_on", "-id"]

    def __str__(self):
        # Read on the hazard's page beside dates written as the pages write them.
        return f"{date_format(self.inspected_on)} {self.place}"

    @property
    def failed_items(self):
        return [row["item"] for row in self.checklist if not row.get("ok")]


class Severity(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    SERIOUS = "serious", _("较大隐患")
    MAJOR = "major", _("重大隐患")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    FIXED = "fixed", _("已整改待销号")
    CLOSED = "closed", _("已销号")


class HazardQuerySet(UnitScopedQuerySet):
    def unresolved(self):
        return self.exclude(status=HazardStatus.CLOSED)

    def overdue(self, today):
        return self.filter(status=HazardStatus.OPEN, deadline__lt=today)


def hazard_photo_path(instance, filename):
    return f"safety/hazards/{instance.unit_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Hazard(models.Model):
    """A hazard found on an inspection, followed until a photo shows it fixed and an officer closes it."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("安全检查"), on_delete=models.PROTECT, related_name="hazards"
    )
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("隐患描述"), max_length=300)
    severity = models.CharField(_("隐患等级"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    department = models.CharField(_("责任部门"), max_length=60)
    deadline = models.DateField(_("整改期限"))
    photo = models.ImageField(_("隐患照片"), storage=private_storage, upload_to=hazard_photo_path, max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    fix_note = models.CharField(_("整改情况"), max_length=300, blank=True)
    # Why the last fix shown was sent back (an officer found it not done): kept until the next fix is shown.
    return_note = models.CharField(_("退回意见"), max_length=300, blank=True)
    fix_photo = models.ImageField(
        _("整改后照片"), storage=private_storage, upload_to=hazard_photo_path, blank=True, max_length=300
    )
    fixed_at = models.DateTimeField(null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["unit", "status", "deadline"], name="safety_hazard_state_idx")]

    def __str__(self):
        return self.description[:40]

    def is_overdue(self, today) -> bool:
        return self.status == HazardStatus.OPEN and self.deadline < today

    def fixed_late(self) -> bool:
        """Its fix shown after the deadline (no longer overdue, but not on time either)."""
        return self.fixed_at is not None and timezone.localdate(self.fixed_at) > self.deadline

    def closed_on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return timezone.localdate(self.fixed_at or self.closed_at) <= self.deadline
