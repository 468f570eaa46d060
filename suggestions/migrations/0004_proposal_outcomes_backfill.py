"""The proposals answered or rated before outcomes were recorded: their representatives' filed and
co-signed performance records get the result of the latest answer and that answer's rating (what
`suggestions.services.common.proposal_outcome_changed` writes from now on), and the proposal's
title as their note where they have none. One pass over the proposals; safe to run again."""

from django.db import migrations

PROPOSAL_KINDS = ("proposal_filed", "proposal_cosigned")


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Answer = apps.get_model("suggestions", "Answer")
    Rating = apps.get_model("suggestions", "Rating")
    PerformanceRecord = apps.get_model("representatives", "PerformanceRecord")
    source_type = ContentType.objects.filter(app_label="suggestions", model="suggestion").first()
    if source_type is None:  # a new database: nothing recorded yet
        return
    proposal_ids = (
        PerformanceRecord.objects.filter(source_type=source_type, kind__in=PROPOSAL_KINDS)
        .values_list("source_id", flat=True)
        .distinct()
    )
    titles = dict(Suggestion.objects.filter(pk__in=proposal_ids, kind="proposal").values_list("pk", "title"))
    for pk, title in titles.items():
        records = PerformanceRecord.objects.filter(source_type=source_type, source_id=pk, kind__in=PROPOSAL_KINDS)
        answer = Answer.objects.filter(suggestion_id=pk).order_by("-answered_at", "-pk").first()
        rating = Rating.objects.filter(answer=answer).values_list("value", flat=True).first() if answer else None
        records.update(outcome_result=answer.result if answer else "", outcome_satisfaction=rating or "")
        records.filter(note="").update(note=title[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("representatives", "0012_proposal_outcomes"),
        ("suggestions", "0003_categories_and_deadline_rules"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
