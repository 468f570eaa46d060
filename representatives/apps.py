from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("Representatives")

    def ready(self):
        from liaison import dashboards
        from representatives.dashboards import own_record_panel, roster_panel, work_panel

        dashboards.register(work_panel)
        dashboards.register(roster_panel)
        dashboards.register(own_record_panel)
