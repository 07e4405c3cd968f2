"""Background work for the roster page: each task only wraps a function of members.importing."""

from django_tasks import task

from members import importing
from members.models import ImportJob


@task()
def check_import(job_id):
    importing.job_check(ImportJob.objects.select_related("unit", "created_by").get(pk=job_id))


@task()
def run_import(job_id):
    importing.job_run(ImportJob.objects.select_related("unit", "created_by").get(pk=job_id))
