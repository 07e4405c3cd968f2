import unicodedata

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.cleaning import without_controls
from core.errors import Refusal

# A province has 100,000 units. A form's choice of unit offers the UNIT_OPTIONS nearest the top of the
# user's subtree (by depth, shown in tree order) and the one already chosen, not a <select> of every
# unit (7 s to build at 1,000,000 members); what is submitted is still checked against all of them.
# A form that must reach any unit of a federation (routing, targets) uses orgs.picker.UnitPicker instead.
UNIT_OPTIONS = 300


# Django's words for a number out of bounds: 确认小数不超过 2 位. ends in an ASCII full stop and speaks
# of digits; 确保该值大于或等于0 reads as a programmer's assertion. A field's own words (MoneyField's
# 到分, a bound's validator given its message) are kept.
NUMBER_MESSAGES = {
    "max_decimal_places": gettext_lazy("最多保留%(max)s位小数。"),
    "max_digits": gettext_lazy("数太大或位数太多：最多%(max)s位数字，请核对。"),
    "max_whole_digits": gettext_lazy("数太大：整数部分最多%(max)s位，请核对。"),
}
BOUND_MESSAGES = {
    MinValueValidator: gettext_lazy("不能小于%(limit_value)s。"),
    MaxValueValidator: gettext_lazy("不能大于%(limit_value)s。"),
}


def plain_bounds(field, model_field=None):
    """``field``'s numbers out of bounds said as NUMBER_MESSAGES and BOUND_MESSAGES say them. A bound is
    said by its validator (error_messages by code would also override a message given to one later).

    A bound set on the model (``model_field``'s validators, e.g. an insured age of at most 120) is checked
    by the model only after the form, in Django's words; the form field checks it first, in these, and
    the model then leaves alone a field the form refused. Of two plain bounds of a kind only the stricter
    is kept, so that 40000 is not told both 不能大于120 and the database's 不能大于32767."""
    for code, message in NUMBER_MESSAGES.items():
        field.error_messages.setdefault(code, message)
    field.validators[:] = [_plain_bound(v) or v for v in field.validators]
    for validator in getattr(model_field, "validators", ()):
        plain = _plain_bound(validator)
        if plain is None or any(_implies(kept, plain) for kept in field.validators):
            continue
        field.validators[:] = [v for v in field.validators if not (_is_plain(v) and _implies(plain, v))]
        field.validators.append(plain)


def _plain_bound(validator):
    """A Min/MaxValueValidator left with Django's message, as one with BOUND_MESSAGES'; else None."""
    kind = type(validator)
    if kind in BOUND_MESSAGES and validator.message == kind.message:
        return kind(validator.limit_value, BOUND_MESSAGES[kind])
    return None


def _is_plain(validator):
    return type(validator) in BOUND_MESSAGES and validator.message == BOUND_MESSAGES[type(validator)]


def _implies(a, b):
    """Does bound ``a`` refuse all that bound ``b`` refuses (so that ``b`` could only say it again)?"""
    if type(a) is not type(b) or type(a) not in BOUND_MESSAGES:
        return False
    if callable(a.limit_value) or callable(b.limit_value):
        return a == b
    return a.limit_value <= b.limit_value if isinstance(a, MaxValueValidator) else a.limit_value >= b.limit_value


class PlainLengths:
    """Too long a text told in the words people use: Django's own message reads 确保该变量包含不超过…字符,
    and 变量 (a variable) is a programmer's word; so are its words for numbers (NUMBER_MESSAGES). Every
    BootstrapFormMixin form has it; a form without Bootstrap's classes mixes it in itself. Applied when the
    form validates, so a field the form adds after it is built (a box per budget line) is told so too."""

    def full_clean(self):
        model = getattr(getattr(self, "instance", None), "_meta", None)  # a ModelForm's model (Model._meta API)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = gettext_lazy("最多%(limit_value)s个字，现在是%(show_value)s个。")
            if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
                plain_bounds(field, _model_field(model, name))
        super().full_clean()


def _model_field(meta, name):
    """The model's field behind a ModelForm's field ``name``, or None (a form's own field, a plain form)."""
    if meta is None:
        return None
    try:
        return meta.get_field(name)
    except FieldDoesNotExist:
        return None


class ChooseAgainMixin:
    """Asks, beside each file field, to choose the file again when the form comes back (refused, or to
    confirm something): a browser cannot keep a chosen file in the page shown again, and the officer
    would save the record without it, unaware. A bound form is shown again only then (a saved one
    redirects), so being bound with a file is enough to say so; a file that was itself refused (its kind,
    its size) is not asked for again: its error says to choose another. ``choose_again`` is the form's
    words for it, with ``%(name)s`` for the file's name where it names it."""

    choose_again = None  # each form says it in its own words (照片, 凭证)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked as the form is built: a form shown again beside another that was refused may never
        # be validated itself.
        for name in self._chosen_files():
            self.fields[name].help_text = self.choose_again % {"name": self.files[self.add_prefix(name)].name}

    def full_clean(self):
        super().full_clean()
        for name in self._chosen_files():
            if name in self.errors:  # the file itself was refused: its error says to choose another
                self.fields[name].help_text = getattr(self.base_fields.get(name), "help_text", "")

    def _chosen_files(self):
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField) and self.files.get(self.add_prefix(name))
        ]


NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


