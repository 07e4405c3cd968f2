"""The county officer issuing a report call on a phone: the headings over the report's rows (栏目, 取数来源,
计量单位) are hidden at that width, so each empty box says itself what goes in it."""

import re

from django.urls import reverse


def test_each_row_of_a_new_report_call_says_what_its_boxes_are_for(client_for, xianzong, django_assert_max_num_queries):
    client = client_for(xianzong)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("federation:call_new")).content.decode()
    labels = re.findall(r'<input type="text" name="fields-\d+-label"[^>]*>', html)
    measures = re.findall(r'<input type="text" name="fields-\d+-measure"[^>]*>', html)
    assert labels and len(labels) == len(measures)
    assert all('placeholder="栏目名称，如“女职工人数”"' in box for box in labels)
    assert all('placeholder="计量单位"' in box for box in measures)
    client.cookies["gonghui_language"] = "en"
    html = client.get(reverse("federation:call_new")).content.decode()
    assert 'placeholder="Item, e.g. “Women workers”"' in html and 'placeholder="Measure"' in html
