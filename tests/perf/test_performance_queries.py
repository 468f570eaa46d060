"""The performance records list, the evaluation page, the quarterly points and a station's
handbooks issue the same number of queries whatever the number of rows they show."""

import datetime

from django.urls import reverse

from representatives.models import AnnualEvaluation
from representatives.services import evaluation
from representatives.services import performance as services
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.representatives.factories import make_representative
from tests.voters.factories import make_household

YEAR = 2025


def add_records(network, how_many, *, start=0):
    household = make_household(network)
    officer = network.users["officer"]
    for i in range(start, start + how_many):
        rep = make_representative(network, name=f"代表{i}", station=[network.station_a, network.point_a][i % 2])
        services.performance_record_add_for_source(
            representative=rep, kind="reception", source=household, date=datetime.date(YEAR, 1 + i % 12, 1)
        )
        services.performance_record_add_manual(
            actor=officer, representative=rep, kind="other", date=datetime.date(YEAR, 2, 1), note="座谈", points="2"
        )


def test_records_list_queries_do_not_grow_with_records(network, client_for):
    client = client_for(network.users["officer"])
    url = reverse("representatives:performance_list") + f"?year={YEAR}"
    add_records(network, 1)
    small, _response = count_queries(client, url)
    add_records(network, 12, start=1)
    large, response = count_queries(client, url)
    assert len(response.context["records"]) == 26
    assert small == large


def add_rated_proposals(network, how_many, *, start=0):
    """Each of the representatives `代表<i>` filed a proposal, answered and rated (the record's
    source stands for the proposal: any model instance is one)."""
    from representatives.models import Representative

    for i in range(start, start + how_many):
        rep = Representative.objects.get(name=f"代表{i}")
        services.performance_record_add_for_source(
            representative=rep, kind="proposal_filed", source=rep, date=datetime.date(YEAR, 3, 1)
        )
        services.performance_records_set_outcome(source=rep, result="ABCD"[i % 4], satisfaction="satisfied")


def test_evaluation_page_queries_do_not_grow_with_representatives(network, client_for):
    client = client_for(network.users["county"])
    add_records(network, 1)
    add_rated_proposals(network, 1)
    evaluation.annual_evaluation_compute(year=YEAR)
    ev = AnnualEvaluation.objects.get(congress=network.township_a, year=YEAR)
    small, _response = count_queries(client, reverse("representatives:evaluation_detail", args=[ev.pk]))
    add_records(network, 12, start=1)
    add_rated_proposals(network, 12, start=1)
    evaluation.annual_evaluation_compute(year=YEAR)
    large, response = count_queries(client, reverse("representatives:evaluation_detail", args=[ev.pk]))
    assert len(response.context["entries"]) == 13
    assert response.content.decode().count('data-testid="evaluation-proposals"') == 13
    assert small == large


def test_quarterly_points_and_station_handbooks_do_not_grow(network, client_for):
    client = client_for(network.users["officer"])
    urls = [
        reverse("representatives:quarterly_points") + f"?year={YEAR}",
        reverse("representatives:station_handbooks", args=[network.station_a.pk, YEAR]),
    ]
    add_records(network, 2)
    small = [count_queries(client, url)[0] for url in urls]
    add_records(network, 10, start=2)
    large = [count_queries(client, url)[0] for url in urls]
    assert small == large
