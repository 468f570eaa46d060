from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Station network")

    def ready(self):
        from django.urls import register_converter

        # Importing the middleware connects the sign-in stamp of the session timeout.
        from liaison import middleware, text  # noqa: F401
        from liaison.ids import IdConverter

        register_converter(IdConverter, "id")
        text.connect_signals()

        from liaison.activities import dashboards as activity_dashboards

        activity_dashboards.register_panels()
