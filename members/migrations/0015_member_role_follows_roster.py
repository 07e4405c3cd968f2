"""The member role follows the roster (members.services.member_role_follow), for the records changed before it
did: a login whose member role stayed on the unit a member had transferred or been moved out of gets it on
their unit now, and one of a member who left or died loses it. Only logins with a member role on another unit
than their record's, or with no role at all while in the union, are touched: a few rows, read in chunks."""

from django.db import migrations
from django.db.models import Exists, OuterRef

IN_UNION = ("active", "transferring_out", "transferred_in", "retired")
MEMBER = "member"


def forwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    RoleAssignment = apps.get_model("orgs", "RoleAssignment")
    stale = RoleAssignment.objects.filter(role=MEMBER).filter(
        Exists(
            Member.objects.filter(user_id=OuterRef("user_id")).exclude(unit_id=OuterRef("unit_id"), status__in=IN_UNION)
        )
    )
    moved = set(stale.values_list("user_id", flat=True).iterator(chunk_size=2000))
    stale.delete()
    lacking = (
        Member.objects.filter(user__isnull=False, status__in=IN_UNION)
        .exclude(
            Exists(RoleAssignment.objects.filter(user_id=OuterRef("user_id"), unit_id=OuterRef("unit_id"), role=MEMBER))
        )
        .annotate(has_role=Exists(RoleAssignment.objects.filter(user_id=OuterRef("user_id"))))
        .values_list("user_id", "unit_id", "has_role")
    )
    batch = []
    for user_id, unit_id, has_role in lacking.iterator(chunk_size=2000):
        # An officer linked to their own record has other roles and had no member role: left so.
        if user_id in moved or not has_role:
            batch.append(RoleAssignment(user_id=user_id, unit_id=unit_id, role=MEMBER))
        if len(batch) >= 2000:
            RoleAssignment.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    RoleAssignment.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0014_pinyin_with_syllable_spaces"),
        ("orgs", "0003_unit_depth_path_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
