from django.dispatch import receiver

from members.signals import roster_changed


@receiver(roster_changed, dispatch_uid="activities.registrations_follow_roster")
def registrations_follow_roster(sender, members, on, **kwargs):
    from activities.services import registrations_follow_roster

    registrations_follow_roster(members=members)