class HalfWidthBoundField(BoundField):
    """Reads a number typed with the Chinese input method's full-width keys (８５．５, －３, １，２８０) as
    the half-width number it is; Django refused it as not a number, and the officer saw nothing wrong."""

    @property
    def data(self):
        data = super().data
        if isinstance(data, str) and isinstance(self.field, NUMBER_FIELDS):
            return unicodedata.normalize("NFKC", data)
        return data


class StyledBoundField(HalfWidthBoundField):
    """A field as BootstrapFormMixin draws it: Bootstrap's class for its kind of box, unless the form gave
    the box classes of its own (a small select, a check box, "" for none), and outlined in red when the
    field has errors, whichever step found them (its validation, a model's clean(), a service's refusal).
    Decided as the box is drawn, so a field a form adds or replaces once it is built (a choice of scoring
    rules, a box per budget line) looks as a declared one does; styled when the form was built, those
    were the browser's bare boxes, and a refused one was not outlined."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = attrs.get("class", widget.attrs.get("class"))
        if classes is None:
            classes = _bootstrap_class(widget)
        if self.errors and "is-invalid" not in classes.split():
            classes = f"{classes} is-invalid".strip()
        if classes:
            attrs["class"] = classes
        return attrs


def _bootstrap_class(widget):
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


class BootstrapFormMixin(PlainLengths):
    """Draws every box with Bootstrap's classes and marks the fields that failed validation, reads
    full-width numbers (StyledBoundField); says too long a text plainly (PlainLengths)."""

    bound_field_class = StyledBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                # A date box takes only ISO dates; the Chinese locale's first format (2026/12/01) would
                # leave it empty when the form shows an initial or submitted date.
                widget.format = "%Y-%m-%d"

    def clean(self):
        # Every text field of the product's forms, less control characters pasted in with it (a
        # vertical tab for Word's line break, a bell): stored, they showed as boxes on the pages. Not a
        # password: it must stay what the login form will be given.
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            widget = getattr(field, "widget", None)
            if isinstance(value, str) and not isinstance(widget, forms.PasswordInput):
                cleaned[name] = without_controls(value, lines=isinstance(widget, forms.Textarea))
                if value and not cleaned[name] and getattr(field, "required", False):  # only zero-width spaces
                    self.add_error(name, field.error_messages["required"])
        return cleaned


def add_service_error(form, error):
    """Show a service's refusal (an error with ``message`` and an optional ``field``) on the field it
    names, or on the form, so the page keeps the input and says what is wrong where."""
    for each in _each(error):
        field = each.field if getattr(each, "field", None) in form.fields else None
        form.add_error(field, _at_field(form, field, each.message))


def _each(error):
    """The refusals ``error`` stands for (a core.errors.Refusal with those raised together with it)."""
    return error.each() if isinstance(error, Refusal) else [error]


def _at_field(form, name, message):
    """A service's message, less the field's label it begins with (身份证号：…, said so for the
    sheets and the API): beside the box, and in the summary that names the box, the label read twice."""
    if name is None:
        return message
    message, label = str(message), str(form.fields[name].label or "")
    for mark in ("：", ": ", ":"):
        if label and message.lower().startswith(label.lower() + mark):
            rest = message[len(label) + len(mark) :].lstrip()
            return rest[:1].upper() + rest[1:]  # English: "ID number: this household …" starts a sentence
    return message


def refusal_on_form(request, form, error) -> bool:
    """Show a service's refusal on the field of ``form`` it names, and return True; a refusal that names
    none of its fields is about the record's state (closed, signed, fixed since the page was opened),
    which may no longer show the form at all: it goes above the page (messages), and this returns False."""
    refused = _each(error)
    about_state = [each for each in refused if getattr(each, "field", None) not in form.fields]
    for each in about_state:
        messages.error(request, each.message)
    if about_state:
        return False
    for each in refused:
        form.add_error(each.field, _at_field(form, each.field, each.message))
    return True


class _NearestUnits(ModelChoiceIterator):
    """A unit field's options: the UNIT_OPTIONS units nearest the top, and the one chosen (see offer_units)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = list(self.queryset.order_by("depth", "path")[:UNIT_OPTIONS])
        chosen = str(self.field.chosen_unit() or "")
        # isdecimal, not isdigit: "²" is a digit no int() reads; the field itself says it is not a choice.
        if chosen.isascii() and chosen.isdecimal() and all(str(unit.pk) != chosen for unit in units):
            units += list(self.queryset.filter(pk=chosen))
        for unit in sorted(units, key=lambda unit: unit.path):
            yield self.choice(unit)

    def __len__(self):
        return sum(1 for _choice in self)


def offer_units(form, name, units):
    """Let ``form``'s unit field ``name`` take any of ``units``, offering the nearest UNIT_OPTIONS of
    them and the one chosen (submitted, or the initial one), with a note when there are more."""
    field = form.fields[name]
    field.iterator = _NearestUnits
    field.chosen_unit = lambda: _chosen(form, name)  # read when the options are listed, after __init__
    field.queryset = units  # sets the widget's choices from the iterator
    if units.order_by()[UNIT_OPTIONS : UNIT_OPTIONS + 1].exists():
        note = _("单位较多，这里只列出较上层的 %(count)s 个；更下层单位的记录请由该单位的工会登记。") % {
            "count": UNIT_OPTIONS
        }
        field.help_text = f"{field.help_text} {note}".strip()


def _chosen(form, name):
    if form.is_bound:
        return form.data.get(form.add_prefix(name))
    value = form.get_initial_for_field(form.fields[name], name)
    return getattr(value, "pk", value)
