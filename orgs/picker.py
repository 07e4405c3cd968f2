"""A unit picked by searching, for forms whose choice is any of thousands of units.

A province federation has 100,000 units below it: no <select> can list them, and offering the
nearest few hundred (core.forms.offer_units) leaves the rest out of reach. The field stays a
ModelChoiceField over the whole queryset, so the posted pk is checked against every unit; the
widget shows a search box whose suggestions (``unit_suggestions``, from a view that checks the
same permission as the form's own) fill in a hidden input with the chosen unit's pk.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render

from orgs.models import OrgUnit

SUGGESTIONS = 10


class UnitPicker(forms.Widget):
    """A search box for a ModelChoiceField of units; ``search_url`` answers with unit_suggestions.

    The field's queryset reaches the widget as ``choices`` (ModelChoiceField sets it), which is never
    iterated: only the chosen unit is read, to show its name in the box.
    """

    template_name = "orgs/widgets/unit_picker.html"

    class Media:
        js = ["orgs/unit-picker.js"]

    def __init__(self, attrs=None, search_url=""):
        super().__init__(attrs)
        self.search_url = search_url
        self.choices = ()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.chosen(context["widget"]["value"])
        context["widget"].update(
            chosen=chosen,
            search_url=self.search_url,
            results_id=f"{context['widget']['attrs'].get('id') or name}_results",
        )
        return context

    def chosen(self, value):
        """The unit of the queryset whose pk is ``value`` (submitted or initial), or None."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None or value in (None, ""):
            return None
        try:
            return queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            return None


def picked_errors(message):
    """Error messages of a unit picked by searching: empty, or not one the search offers."""
    return {"required": message, "invalid_choice": message}


@dataclass(frozen=True)
class Suggestion:
    unit: OrgUnit
    parent: OrgUnit | None


def suggest(units, q, *, limit=SUGGESTIONS) -> tuple[list[Suggestion], bool]:
    """Up to ``limit`` of ``units`` matching ``q`` (the nearest the top when ``q`` is empty), each with
    its parent so that two units of the same name can be told apart, and whether there are more.
    The parents are named whoever may see them: ``units`` should lie below a unit the user sees."""
    q = q.strip()
    units = units.filter(is_active=True)  # a deactivated unit is never a choice, whatever the caller passed
    found = list((units.matching(q) if q else units).order_by("depth", "path")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    steplen = OrgUnit.steplen
    parents = OrgUnit.objects.in_bulk({unit.path[:-steplen] for unit in found if unit.depth > 1}, field_name="path")
    return [Suggestion(unit, parents.get(unit.path[:-steplen])) for unit in found], more


def unit_suggestions(request, units, q):
    """The picker's suggestions for ``q`` among ``units`` (an htmx partial)."""
    found, more = suggest(units, q)
    return render(request, "orgs/_unit_suggestions.html", {"found": found, "more": more, "limit": SUGGESTIONS})
