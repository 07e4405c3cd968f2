"""What every app's API answers with besides its records."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from ninja import Schema


class Error(Schema):
    """A refusal the request's own data caused (409): ``message`` says why, in the user's language.
    Not 422, which is ninja's answer to input that does not match the schema, in another shape."""

    message: str


def field_refusal(model, field, message):
    """A refusal's ``message`` for the API, led by the name of the ``model``'s field it concerns
    ("延期到：…"): a client has no form to show it beside, and the 409 names no field otherwise."""
    try:
        label = model._meta.get_field(field).verbose_name if field else ""
    except FieldDoesNotExist:
        label = ""
    return _("%(field)s：%(message)s") % {"field": label, "message": message} if label else str(message)
