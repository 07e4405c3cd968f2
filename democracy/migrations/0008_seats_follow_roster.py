"""Seats of representatives who had already left the union or moved out of the unit whose congress elected them
end, as democracy.services.congress.representatives_follow_roster now ends them when it happens: from the day
their membership changed (or the day after the last session they attended, or after their election, if later)."""

import datetime

from django.db import migrations
from django.db.models import F, Max
from django.utils import timezone

IN_UNION = ("active", "transferring_out", "transferred_in", "retired")
STATUS = {"left": "已退会", "deceased": "已故"}


def forwards(apps, schema_editor):
    Representative = apps.get_model("democracy", "Representative")
    out_of_step = (
        Representative.objects.filter(left_on__isnull=True)
        .exclude(member__status__in=IN_UNION, member__unit__path__startswith=F("congress__unit__path"))
        .select_related("member__unit")
        .annotate(last_attended=Max("attendances__session__held_on"))
    )
    today = timezone.localdate()
    for seat in out_of_step.iterator(chunk_size=500):
        member = seat.member
        if member.status in STATUS:
            reason = f"{STATUS[member.status]}，代表资格终止"
        else:
            reason = f"调离本单位（转至{member.unit.name}），代表资格终止"
        later = [day + datetime.timedelta(days=1) for day in (seat.last_attended, seat.elected_on) if day]
        seat.left_on = max([member.status_changed_on or today, *later])
        seat.left_reason = reason[:100]
        seat.save(update_fields=["left_on", "left_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("democracy", "0007_disclosure_withdrawn"),
        ("members", "0015_member_role_follows_roster"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
