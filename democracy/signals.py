from django.dispatch import receiver

from members.signals import roster_changed


@receiver(roster_changed, dispatch_uid="democracy.representatives_follow_roster")
def representatives_follow_roster(sender, members, on, **kwargs):
    from democracy.services.congress import representatives_follow_roster

    representatives_follow_roster(members=members, on=on)
