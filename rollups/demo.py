"""The demo's roll-ups: computed from scratch once the other apps have written their demo data
(some of it bulk-written, which marks no unit)."""

from rollups.refresh import drift


def populate(*, stdout=None):
    fixed = drift(fix=True)
    if stdout is not None and fixed:
        stdout.write(f"  roll-ups: {len(fixed)} figures brought up to date")
