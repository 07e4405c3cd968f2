"""Targets handed down reach plans created later, and typed actuals roll up as units enter them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from federation.services import copy_handed_down_targets, roll_up_typed_actuals


@receiver(post_save, sender="plans.Plan", dispatch_uid="federation_plan_gets_handed_down_targets")
def plan_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        copy_handed_down_targets(instance)


@receiver(post_save, sender="plans.Target", dispatch_uid="federation_target_rolls_up")
def target_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.handed_down_from_id:
        roll_up_typed_actuals(instance.handed_down_from)
