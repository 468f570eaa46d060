"""Messages defined on view classes are translated when shown, in the language of the request
(gettext_lazy), not fixed to the language that was active when the module was imported."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from liaison.views import StationCreateView, StationUpdateView
from representatives.views.roster import RepresentativeCreateView, RepresentativeUpdateView
from tests.liaison.test_stations import form_data


@pytest.mark.parametrize(
    ("view", "english", "chinese"),
    [
        (StationCreateView, "Station 甲 was created.", "已设立联络站“甲”。"),
        (StationUpdateView, "Station 甲 was saved.", "甲"),
        (RepresentativeCreateView, "Representative 甲 was added to the roster.", "甲"),
        (RepresentativeUpdateView, "The record of 甲 was saved.", "甲"),
    ],
)
def test_class_messages_follow_the_active_language(view, english, chinese):
    with translation.override("en"):
        assert view.success_message % {"name": "甲"} == english
    with translation.override("zh-hans"):
        shown = view.success_message % {"name": "甲"}
        assert chinese in shown and shown != english


def test_the_station_created_message_is_in_the_language_the_user_chose(network, client_for):
    client = client_for(network.users["officer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("liaison:station_create"), form_data(parent=network.station_a.pk, division=network.village_a.pk)
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Station 新联络点 was created."]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.post(
        reverse("liaison:station_create"),
        form_data(name="另一个联络点", slug="another", parent=network.station_a.pk, division=network.village_a.pk),
    )
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "已设立联络站“另一个联络点”。"
