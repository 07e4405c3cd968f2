"""The roster as the list page shows it: the filter form and the filtered members of a unit's subtree.

One function for the list, its export and the background export, which rebuilds the roster from the
query string as the officer who asked for it saw it (core.exports).
"""

from members import privacy
from members.forms import FilterForm
from members.models import Member, Roster
from orgs.access import subtree_range
from orgs.models import OrgUnit

UNIT_CHOICES_SHOWN = 200  # children of the current unit offered in the filter; deeper ones come from links


def filtered_roster(user, unit, data, permission="members.view", *, request=None):
    """(the filter form, the filtered roster of ``unit``'s subtree). ``data`` is the list's query; a
    full ID number searched is logged for each member it finds, as read by ``request.user`` (or
    ``user`` in a background export: see members.privacy.search)."""
    units = OrgUnit.objects.visible_to(user, permission).filter(path__range=subtree_range(unit.path))
    shown = [unit, *OrgUnit.objects.get_children(unit)[:UNIT_CHOICES_SHOWN]]
    form = FilterForm(data, units=units, shown=shown)
    roster = Member.objects.roster(user, permission, form.selected_unit() or unit)
    members = form.filter(roster.members)
    if form.searching():
        try:
            members = privacy.search(request, members, form.cleaned_data["q"], user=user)
        except privacy.IdSearchRefused as refusal:  # said beside the search box; nothing found
            form.add_error("q", refusal.message)
            members = members.none()
    return form, Roster(members, roster.walks_name_index)
