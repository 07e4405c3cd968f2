"""An entry's result as its event writes it (activities.race_times for timed races)."""

from django import template

from activities import race_times

register = template.Library()


def _figure(value):
    """168 for a count stored as 168.00, 9.5 for 9.50: the figure as the referee wrote it down."""
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.normalize())


@register.filter
def result_in(value, event):
    """5分32.18秒 in a timed race; elsewhere the figure and the event's unit (185 个)."""
    if value is None:
        return ""
    if event.is_timed:
        return race_times.shown(value)
    return f"{_figure(value)} {event.result_unit}".strip()


@register.filter
def result_typed(value, event):
    """What the results form's box shows for a saved result: 5:32.18 in a timed race."""
    if value is None:
        return ""
    return race_times.typed(value) if event.is_timed else _figure(value)
