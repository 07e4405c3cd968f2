"""Where changes mark their units for the roll-ups: in the transaction of the change.

Saves through the models reach these handlers. Bulk writes (an import's COPY or bulk_create,
``seed_scale``, ``QuerySet.update``) send no signals: their code calls ``rollups.touch`` itself.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from activities.models import Activity, Registration
from members.models import Member, Transfer, TransferStatus
from orgs.models import OrgUnit
from plans.models import Plan, ScheduleItem
from rollups import registry
from rollups.refresh import touch


@receiver(post_save, sender=OrgUnit, dispatch_uid="rollups.unit")
def unit_changed(instance, created=False, update_fields=None, **kwargs):
    # The headcount (and whether the unit is active, which decides if it counts). A new unit
    # counts nothing until it has a headcount; moves are found by the refresh through the path.
    if update_fields is not None and not {"headcount", "is_active"} & set(update_fields):
        return
    if created and not instance.headcount:
        return
    touch([instance.pk], now=registry.in_transaction("orgs"))


@receiver([post_save, post_delete], sender=Member, dispatch_uid="rollups.member")
def member_changed(instance, **kwargs):
    touch([instance.unit_id], now=registry.in_transaction("members"))


@receiver(post_save, sender=Transfer, dispatch_uid="rollups.transfer")
def transfer_decided(instance, **kwargs):
    # The member's save marks the unit they are in now; the one they left needs its mark too.
    if instance.status == TransferStatus.ACCEPTED:
        touch([instance.from_unit_id, instance.to_unit_id], now=registry.in_transaction("members"))


@receiver([post_save, post_delete], sender=Activity, dispatch_uid="rollups.activity")
def activity_changed(instance, **kwargs):
    # Held or not, and its year, decide whether its attendees count as participants of their units.
    attendee_units = Registration.objects.filter(activity_id=instance.pk, checked_in_at__isnull=False).values_list(
        "member__unit_id", flat=True
    )
    touch({instance.unit_id, *attendee_units}, now=registry.in_transaction("activities"))


@receiver([post_save, post_delete], sender=Registration, dispatch_uid="rollups.registration")
def registration_changed(instance, update_fields=None, **kwargs):
    # Only a check-in counts; registering and the waiting list (the hot path, under the activity's
    # row lock) leave the figures alone. activities.services undoes a check-in with update() and
    # touches the unit itself.
    if instance.checked_in_at is None:
        return
    if update_fields is not None and "checked_in_at" not in update_fields:
        return
    touch(
        Member.objects.filter(pk=instance.member_id).values_list("unit_id", flat=True),
        now=registry.in_transaction("activities"),
    )


@receiver([post_save, post_delete], sender=ScheduleItem, dispatch_uid="rollups.schedule_item")
def item_changed(instance, **kwargs):
    touch([instance.unit_id], now=registry.in_transaction("plans"))


@receiver(post_save, sender=Plan, dispatch_uid="rollups.plan")
def plan_changed(instance, **kwargs):
    # Publishing (or withdrawing) a plan brings its items in or out of the figures.
    units = ScheduleItem.objects.filter(plan_id=instance.pk).values_list("unit_id", flat=True).distinct()
    touch(set(units), now=registry.in_transaction("plans"))
