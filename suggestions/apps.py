from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from liaison import dashboards
        from suggestions.dashboards import handling_unit_panel
        from suggestions.panels_representative import representative_suggestions_panel

        dashboards.register(handling_unit_panel)
        dashboards.register(representative_suggestions_panel)
