"""The demo leaves applications waiting at demo-school, one from a migrant worker, and is idempotent."""

import pytest

from portal import demo, services
from portal.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db


def test_demo_leaves_pending_applications_for_demo_school(units):
    demo.populate()
    demo.populate()
    school = Application.objects.filter(unit=units["school"], status=ApplicationStatus.PENDING)
    assert school.count() == 3
    assert school.filter(is_migrant_worker=True).count() == 1
    assert Application.objects.filter(unit=units["county"]).count() == 1
    assert services.application_lookup(phone="13831500101", code="DEMO0001").unit == units["school"]
