# Activities' own notices (a place freed from the waiting list, an activity cancelled) become the
# product's one kind of notification (core.Notification): the unread ones are carried over, then
# the old table goes.

from django.db import migrations


def carry_unread_notices_over(apps, schema_editor):
    Notice = apps.get_model("activities", "Notice")
    Notification = apps.get_model("core", "Notification")
    unread = Notice.objects.filter(read_at__isnull=True).order_by("pk")
    batch = []
    for notice in unread.iterator(chunk_size=2000):
        batch.append(
            Notification(user_id=notice.user_id, kind="activities.notice", text=notice.text[:300], url=notice.url[:300])
        )
        if len(batch) == 2000:
            Notification.objects.bulk_create(batch)
            batch = []
    Notification.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0003_private_summary_photos"),
        ("core", "0005_notification_channels_and_preferences"),
    ]

    operations = [
        migrations.RunPython(carry_unread_notices_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notice"),
    ]
