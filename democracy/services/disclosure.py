"""Affairs disclosure: items due in a period, published once and archived unchanged."""

from django.db import transaction
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
