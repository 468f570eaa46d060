"""The suggestions' step of the scale generator (small profile): every state, timelines that end
in the suggestion's state, unique codes in the codes' alphabet, rows the review console reads."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from liaison.models import Division
from suggestions.models import CODE_ALPHABET, Assignment, HandlingUnit, Rating, Suggestion, Transition
from suggestions.scale_seed import BUREAUS, SUGGESTIONS_PER_COUNTY, tracking_code
from suggestions.selectors import review


@pytest.fixture
def seeded(db):
    call_command("seed_scale", profile="small", verbosity=0)


def test_counts_states_and_timelines(seeded):
    counties = Division.objects.filter(kind=Division.Kind.COUNTY).count()
    assert Suggestion.objects.count() == counties * SUGGESTIONS_PER_COUNTY["small"]
    assert HandlingUnit.objects.count() == counties * len(BUREAUS)
    states = set(Suggestion.objects.values_list("status", flat=True))
    assert states >= {"submitted", "accepted", "declined", "settled", "assigned", "answered", "closed", "unsatisfied"}
    assert Rating.objects.filter(value="unsatisfied").exists()
    assert Assignment.objects.filter(round=2).exists()
    for s in Suggestion.objects.order_by("?")[:40]:
        last = Transition.objects.filter(suggestion=s).order_by("-at", "-pk").first()
        assert last.to_status == s.status
        s.full_clean()
    assert not Suggestion.objects.filter(submitted_at__gt=Transition.objects.order_by("-at").first().at).exists()


def test_codes_are_unique_and_readable(seeded):
    codes = list(Suggestion.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 10 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert len({tracking_code(pk) for pk in range(1, 200_001)}) == 200_000


def test_suggestions_stay_in_their_county(seeded):
    for a in Assignment.objects.select_related("unit__division", "suggestion__station__division")[:50]:
        assert a.suggestion.station.division.path.startswith(a.unit.division.path)
    per_county = Suggestion.objects.values("township__parent").annotate(n=Count("pk"))
    assert per_county.count() >= 2


def test_review_figures_read_the_seeded_rows(seeded):
    from django.contrib.auth import get_user_model

    wide = get_user_model().objects.get(username="scale-wide")
    rows = review.unit_figures(wide, start=None, end=None)
    assert sum(row.received for row in rows) == Assignment.objects.values("suggestion").distinct().count()
    assert any(row.reopened for row in rows)
