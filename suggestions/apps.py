from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_starting_data(sender, using="default", **kwargs):
    """The categories and deadline rules every instance starts with (migration 0003), put back
    when the tables are empty after a flush (a test run that empties the database sends
    post_migrate like `migrate` does). Tables with rows are left as their users made them."""
    from importlib import import_module

    from django.apps import apps

    from suggestions.models import Category, DeadlineRule

    if not Category.objects.using(using).exists() or not DeadlineRule.objects.using(using).exists():
        import_module("suggestions.migrations.0003_categories_and_deadline_rules").forwards(apps, None)


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from liaison import dashboards
        from suggestions.dashboards import handling_unit_panel
        from suggestions.panels_representative import representative_suggestions_panel

        dashboards.register(handling_unit_panel)
        dashboards.register(representative_suggestions_panel)
        post_migrate.connect(restore_starting_data, sender=self)
