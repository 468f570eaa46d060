"""The categories and deadline rules every instance starts with (data: county staff edit them)."""

from django.db import migrations

CATEGORIES = ["道路交通", "民生保障", "生态环境", "营商环境", "安全生产", "其他"]

RULES = [
    ("proposal_answer", 3, "months"),
    ("proposal_extended", 6, "months"),
    ("opinion_answer", 15, "working_days"),
    ("co_handler_opinion", 1, "months"),
    ("misroute_return", 10, "working_days"),
    ("rehandle", 1, "months"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    DeadlineRule = apps.get_model("suggestions", "DeadlineRule")
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"position": position})
    for key, amount, unit in RULES:
        DeadlineRule.objects.get_or_create(key=key, defaults={"amount": amount, "unit": unit})


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0002_suggestions_and_handling")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
