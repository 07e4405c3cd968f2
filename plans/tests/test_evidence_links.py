"""Evidence of a plan item links only where its reader may follow: a care officer sees that the
congress session was held, but no link to a democracy page she cannot open."""

import pytest
from django.urls import reverse

from core import figures
from plans import services
from plans.models import PlanStatus


@pytest.fixture
def session_evidence(monkeypatch):
    def source(item_ids):
        return {
            pk: [figures.Evidence("三届五次教代会", "/democracy/sessions/1/", permission="democracy.view")]
            for pk in item_ids
        }

    monkeypatch.setattr(figures, "_evidence", [source])


def test_evidence_links_only_for_readers_who_may_open_it(client_for, zhuxi, bangfu, units, session_evidence):
    plan = services.plan_from_template(unit=units["school"], year=2026, template_key="school", user=zhuxi)
    services.plan_publish(plan=plan)
    assert plan.status == PlanStatus.PUBLISHED
    url = reverse("plans:detail", args=[plan.pk])
    assert 'href="/democracy/sessions/1/"' in client_for(zhuxi).get(url).content.decode()
    html = client_for(bangfu).get(url).content.decode()
    assert "三届五次教代会" in html and 'href="/democracy/sessions/1/"' not in html
