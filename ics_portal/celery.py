"""Celery application shared by the web process, the worker and beat.

Without a broker (REDIS_URL unset) settings switch tasks to eager mode, so the
same code paths run in-process on a laptop and through a worker in production.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_portal.settings")

app = Celery("ics_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
