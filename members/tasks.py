"""Background work for the roster page: each task only wraps a function of core.sheets.jobs."""

from django.utils import translation
from django_tasks import task

from core.sheets import jobs
from members.models import ImportJob


def _job(job_id):
    return ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)


@task()
def check_import(job_id, language=None):
    with translation.override(language):
        jobs.job_check(_job(job_id))


@task()
def run_import(job_id, language=None):
    with translation.override(language):
        jobs.job_run(_job(job_id))
