"""Each numbered proposal or suggestion gets the sequence its number was given in, by the rule numbering
followed (a proposal's session, a suggestion's unit and year), so that the database refuses a second item
with that number from now on. Numbers stay as they were given and printed. Should two items of one
sequence already share a number (two officers numbering at the same moment, before numbering locked its
sequence), the first keeps the sequence and the other its number without one: nothing is renumbered, and
the next number still follows the largest."""

from django.db import migrations


def fill(apps, schema_editor):
    Proposal = apps.get_model("democracy", "Proposal")
    NumberSequence = apps.get_model("democracy", "NumberSequence")
    taken = set(Proposal.objects.filter(sequence__isnull=False).values_list("sequence_id", "number"))
    sequences = {}
    unfilled = Proposal.objects.filter(number__isnull=False, sequence__isnull=True).order_by("pk")
    for item in unfilled.only("pk", "unit_id", "kind", "session_id", "submitted_on", "number"):
        if item.kind == "proposal" and item.session_id:
            key = (item.unit_id, item.kind, item.session_id, None)
        else:
            key = (item.unit_id, item.kind, None, item.submitted_on.year)
        if key not in sequences:
            sequences[key], _created = NumberSequence.objects.get_or_create(
                unit_id=key[0], kind=key[1], session_id=key[2], year=key[3]
            )
        sequence = sequences[key]
        if (sequence.pk, item.number) in taken:
            continue
        taken.add((sequence.pk, item.number))
        Proposal.objects.filter(pk=item.pk).update(sequence=sequence)


class Migration(migrations.Migration):
    dependencies = [("democracy", "0015_number_sequence")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
