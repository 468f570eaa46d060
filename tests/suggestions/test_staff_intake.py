"""Intake through the pages: the officer's form, a raised reception item turned into a suggestion
(linked both ways), a representative's proposal with co-signers who confirm or decline, and the
lead representative's rating of the answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from suggestions.models import CoSigner, Suggestion
from tests.suggestions.staff_helpers import answered, category, own_rep
from tests.voters.reception_helpers import make_day, rep_with_account
from voters.models import RaisedItem
from voters.services import visits


def form_data(network, **fields):
    data = {
        "station": network.station_a.pk,
        "category": category().pk,
        "title": "路灯不亮",
        "content": "甲村村口路灯坏了。",
        "contact_name": "王五",
        "contact_phone": "13912345678",
        "publish_consent": "on",
    }
    data.update(fields)
    return data


def test_the_officer_registers_a_suggestion(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(reverse("suggestions:staff_create"), form_data(network), follow=True)
    suggestion = Suggestion.objects.get()
    assert response.redirect_chain[-1][0] == reverse("suggestions:detail", args=[suggestion.pk])
    assert (suggestion.source, suggestion.status, suggestion.station) == ("officer", "submitted", network.station_a)
    assert suggestion.publish_consent and suggestion.contact_phone == "13912345678"
    assert suggestion.code in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"content": "   "},
        {"category": "999999"},
        {"contact_phone": "12345"},
        {"voter": "abc"},
        {"representative": "-1"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_creates_nothing(network, client_for, bad):
    client = client_for(network.users["officer"])
    response = client.post(reverse("suggestions:staff_create"), form_data(network, **bad))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_another_stations_station_cannot_be_chosen(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(reverse("suggestions:staff_create"), form_data(network, station=network.station_b.pk))
    assert response.status_code == 200
    assert "station" in response.context["form"].errors
    assert not Suggestion.objects.exists()


@pytest.fixture
def day_with_items(network):
    rep = rep_with_account(network, "duty_rep")
    day = make_day(network.station_a, timezone.localdate(), rep)
    visit = visits.visit_log(
        actor=network.users["officer"],
        day_id=day.pk,
        phone="13700001111",
        name="赵六",
        items=["村口排水沟堵塞", "希望增设公交站"],
        received_by_id=rep.pk,
    )
    return day, visit, rep


def test_a_raised_item_becomes_a_suggestion_linked_both_ways(network, client_for, day_with_items):
    day, visit, rep = day_with_items
    client = client_for(network.users["officer"])
    day_url = reverse("voters:reception_detail", args=[day.pk])
    page = client.get(day_url).content.decode()
    assert page.count('data-testid="convert-item"') == 2
    first, second = visit.items.order_by("position", "pk")
    response = client.post(
        reverse("suggestions:staff_convert_item", args=[first.pk]),
        {"category": category().pk, "title": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == day_url
    first.refresh_from_db()
    suggestion = first.suggestion
    assert (suggestion.source, suggestion.title, suggestion.representative) == ("reception", "村口排水沟堵塞", rep)
    assert suggestion.voter == visit.voter
    # The day page links the converted item to its suggestion and still offers the other one.
    page = response.content.decode()
    assert reverse("suggestions:detail", args=[suggestion.pk]) in page
    assert page.count('data-testid="convert-item"') == 1
    # The suggestion's page links back to the reception day.
    detail = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'data-testid="raised-item-link"' in detail and day_url in detail
    # Converting again is refused with a message; nothing new.
    response = client.post(
        reverse("suggestions:staff_convert_item", args=[first.pk]), {"category": category().pk}, follow=True
    )
    assert Suggestion.objects.count() == 1
    assert response.context["messages"]
    second.refresh_from_db()
    assert second.suggestion_id is None


def test_converting_needs_a_category_and_another_stations_item_is_a_404(network, client_for, day_with_items):
    day, visit, rep = day_with_items
    item = visit.items.first()
    client = client_for(network.users["officer"])
    client.post(reverse("suggestions:staff_convert_item", args=[item.pk]), {"category": ""})
    assert not Suggestion.objects.exists()
    other_day = make_day(network.station_b, timezone.localdate())
    other = visits.visit_log(actor=network.users["superuser"], day_id=other_day.pk, items=["乙乡的事"])
    response = client.post(
        reverse("suggestions:staff_convert_item", args=[other.items.get().pk]), {"category": category().pk}
    )
    assert response.status_code == 404
    assert not RaisedItem.objects.filter(suggestion__isnull=False).exists()


def test_a_proposal_with_co_signers_who_confirm_and_decline(network, client_for):
    lead = own_rep(network)
    signer = rep_with_account(network, "signer", name="钱七")
    reluctant = rep_with_account(network, "reluctant", name="孙八")
    client = client_for(network.users["representative"])
    page = client.get(reverse("suggestions:staff_proposal_create")).content.decode()
    assert 'data-testid="search-choice-cosigners"' in page
    search = reverse("suggestions:staff_cosigner_search")
    found = client.get(search + "?field=cosigners&multiple=1&cosigners_q=钱").content.decode()
    assert f'type="checkbox" name="cosigners" value="{signer.pk}"' in found and "钱七" in found
    assert "钱七" not in client.get(search + "?field=cosigners&multiple=1&cosigners_q=孙").content.decode()
    response = client.post(
        reverse("suggestions:staff_proposal_create"),
        {
            "category": category().pk,
            "title": "关于改善山区公路安全的建议",
            "content": "山区公路缺少护栏。",
            "cosigners": [signer.pk, reluctant.pk],
        },
        follow=True,
    )
    proposal = Suggestion.objects.get()
    assert (proposal.kind, proposal.representative) == ("proposal", lead)
    assert set(proposal.cosigners.values_list("representative", flat=True)) == {signer.pk, reluctant.pk}
    assert 'data-testid="cosigners"' in response.content.decode()
    # The co-signer sees the invitation on their home page and their list, and confirms.
    signer_client = client_for(signer.user)
    home = signer_client.get(reverse("liaison:dashboard")).content.decode()
    assert reverse("suggestions:staff_mine") in home
    mine = signer_client.get(reverse("suggestions:staff_mine")).content.decode()
    assert 'data-testid="cosign-invitation"' in mine
    # The home page's number links to exactly the proposals waiting for them.
    panel = next(p for p in signer_client.get(reverse("liaison:dashboard")).context["panels"] if p.title == "我的建议")
    to_cosign = next(stat for stat in panel.stats if stat.label == "待附议的建议")
    assert to_cosign.value == 1
    assert signer_client.get(to_cosign.url).context["page_obj"].paginator.count == 1
    signer_client.post(reverse("suggestions:staff_cosign", args=[proposal.pk]), {"confirm": "1", "next": "mine"})
    client_for(reluctant.user).post(reverse("suggestions:staff_cosign", args=[proposal.pk]), {"confirm": "0"})
    by_rep = {c.representative_id: c for c in CoSigner.objects.filter(suggestion=proposal)}
    assert by_rep[signer.pk].confirmed_at and not by_rep[signer.pk].declined_at
    assert by_rep[reluctant.pk].declined_at and not by_rep[reluctant.pk].confirmed_at
    # Answering twice is refused with a message and changes nothing.
    confirmed_at = by_rep[signer.pk].confirmed_at
    signer_client.post(reverse("suggestions:staff_cosign", args=[proposal.pk]), {"confirm": "0"})
    again = CoSigner.objects.get(suggestion=proposal, representative=signer)
    assert again.confirmed_at == confirmed_at and again.declined_at is None


def test_a_proposal_without_a_title_is_refused_and_keeps_the_chosen_co_signers(network, client_for):
    own_rep(network)
    signer = rep_with_account(network, "signer", name="钱七")
    client = client_for(network.users["representative"])
    response = client.post(
        reverse("suggestions:staff_proposal_create"),
        {"category": category().pk, "title": "", "content": "内容", "cosigners": [signer.pk]},
    )
    assert response.status_code == 200
    assert f'name="cosigners" value="{signer.pk}" checked' in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_lead_representative_rates_the_answer_to_their_proposal(network, client_for):
    own_rep(network)
    client = client_for(network.users["representative"])
    client.post(
        reverse("suggestions:staff_proposal_create"),
        {"category": category().pk, "title": "关于增设公交站的建议", "content": "方便群众出行。"},
    )
    proposal = answered(network, Suggestion.objects.get())
    page = client.get(reverse("suggestions:detail", args=[proposal.pk])).content.decode()
    assert 'data-testid="action-rate_lead"' in page
    assert 'data-testid="action-accept"' not in page
    client.post(
        reverse("suggestions:staff_action", args=[proposal.pk, "rate_lead"]),
        {"version": proposal.version, "value": "partly", "comment": ""},
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.satisfaction) == ("closed", "partly")
    assert proposal.ratings.get().by == "representative"
