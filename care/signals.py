from django.dispatch import receiver

from members.signals import roster_changed


@receiver(roster_changed, dispatch_uid="care.hardship_files_follow_roster")
def hardship_files_follow_roster(sender, members, on, **kwargs):
    from care.services import hardship_files_follow_roster

    hardship_files_follow_roster(members=members, on=on)
