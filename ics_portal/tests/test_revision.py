"""The data revision moves on once per committed write, whatever made it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction

from governance.models import Body
from ics_portal import revision

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_committed_transaction_moves_the_revision_on_once(
    django_capture_on_commit_callbacks,
):
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for body in Body.objects.all()[:3]:
            body.save()
    assert revision.current() == before + 1


def test_every_kind_of_write_moves_it(django_capture_on_commit_callbacks):
    """A bulk update sends no signal and a raw statement no ORM call: both are SQL."""
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True):
        Body.objects.filter(slug="tht").update(name="Tower Hamlets Together")
    assert revision.current() == before + 1
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:
        cursor.execute("UPDATE governance_body SET name = name WHERE slug = 'tht'")
    assert revision.current() == before + 2
    with django_capture_on_commit_callbacks(execute=True):
        # SQLite writes this one as INSERT OR IGNORE INTO.
        Body.objects.bulk_create([Body.objects.get(slug="tht")], ignore_conflicts=True)
    assert revision.current() == before + 3


def test_writes_are_told_from_reads_by_their_sql():
    for sql in (
        'INSERT INTO "governance_body" ("name") VALUES (%s)',
        'INSERT OR IGNORE INTO "governance_body" ("name") VALUES (%s)',
        ' UPDATE "governance_body" SET "name" = %s',
        'DELETE FROM "governance_body" WHERE "id" = %s',
    ):
        found = revision._WRITE.match(sql)
        assert found and found.group(1) == "governance_body", sql
    assert revision._WRITE.match('SELECT "name" FROM "governance_body"') is None


def test_a_write_rolled_back_moves_nothing(django_capture_on_commit_callbacks):
    before = revision.current()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        Body.objects.filter(slug="tht").update(name="never seen")
        raise Boom
    assert revision.current() == before


def test_a_write_after_a_rollback_still_moves_it(django_capture_on_commit_callbacks):
    """The rollback took the queued bump away; the next write queues its own."""
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            Body.objects.filter(slug="tht").update(name="never seen")
            raise Boom
        Body.objects.filter(slug="tht").update(name="Tower Hamlets Together")
    assert revision.current() == before + 1


def test_session_writes_move_nothing(django_capture_on_commit_callbacks, persona, client):
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(persona("viewer"))
        Session.objects.all().delete()
    # Signing in also stamps the user's last_login: that is a write like any other.
    assert revision.current() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        Session.objects.all().delete()
    assert revision.current() == before + 1
