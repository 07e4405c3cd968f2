from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.files import private_storage


class AccessLogQuerySet(models.QuerySet):
    """``visible_to(user, "core.access_log")``: reads of data of the units the user answers for."""

    def visible_to(self, user, permission):
        # The access rule lives above core (orgs.access); imported here, where it is used, so that
        # core stays the lowest layer: nothing in core imports orgs when it loads.
        from orgs.access import EVERYTHING, scope_paths, subtree_q

        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        return self.filter(subtree_q(paths, "unit__path")) if paths else self.none()

    def in_subtree(self, unit):
        from orgs.access import subtree_range

        return self.filter(unit__path__range=subtree_range(unit.path))

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AccessLog(models.Model):
    """One read of sensitive data (an unmasked ID number, a care record): who, when, what."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    fields = models.CharField(_("查看的内容"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="accesslog_object_idx")]

    def __str__(self):
        return f"{self.user} {self.object_repr} {self.fields}"


class OfficialDay(models.Model):
    """A day of an officially published holiday arrangement, entered by a site administrator.

    The State Council publishes each year's arrangement in the autumn before; until the
    product's calendar library knows it, the calendar only estimates the year by the rules
    (core.calendar). Entering the days off of one holiday replaces that holiday's estimate.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    holiday = models.CharField(_("节日"), max_length=16, choices=list(calendar.HOLIDAY_NAMES.items()))
    year = models.PositiveSmallIntegerField(
        _("安排年度"),
        db_index=True,
        blank=True,
        help_text=_("该日所属的放假安排年度；留空则取日期所在年份（如上一年12月的调休上班日应填次年）。"),
    )

    class Meta:
        verbose_name = _("法定节假日安排")
        verbose_name_plural = _("法定节假日安排")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_holiday_display()} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.year is None:
            self.year = self.date.year
        super().save(*args, **kwargs)


@receiver([post_save, post_delete], sender=OfficialDay)
def _official_days_changed(**kwargs):
    # Other processes pick the change up within settings.CALENDAR_CHECK_SECONDS.
    calendar.changed()


class Notification(models.Model):
    """One message to one person, shown in the app; core.notifications sends it on its other channels."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=60, blank=True)  # "<app>.<what>", like core.todo's kinds
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # When the other channels (e-mail, SMS, WeChat Work) took it, at once or in the daily digest;
    # empty while it waits for the digest, so a rerun of the digest never sends it twice.
    delivered_at = models.DateTimeField(_("推送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.text


class StateVersion(models.Model):
    """A counter that processes compare with what they cached: bumped in the transaction of a change,
    so that every app server and worker drops its copy (core.calendar's years) at its next check."""

    name = models.CharField(max_length=60, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("缓存版本")
        verbose_name_plural = _("缓存版本")

    def __str__(self):
        return f"{self.name} v{self.version}"


class WorkerHeartbeat(models.Model):
    """A live task worker of the database queue (``manage.py tasks_worker``), seen every few seconds.

    A task left running by a worker that stopped beating is marked failed (core.tasks), so that it
    can be retried instead of hanging for ever."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=120)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("后台任务进程")
        verbose_name_plural = _("后台任务进程")

    def __str__(self):
        return self.worker_id


class KeySentinel(models.Model):
    """A known value encrypted with the field-encryption key when the database was set up:
    ``/healthz?deep=1`` decrypts it, so a database restored beside the wrong key is caught at once."""

    name = models.CharField(max_length=30, primary_key=True)
    token = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("密钥校验值")
        verbose_name_plural = _("密钥校验值")

    def __str__(self):
        return self.name


class NotificationPreference(models.Model):
    """How one person wants to be told: which channels beside the app, at once or once a day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    wecom = models.BooleanField(_("企业微信"), default=False)
    wecom_userid = models.CharField(
        _("企业微信账号"), max_length=64, blank=True, help_text=_("企业微信通讯录中的账号（UserID）。")
    )
    daily_digest = models.BooleanField(
        _("每日汇总"), default=False, help_text=_("勾选后，电子邮件、短信和企业微信每天只发一次汇总。")
    )

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return str(self.user)

    def wants(self, channel_key: str) -> bool:
        """Does the person want ``channel_key`` ("email", "sms", "wecom"); other channels always apply."""
        return bool(getattr(self, channel_key, True)) if channel_key in ("email", "sms", "wecom") else True


class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("未生成")
    CANCELLED = "cancelled", _("已取消")


def export_path(job, filename):
    return f"exports/{job.created_at:%Y/%m}/{filename}"


class ExportJob(models.Model):
    """A table too large to write within a request (a county's roster), written by the worker into a
    private file that only the officer who asked for it may download (core.exports)."""

    State = ExportState

    kind = models.CharField(_("内容"), max_length=60)  # the key of a core.exports.Exporter
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    query = models.TextField(_("筛选条件"), blank=True)  # the list's query string, as the page had it
    fmt = models.CharField(_("格式"), max_length=4, default="xlsx")  # "xlsx" or "csv"
    unmasked = models.BooleanField(_("含完整号码"), default=False)
    name = models.CharField(_("文件名"), max_length=200)  # the download's name, without the extension
    state = models.CharField(_("状态"), max_length=20, choices=ExportState.choices, default=ExportState.QUEUED)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)  # once written (while running: exports.progress)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=export_path, storage=private_storage, blank=True)
    message = models.TextField(_("说明"), blank=True)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="exportjob_user_idx")]

    def __str__(self):
        return self.name

    @property
    def file_name(self):
        return f"{self.name}.{self.fmt}"

    @property
    def is_running(self):
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)

    @classmethod
    def purge_uploads(cls, *, now, days=None):
        """Called by ``manage.py purge_imports``: the files of old exports deleted (core.exports.purge)."""
        from core import exports

        return exports.purge(now=now, days=days)
