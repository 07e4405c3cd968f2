"""The demo leaves what issue 14's pages need: contracts of which one expires within 60 days, and
(the safety app's part) the anquan inspector with open and closed hazards."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from contracts.models import Contract
from safety.models import Hazard, HazardStatus


@pytest.mark.django_db
def test_the_demo_has_contracts_one_expiring_and_hazards_open_and_closed(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    today = timezone.localdate()
    assert Contract.objects.count() >= 2
    assert Contract.objects.expiring(today).exists()
    anquan = get_user_model().objects.get(username="anquan")
    assert anquan.check_password("gonghui-demo")
    statuses = set(Hazard.objects.filter(unit__code="demo-school").values_list("status", flat=True))
    assert {HazardStatus.OPEN, HazardStatus.CLOSED} <= statuses
    assert Hazard.objects.overdue(today).exists()
