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


NAMES = ["王建国", "建国", "欧阳建国强", "李建", "张国建", "赵卫东"]


def _roster_names(client, q):
    from django.urls import reverse

    response = client.get(reverse("representatives:list"), {"q": q})
    assert response.status_code == 200
    return sorted(rep.name for rep in response.context["representatives"])


def test_one_and_two_character_searches_match_anywhere_in_the_name(network, client_for):
    for name in NAMES:
        make_representative(network, name=name)
    client = client_for(network.users["county"])
    # Two characters: the start, the end, the whole and the middle of a name (no prefix-only shortcut).
    assert _roster_names(client, "建国") == sorted(["王建国", "建国", "欧阳建国强"])
    assert _roster_names(client, "国建") == ["张国建"]
    assert _roster_names(client, "阳建") == ["欧阳建国强"]
    # One character, and pieces that are no name's: as `name LIKE '%..%'` answered them.
    assert _roster_names(client, "建") == sorted(["王建国", "建国", "欧阳建国强", "李建", "张国建"])
    assert _roster_names(client, "建李") == []
    assert _roster_names(client, "卫东") == ["赵卫东"]
    # Three characters still go through the trigram index: same meaning.
    assert _roster_names(client, "王建国") == ["王建国"]


def test_a_two_character_search_is_answered_by_the_name_grams_index(network):
    from representatives.filters import search_q

    for name in NAMES:
        make_representative(network, name=name)
    qs = Representative.objects.filter(search_q("建国"))
    assert "representative_name_grams" in str(qs.query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'representative_name_grams'")
        assert "gin" in cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: the planner would scan them
        plan = qs.explain()
    assert "representative_name_grams" in plan and "Seq Scan on representatives_representative" not in plan
