"""The Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.local")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Subject packages inside an app have tasks of their own.
app.autodiscover_tasks(["liaison.activities"])
