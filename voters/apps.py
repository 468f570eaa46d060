from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = _("Voters")

    def ready(self):
        from liaison import dashboards
        from voters.dashboards import officer_reception_panel, representative_reception_panel

        dashboards.register(officer_reception_panel)
        dashboards.register(representative_reception_panel)
