from django import forms


class BootstrapFormMixin:
    """Gives every widget Bootstrap's classes and marks the fields that failed validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                # A date box takes only ISO dates; the Chinese locale's first format (2026/12/01) would
                # leave it empty when the form shows an initial or submitted date.
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        # Marked after validation, not in __init__: reading self.errors there would
        # validate the form before subclasses have finished adjusting their fields.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def add_service_error(form, error):
    """Show a service's refusal (an error with ``message`` and an optional ``field``) on the field it
    names, or on the form, so the page keeps the input and says what is wrong where."""
    form.add_error(error.field if getattr(error, "field", None) in form.fields else None, error.message)
