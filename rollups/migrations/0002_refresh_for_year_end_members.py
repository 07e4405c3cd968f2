"""Every unit marked for the worker's next refresh: the members' roll-ups gained the keys a past year's
end is counted from (members.left_both, members.women_joined/_left/_left_both), which figures computed
before lack. The refresh after any change (or the daily check_rollups --fix) fills them in."""

from django.db import migrations

MARK_ALL = "INSERT INTO rollups_dirty (unit_id, created_at) SELECT id, CURRENT_TIMESTAMP FROM orgs_orgunit"


class Migration(migrations.Migration):
    dependencies = [
        ("rollups", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunSQL(MARK_ALL, migrations.RunSQL.noop)]
