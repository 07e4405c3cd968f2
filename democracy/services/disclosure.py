"""Affairs disclosure: items due in a period, published once and archived unchanged."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from democracy.models import DisclosureItem
from democracy.services import DemocracyError


def disclosure_publish(*, item, content, by, today, is_public=None) -> DisclosureItem:
    with transaction.atomic():
        item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        if item.is_published:
            raise DemocracyError(_("已公开的事项存档后不能修改。"))
        if not content.strip():
            raise DemocracyError(_("请填写公开内容。"), field="content")
        item.content = content.strip()
        item.published_on = today
        item.published_by = by
        if is_public is not None:
            item.is_public = is_public
        item.save(update_fields=["content", "published_on", "published_by", "is_public"])
        return item


def _locked_draft(item) -> DisclosureItem:
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    if item.is_published:
        raise DemocracyError(_("已公开的事项存档后不能修改。"))
    return item


def disclosure_update(*, item, fields) -> DisclosureItem:
    """Save an officer's changes to ``fields`` of an item not yet published (a title, a due date)."""
    with transaction.atomic():
        _locked_draft(item)
        item.save(update_fields=fields)
        return item


def disclosure_delete(*, item) -> None:
    """Remove an item planned by mistake; a published one is part of the archive and stays."""
    with transaction.atomic():
        _locked_draft(item).delete()


def withdraw_refusal(item) -> str | None:
    """Why ``item`` cannot be taken down, or None: only a published item still shown can be."""
    if not item.is_published:
        return _("这一事项还没有公开，无需撤下：可以直接修改或删除。")
    if item.withdrawn_at is not None:
        return _("这一事项已经撤下了。")
    return None


def disclosure_withdraw(*, item, by, reason, now=None) -> DisclosureItem:
    """Take a published item down, from the external board and the internal one alike (public by
    mistake, or naming what should not be shown, such as an ID number). It stays in the archive as
    published, with who took it down and why; on the internal board only officers who manage disclosure
    still read its text, members see that and why it was taken down."""
    if not reason.strip():
        raise DemocracyError(_("请写明撤下的原因。"), field="reason")
    with transaction.atomic():
        item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        if refusal := withdraw_refusal(item):
            raise DemocracyError(refusal)
        item.is_public = False
        item.withdrawn_at = now or timezone.now()
        item.withdrawn_by = by
        item.withdraw_reason = reason.strip()
        item.save(update_fields=["is_public", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
        return item


def disclosure_correct(*, item, today) -> DisclosureItem:
    """A draft correcting a withdrawn item: its title, period and text to edit, then published as any
    item is (the withdrawn one stays in the archive as it was). One correction per item. It is due the
    day it is drafted (the original's day long past would mark it overdue at once), and it is not a
    disclosure of its own in the year's figures: the withdrawn item was the one owed."""
    with transaction.atomic():
        item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        if item.withdrawn_at is None:
            raise DemocracyError(_("只有撤下的事项才能发布更正。"))
        if DisclosureItem.objects.filter(corrects=item).exists():
            raise DemocracyError(_("这一事项已经有更正稿了。"))
        return DisclosureItem.objects.create(
            unit=item.unit,
            title=(_("%(title)s（更正）") % {"title": item.title})[:100],
            category=item.category,
            period=item.period,
            period_label=item.period_label,
            due_on=today,
            content=item.content,
            is_public=True,
            corrects=item,
        )
