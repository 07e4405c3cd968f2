"""Secret ballots and the anonymous opinion box, proved on a dump of the whole database.

The unlinkability test casts the same ballots in two worlds that differ only in who cast which
ballot (the voters vote in the same order at the same moments), dumps every table of the
database (history and access logs included, in physical order with SQLite's rowid), and finds
the two dumps equal. Whatever one does with the dump, it cannot tell the worlds apart, so it
cannot tell who voted for whom. Only values random by design (UUID keys) are masked. Without the
rewrite of the counters at close the test fails: the written-in names' rows would keep the
order in which the names first appeared."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.models import AccessLog, Notification
from democracy.models import Choice, Opinion, OpinionQuota
from democracy.services import ballots as svc
from democracy.services import opinions as opinion_svc
from democracy.tests.conftest import add_member

UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
CLOSED_AT = timezone.make_aware(datetime.datetime(2025, 12, 1, 17, 0))


def full_dump():
    """Every row of every table, in physical order where the database exposes it."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if connection.vendor == "sqlite":
                cursor.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid')
            else:
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY ctid')
            rows = [tuple(UUID.sub("<uuid>", str(v)) for v in row) for row in cursor.fetchall()]
            dump[table] = rows
            if connection.vendor == "postgresql":
                # Rolled-back rows of the first world leave sequence gaps and reused slots.
                dump[table] = sorted(rows)
    return dump


def without_ids(dump):
    """PostgreSQL sequences do not roll back: drop the serial id column of rows written in a world."""
    if connection.vendor == "sqlite":
        return dump
    return {table: sorted(row[1:] for row in rows) for table, rows in dump.items()}


@pytest.fixture
def people(units):
    from conftest import make_person
    from orgs.roles import Role

    found = []
    for number in range(4):
        user = make_person(f"secret{number}", f"会员{number}", units["g1"], Role.MEMBER)
        add_member(units["g1"], f"会员{number}", user=user)
        found.append(user)
    return found


def world(units, people, papers):
    """Open, vote in a fixed order with ``papers[i]`` for people[i], close: the dump after it all."""
    with transaction.atomic():
        ballot = svc.ballot_create(
            unit=units["school"],
            title="优秀工会积极分子",
            candidates=["甲", "乙", "丙"],
            seats=1,
            allow_write_in=True,
        )
        svc.ballot_open(ballot=ballot, now=CLOSED_AT)
        ids = {c.name: c.pk for c in ballot.candidates.all()}
        for person, (name, write_in) in zip(people, papers, strict=True):
            paper = svc.BallotPaper(
                choices={ids[name]: Choice.CHOSEN} if name else {}, write_ins=[write_in] if write_in else []
            )
            svc.ballot_vote(ballot=ballot, user=person, paper=paper)
        svc.ballot_close(ballot=ballot, now=CLOSED_AT)
        dump = without_ids(full_dump())
        results = {r.name: r.votes for r in svc.ballot_results(ballot).rows}
        transaction.set_rollback(True)
    return dump, results


def test_nobody_can_match_a_ballot_to_a_voter_with_the_whole_database_dumped(units, people):
    # The same four ballots; in the second world the first two voters swapped theirs, and so
    # did the last two (write-ins included, so even the order names first appear differs).
    first = [("甲", ""), ("乙", ""), ("", "丁"), ("", "戊")]
    second = [("乙", ""), ("甲", ""), ("", "戊"), ("", "丁")]
    dump_a, results_a = world(units, people, first)
    dump_b, results_b = world(units, people, second)
    assert results_a == results_b == {"甲": 1, "乙": 1, "丙": 0, "丁": 1, "戊": 1}
    assert dump_a.keys() == dump_b.keys()
    assert "democracy_voter" in dump_a and any("historical" in t for t in dump_a) and "core_accesslog" in dump_a
    differing = [table for table in dump_a if dump_a[table] != dump_b[table]]
    assert differing == []


def test_the_test_can_fail_a_ballot_that_kept_its_voter_would_be_seen(units, people):
    """The same comparison notices a difference as small as one row naming a voter."""
    dump_a, _ = world(units, people, [("甲", ""), ("乙", ""), ("丙", ""), ("甲", "")])
    with transaction.atomic():
        Notification.objects.create(user=people[0], text="您投给了甲")
        dump_b = without_ids(full_dump())
        transaction.set_rollback(True)
    assert dump_a != dump_b


def test_an_anonymous_opinion_keeps_no_user_and_no_time_and_nothing_links_it(units, huiyuan, client):
    client.force_login(huiyuan)
    before_logs = AccessLog.objects.count()
    response = client.post(
        "/democracy/opinions/",
        {"text": "食堂卫生需要改进", "anonymous": "on"},
        HTTP_USER_AGENT="Mozilla/5.0 WeChat",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.author_id is None and opinion.received_on == timezone.localdate()
    assert not any(
        isinstance(f, type(Opinion._meta.get_field("received_on"))) and f.name.endswith("_at")
        for f in Opinion._meta.fields
    )
    assert AccessLog.objects.count() == before_logs
    assert not Notification.objects.exists()
    dump = full_dump()
    username, user_id = huiyuan.username, str(huiyuan.pk)
    for table, rows in dump.items():
        text = "\n".join(" | ".join(row) for row in rows)
        if "食堂卫生需要改进" in text:
            assert table == "democracy_opinion"
        assert "10.1.2.3" not in text and "WeChat" not in text, table
    for row in dump["democracy_opinionquota"]:
        assert user_id not in row[1:2] and username not in " ".join(row)


def test_the_daily_limit_is_kept_apart_from_the_messages(units, huiyuan):
    day = datetime.date(2025, 9, 1)
    for number in range(opinion_svc.DAILY_LIMIT):
        opinion_svc.opinion_send(unit=units["school"], user=huiyuan, text=f"意见{number}", anonymous=True, today=day)
    with pytest.raises(Exception, match="最多写5条"):
        opinion_svc.opinion_send(unit=units["school"], user=huiyuan, text="再一条", anonymous=True, today=day)
    assert Opinion.objects.count() == 5
    [quota] = OpinionQuota.objects.all()
    assert quota.count == 5 and str(huiyuan.pk) != quota.key
    opinion_svc.opinion_send(
        unit=units["school"], user=huiyuan, text="第二天", anonymous=True, today=day + datetime.timedelta(days=1)
    )
    assert OpinionQuota.objects.count() == 1  # yesterday's counter is gone
