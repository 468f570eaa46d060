"""The demo county's suggestions: every state, some overdue, ratings, 住建局 has work waiting,
the review console shows the figures; seeding twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from liaison.models import User
from suggestions.models import Assignment, HandlingUnit, Rating, Suggestion, Supervision, Transition

pytestmark = pytest.mark.django_db


def test_demo_suggestions(client):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Suggestion.objects.count(), Transition.objects.count(), Rating.objects.count(), User.objects.count())
    assert set(Suggestion.objects.values_list("status", flat=True)) == set(Suggestion.Status.values)
    assert HandlingUnit.objects.count() >= 20
    assert Suggestion.objects.filter(status="assigned", due_on__lt=timezone.localdate()).exists()
    assert Rating.objects.filter(value="unsatisfied").exists() and Rating.objects.filter(value="satisfied").exists()
    assert Supervision.objects.exists()
    oldest = Suggestion.objects.order_by("submitted_at").first().submitted_at
    assert (timezone.now() - oldest).days > 300
    waiting = Assignment.objects.filter(unit__name="云和县住房和城乡建设局", status="active")
    assert waiting.count() >= 3
    zhujian = User.objects.get(username="zhujian")
    assert zhujian.role_grants.filter(handling_unit__name="云和县住房和城乡建设局").exists()
    client.force_login(User.objects.get(username="county"))
    page = client.get(reverse("suggestions:review_figures")).content.decode()
    assert "云和县住房和城乡建设局" in page and "云和县交通运输局" in page
    call_command("seed_demo", stdout=io.StringIO())
    again = (Suggestion.objects.count(), Transition.objects.count(), Rating.objects.count(), User.objects.count())
    assert again == counts
