import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
# Celery's Django fixup runs the system checks when a worker starts, which imports every
# URL's views and with them statsmodels, pandas and SciPy: 240 MB in the worker and in every
# pool child forked from it, which no task uses (a PDF part's child would peak at 450 MB
# rather than 250). The web process and `manage.py check` run the checks.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("inspection")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
