import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_county(db, settings):
    """The demo county of `manage.py demo`, with its personas and a year's records."""
    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("demo", stdout=io.StringIO())
