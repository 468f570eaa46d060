from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Station network")

    def ready(self):
        # Connects the sign-in stamp of the session timeout (liaison.middleware).
        from liaison import middleware  # noqa: F401
