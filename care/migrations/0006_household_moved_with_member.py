"""A system event needs no officer (HouseholdEvent.by may be empty), and files whose member had already moved out
of the unit holding them go to the member's unit, as care.services.hardship_files_follow_roster now moves them
when it happens, each with its event dated the day of the move (or today when the roster does not say)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

IN_UNION = ("active", "transferring_out", "transferred_in", "retired")


def forwards(apps, schema_editor):
    Household = apps.get_model("care", "Household")
    HouseholdEvent = apps.get_model("care", "HouseholdEvent")
    Pairing = apps.get_model("care", "Pairing")
    out_of_step = (
        Household.objects.filter(deleted_at__isnull=True, member__status__in=IN_UNION)
        .exclude(member__unit__path__startswith=F("unit__path"))
        .select_related("unit", "member__unit")
        .only("unit", "unit__name", "member", "member__unit", "member__unit__name", "member__status_changed_on")
    )
    today = timezone.localdate()
    for household in out_of_step.iterator(chunk_size=500):
        member, on = household.member, household.member.status_changed_on or today
        reason = f"随会员由{household.unit.name}转至{member.unit.name}"
        HouseholdEvent.objects.create(household_id=household.pk, kind="moved", on=on, reason=reason[:300])
        Household.objects.filter(pk=household.pk).update(unit_id=member.unit_id, updated_at=timezone.now())
        Pairing.objects.filter(household_id=household.pk, ended_on__isnull=True).update(ended_on=on)


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0005_assistance_rejected'),
        ('members', '0015_member_role_follows_roster'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='householdevent',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='householdevent',
            name='kind',
            field=models.CharField(choices=[('entered', '建档'), ('reviewed', '复核'), ('lifted', '脱困'), ('returned', '返困'), ('level', '调整困难程度'), ('deleted', '删除'), ('moved', '随会员转移')], max_length=10, verbose_name='事项'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
