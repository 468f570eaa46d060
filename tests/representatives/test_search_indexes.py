"""The roster search's trigram indexes exist (PostgreSQL), and the staff scope has no OR on the user."""

from django.db import connection

from liaison import access
from representatives.models import Representative
from tests.factories import UserFactory, grant
from tests.representatives.factories import make_representative


def test_pg_trgm_and_the_trigram_indexes_are_installed(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'representatives_representative'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"representative_name_trgm", "representative_initials_trgm", "representative_phone_trgm"} <= names


def test_staff_scope_does_not_or_on_the_user_column(network):
    sql = str(access.representatives_visible(network.users["township"]).query)
    where = sql.split(" WHERE ", 1)[1]
    assert "user_id" not in where and " OR " not in where


def test_a_staff_member_keeps_their_own_record_outside_their_scope(network):
    rep = make_representative(network, station=network.station_b)
    officer = UserFactory(username="officer-and-rep")
    grant(officer, access.Role.STATION_OFFICER, station=network.station_a)
    Representative.objects.filter(pk=rep.pk).update(user=officer)
    visible = access.representatives_visible(officer)
    assert visible.filter(pk=rep.pk).exists()
    in_scope = Representative.objects.filter(home_station__path__startswith=network.station_a.path)
    assert visible.count() == 1 + in_scope.count()
