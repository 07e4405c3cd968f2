"""The stored pinyin keeps a space between syllables ("chen guo qing", core.pinyin): rosters then sort
陈国庆 among the other 陈 and before 程海军. Read and written a batch of ids at a time, so that a
province's roster is never held in memory; only the name is read (not the encrypted columns)."""

from django.db import migrations

BATCH = 2000


def _rewrite(apps, spell):
    member = apps.get_model("members", "Member")
    last = 0
    while True:
        rows = list(member.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "name")[:BATCH])
        if not rows:
            return
        member.objects.bulk_update(
            [member(pk=pk, name_pinyin=spell(name)[:120]) for pk, name in rows], ["name_pinyin"], batch_size=BATCH
        )
        last = rows[-1][0]


def spaced(apps, schema_editor):
    from core.pinyin import full_pinyin

    _rewrite(apps, full_pinyin)


def run_together(apps, schema_editor):
    from core.pinyin import full_pinyin

    _rewrite(apps, lambda name: full_pinyin(name).replace(" ", ""))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_unit_birthday_index"),
    ]

    operations = [
        migrations.RunPython(spaced, run_together, elidable=True),
    ]
