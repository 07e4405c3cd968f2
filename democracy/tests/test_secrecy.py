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
    """Every row of every table, in physical order where the database exposes it (SQLite's rowid
    first), each row a tuple of (column, value)."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if connection.vendor == "sqlite":
                cursor.execute(f'SELECT rowid AS "rowid", * FROM "{table}" ORDER BY rowid')
            else:
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY ctid')
            columns = [c[0] for c in cursor.description]
            dump[table] = [
                tuple((column, UUID.sub("<uuid>", str(value))) for column, value in zip(columns, row, strict=True))
                for row in cursor.fetchall()
            ]
    return dump


def comparable(dump, names):
    """Name the ballot and its candidates by what they are rather than by their serial ids.

    On PostgreSQL sequences do not roll back, so the second world's serial ids differ from the
    first's; its rows are compared as a set (a rolled-back world leaves dead rows whose slots
    the next one reuses). On SQLite everything rolls back: rowids and order are compared as is."""
    postgres = connection.vendor == "postgresql"
    result = {}
    for table, rows in dump.items():
        cleaned = []
        for row in rows:
            cells = []
            for column, value in row:
                if column in names and value in names[column]:
                    value = names[column][value]
                elif postgres and column == "id" and value.isdigit():
                    continue
                cells.append((column, value))
            cleaned.append(tuple(cells))
        result[table] = sorted(cleaned) if postgres else cleaned
    return result


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
        names = {"ballot_id": {str(ballot.pk): "ballot"}, "candidate_id": {str(pk): name for name, pk in ids.items()}}
        dump = comparable(full_dump(), names)
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
    papers = [("甲", ""), ("乙", ""), ("丙", ""), ("甲", "")]
    dump_a, _ = world(units, people, papers)
    dump_b, _ = world(units, people, papers)
    assert dump_a == dump_b
    with transaction.atomic():
        Notification.objects.create(user=people[0], text="您投给了甲")
        dump_c = comparable(full_dump(), {})
        transaction.set_rollback(True)
    assert dump_c["core_notification"] != dump_a["core_notification"]


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
        text = "\n".join(" | ".join(value for _column, value in row) for row in rows)
        if "食堂卫生需要改进" in text:
            assert table == "democracy_opinion"
        assert "10.1.2.3" not in text and "WeChat" not in text, table
    for row in dump["democracy_opinionquota"]:
        columns = dict(row)
        assert set(columns) <= {"rowid", "key", "day", "count"}  # no user column
        assert username not in columns["key"] and columns["key"] != user_id


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


@pytest.mark.django_db(transaction=True)
def test_after_close_no_counter_carries_a_voting_transaction(units, people):
    """PostgreSQL stamps every row version with the id of the transaction that wrote it (xmin):
    while voting, a counter's xmin is that of the last vote that touched it, the same as that
    voter's flag. After close every counter carries the closing transaction's id only."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    ballot = svc.ballot_open(
        ballot=svc.ballot_create(unit=units["school"], title="评选", candidates=["甲", "乙", "丙"], seats=1)
    )
    ids = {c.name: c.pk for c in ballot.candidates.all()}
    for person, name in zip(people[:3], ["甲", "乙", "丙"], strict=True):
        svc.ballot_vote(ballot=ballot, user=person, paper=svc.BallotPaper(choices={ids[name]: Choice.CHOSEN}))

    def xmins(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [ballot.pk])
            return {row[0] for row in cursor.fetchall()}

    voters = xmins("SELECT xmin::text FROM democracy_voter WHERE ballot_id = %s AND has_voted")
    assert voters & xmins("SELECT xmin::text FROM democracy_tally WHERE ballot_id = %s")  # linked while open
    svc.ballot_close(ballot=ballot)
    counters = xmins("SELECT xmin::text FROM democracy_tally WHERE ballot_id = %s")
    assert len(counters) == 1 and not counters & voters
