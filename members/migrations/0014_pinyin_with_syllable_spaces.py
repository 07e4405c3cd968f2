"""The stored pinyin keeps a space between syllables ("chen guo qing", core.pinyin): rosters then sort
陈国庆 among the other 陈 and before 程海军. Read and written a batch of ids at a time, so that a
province's roster is never held in memory; only the name is read (not the encrypted columns)."""

from django.db import migrations

BATCH = 2000


def _rewrite(apps, connection, spell):
    member = apps.get_model("members", "Member")
    table = connection.ops.quote_name(member._meta.db_table)
    last = 0
    while True:
        rows = list(member.objects.using(connection.alias).filter(pk__gt=last).order_by("pk").values_list("pk", "name")[:BATCH])
        if not rows:
            return
        # One plain UPDATE per member, sent as a batch: bulk_update's CASE over 2,000 ids costs the database
        # a comparison per id per row (34 s per 100,000 members on PostgreSQL).
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET name_pinyin = %s WHERE id = %s", [(spell(name)[:120], pk) for pk, name in rows]
            )
        last = rows[-1][0]


def spaced(apps, schema_editor):
    from core.pinyin import full_pinyin

    _rewrite(apps, schema_editor.connection, full_pinyin)


def run_together(apps, schema_editor):
    from core.pinyin import full_pinyin

    _rewrite(apps, schema_editor.connection, lambda name: full_pinyin(name).replace(" ", ""))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_unit_birthday_index"),
    ]

    operations = [
        migrations.RunPython(spaced, run_together, elidable=True),
    ]
