"""Background work of the plans app: each task only wraps a function of plans.read_jobs."""

from django.utils import translation
from django_tasks import task

from plans import read_jobs


@task()
def read_plan_file(job_id, language):
    with translation.override(language):
        read_jobs.read(job_id)
