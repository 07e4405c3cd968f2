"""A to-do's due date says its year when it is not this year's: last December's overdue item is not next
month's."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.todo import Todo


def test_a_due_date_of_another_year_says_its_year_and_this_years_does_not():
    this_year = timezone.localdate().year
    todos = [
        Todo(kind="t.old", title="续签集体合同", url="/a/", due=datetime.date(this_year - 1, 12, 31), urgent=True),
        Todo(kind="t.now", title="报送计划", url="/b/", due=datetime.date(this_year, 3, 5)),
    ]
    with translation.override("zh-hans"):
        html = render_to_string("workbench/_todo_list.html", {"todos": todos})
    assert f"{this_year - 1}年12月31日前" in html and "3月5日前" in html and f"{this_year}年3月5日" not in html
    with translation.override("en"):
        html = render_to_string("workbench/_todo_list.html", {"todos": todos})
    # As the pages' full dates write them (Django's N j, Y: Dec. 31, March 5), not Dec 31 beside Dec. 31.
    assert f"Dec. 31, {this_year - 1}" in html and "March 5" in html
    with translation.override("en"):
        assert date_format(datetime.date(this_year - 1, 12, 31)) == f"Dec. 31, {this_year - 1}"
