import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans import services


@pytest.fixture
def admin_client(client, units):
    admin = get_user_model().objects.create_superuser(username="root", password="x", full_name="管理员")
    client.force_login(admin)
    return client


def test_administrators_find_plans_items_and_summaries(admin_client, units):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    summary = services.summary_draft(plan=plan, today=datetime.date(2027, 12, 20))
    item = plan.items.first()
    for url in [
        reverse("admin:plans_plan_changelist"),
        reverse("admin:plans_plan_change", args=[plan.pk]),
        reverse("admin:plans_scheduleitem_changelist") + "?q=春节",
        reverse("admin:plans_scheduleitem_history", args=[item.pk]),
        reverse("admin:plans_yearsummary_change", args=[summary.pk]),
    ]:
        assert admin_client.get(url).status_code == 200, url
