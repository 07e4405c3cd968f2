"""Form fields render the way browsers and people read them."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.validators import MinValueValidator

from core.forms import BootstrapFormMixin, ChooseAgainMixin, offer_units


class DayForm(BootstrapFormMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def test_a_date_box_shows_its_date_in_the_iso_form_browsers_accept_in_the_chinese_ui():
    # zh-hans' first input format is 2026/12/01, which a type=date box silently drops.
    html = str(DayForm(initial={"day": datetime.date(2026, 12, 1)})["day"])
    assert 'value="2026-12-01"' in html


class NamedForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(max_length=5, help_text="姓名，最多5个字")


def test_a_fields_help_and_errors_are_the_elements_its_description_names():
    """Django names the help text and the errors in the box's aria-describedby; a screen reader reads
    them with the box only if the shared template gives them those ids."""
    import re

    from django.template.loader import render_to_string

    html = render_to_string("includes/form_fields.html", {"form": NamedForm({"name": "太长的一个名字"})})
    described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
    assert described == ["id_name_helptext", "id_name_error"]
    for element_id in described:
        assert f'id="{element_id}"' in html


class NoteForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField()
    body = forms.CharField(widget=forms.Textarea)


def test_control_characters_pasted_into_a_form_are_dropped_and_words_line_breaks_kept_where_lines_may_be():
    """Word's line break pastes as a vertical tab, its page break as a form feed; a chat or a PDF leaves bells
    and escapes. Stored, they showed as boxes on the pages."""
    form = NoteForm({"title": "加强\x0b思想\x07引领\x1b", "body": "第一行\x0b第二行\x0c第三行\t完\x7f"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "加强思想引领", "body": "第一行\n第二行\n第三行\t完"}


def test_bidi_overrides_are_dropped_so_a_title_reads_as_typed():
    form = NoteForm({"title": "提案\u202e一号\u202c", "body": "\u2067第一行\u2069"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "提案一号", "body": "第一行"}


def test_noncharacters_are_dropped_and_a_title_of_nothing_but_zero_width_spaces_is_missing():
    """U+FFFF and lone surrogates cannot go into a .docx or an .xlsx; a title of zero-width spaces looks empty
    on every page, so it is refused as an empty one is."""
    form = NoteForm({"title": "本月\uffff计划\ud800", "body": "第一行\ufffe"})
    assert form.is_valid() and form.cleaned_data == {"title": "本月计划", "body": "第一行"}
    form = NoteForm({"title": "\u200b\u200b \ufeff", "body": "正文"})
    assert not form.is_valid() and form.errors["title"] == ["这个字段是必填项。"]
    assert "is-invalid" in str(form["title"])


def test_a_password_keeps_every_character_it_was_typed_with(zhuxi):
    from portal.forms import PasswordForm

    form = PasswordForm(zhuxi, {"new_password1": "Gh\x07-2026-会员!", "new_password2": "Gh\x07-2026-会员!"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["new_password1"] == "Gh\x07-2026-会员!"


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "unit", units)


def _offered(form):
    return [label for value, label in form.fields["unit"].choices if value]


@pytest.mark.django_db
def test_a_unit_choice_offers_the_units_nearest_the_top_and_the_one_chosen(
    units, monkeypatch, django_assert_max_num_queries
):
    """A province's 100,000 units are not one <select>: the nearest UNIT_OPTIONS are offered (shallowest
    first, shown in tree order), with the unit already chosen, and any unit of the subtree is accepted."""
    from core import forms as core_forms
    from orgs.models import OrgUnit

    monkeypatch.setattr(core_forms, "UNIT_OPTIONS", 3)
    county = OrgUnit.objects.filter(path__startswith=units["county"].path)
    form = UnitForm(units=county)
    with django_assert_max_num_queries(2):  # the options, and the one chosen when it is not among them
        assert _offered(form) == ["清河县总工会", "城关镇中心学校工会", "县教育局机关工会"]
    assert "较上层的 3 个" in form.fields["unit"].help_text
    # Chosen before (an edit) or just submitted: offered too, so the page keeps it.
    edit = UnitForm(units=county, initial={"unit": units["g2"]})
    assert _offered(edit) == ["清河县总工会", "城关镇中心学校工会", "西街完小工会小组", "县教育局机关工会"]
    sent = UnitForm({"unit": units["g1"].pk}, units=county)
    assert sent.is_valid() and sent.cleaned_data["unit"] == units["g1"]
    assert "东关完小工会小组" in _offered(sent)
    # Outside the subtree: refused, and not offered.
    outside = UnitForm({"unit": units["other"].pk}, units=county)
    assert not outside.is_valid() and "邻县总工会" not in _offered(outside)
    assert _offered(UnitForm({"unit": "x"}, units=county)) == _offered(form)


@pytest.mark.django_db
def test_a_unit_choice_with_room_for_every_unit_offers_them_all_without_a_note(units):
    from orgs.models import OrgUnit

    form = UnitForm(units=OrgUnit.objects.filter(path__startswith=units["school"].path))
    assert _offered(form) == ["城关镇中心学校工会", "东关完小工会小组", "西街完小工会小组"]
    assert form.fields["unit"].help_text == ""


class TargetModelForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        from plans.models import Target

        model = Target
        fields = ["name", "measure", "op", "value"]


@pytest.mark.django_db
def test_a_models_own_clean_marks_the_box_it_names_as_a_fields_error_does():
    """A ModelForm hands the model's clean() errors over as one dict: each box it names is marked red too."""
    form = TargetModelForm({"name": "入会率", "measure": "%", "op": ">=", "value": "150"})
    assert not form.is_valid() and form.errors["value"] == ["百分比不能大于100。"]
    assert 'class="form-control is-invalid"' in str(form["value"])
    assert "is-invalid" not in str(form["name"])


def test_a_form_shown_again_lists_what_to_fix_at_its_top_each_a_link_to_its_box():
    """On a phone the first error may be a screen below the button; the list at the top (focused by
    core/gonghui.js) says what to fix and leads to each box."""
    from django.template.loader import render_to_string

    form = NoteForm({"title": "", "body": ""})
    html = render_to_string("includes/form_fields.html", {"form": form})
    summary = html[html.index("data-error-summary") : html.index("</div>", html.index("<ul"))]
    assert '<a class="alert-link" href="#id_title">Title</a>' in summary
    assert '<a class="alert-link" href="#id_body">Body</a>' in summary
    assert "data-error-summary" not in render_to_string("includes/form_fields.html", {"form": NoteForm()})


def test_every_product_form_says_a_too_long_text_in_plain_words_in_both_languages():
    """Django's own message (确保该变量包含不超过…字符) speaks of a variable; every form with Bootstrap's
    classes says how many characters are allowed and how many were typed."""
    from django.utils import translation

    with translation.override("zh-hans"):
        form = NamedForm({"name": "太长的一个名字"})
        assert form.errors["name"] == ["最多5个字，现在是7个。"]
    with translation.override("en"):
        form = NamedForm({"name": "太长的一个名字"})
        assert "变量" not in form.errors["name"][0] and "5" in form.errors["name"][0] and "7" in form.errors["name"][0]


class AmountForm(BootstrapFormMixin, forms.Form):
    amount = forms.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    people = forms.IntegerField(min_value=1, max_value=500, required=False)


def test_every_product_form_says_a_number_out_of_bounds_in_plain_words_in_both_languages():
    """Django's own words end in an ASCII full stop and speak of digits (确认小数不超过 2 位.) or read as
    an assertion (确保该值大于或等于0): what bangfu met typing 1.234 yuan of aid or -5 people."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert AmountForm({"amount": "1.234"}).errors["amount"] == ["最多保留2位小数。"]
        assert AmountForm({"amount": "12345.5"}).errors["amount"] == ["数太大：整数部分最多4位，请核对。"]
        assert AmountForm({"amount": "-1", "people": "-5"}).errors == {
            "amount": ["不能小于0。"],
            "people": ["不能小于1。"],
        }
        assert AmountForm({"amount": "1", "people": "9999"}).errors == {"people": ["不能大于500。"]}
    with translation.override("en"):
        errors = AmountForm({"amount": "1.234", "people": "-5"}).errors
        assert errors["amount"] == ["At most 2 decimal places."]
        assert errors["people"] == ["Must not be less than 1."]


def test_a_fields_own_words_for_a_number_are_kept():
    class FenForm(BootstrapFormMixin, forms.Form):
        amount = forms.DecimalField(decimal_places=2, error_messages={"max_decimal_places": "到分。"})

    assert FenForm({"amount": "1.234"}).errors["amount"] == ["到分。"]
    form = AmountForm({"amount": "1", "people": "0"})
    form.fields["people"].validators = [MinValueValidator(1, "至少1人。")]  # given after the form was made
    assert form.errors["people"] == ["至少1人。"]


def test_a_bound_set_on_the_model_is_said_in_plain_words_once():
    """bangfu typing an insured age of 300 met the model's own bound in Django's words (确保该值小于或等于120。);
    40000 would have been told that and the database's range of a small integer as well."""
    from django.utils import translation

    from care.forms import ProductEditForm

    terms = {"name": "女职工安康互助保险", "insurer": "市职工互助会", "premium": "50", "min_age": "18"}
    with translation.override("zh-hans"):
        assert ProductEditForm({**terms, "max_age": "300"}).errors == {"max_age": ["不能大于120。"]}
        assert ProductEditForm({**terms, "max_age": "40000"}).errors == {"max_age": ["不能大于120。"]}
        assert ProductEditForm({**terms, "min_age": "-1", "max_age": "60"}).errors == {"min_age": ["不能小于0。"]}
        assert ProductEditForm({**terms, "max_age": "60"}).is_valid()
    with translation.override("en"):
        assert ProductEditForm({**terms, "max_age": "300"}).errors == {"max_age": ["Must not be more than 120."]}


def test_a_services_refusal_beside_its_field_does_not_name_the_field_again():
    from core.errors import Refusal
    from core.forms import add_service_error

    form = NamedForm({"name": "王芳"})
    form.fields["name"].label = "姓名"
    form.is_valid()
    add_service_error(form, Refusal("姓名：已登记。", field="name"))
    add_service_error(form, Refusal("姓名不像姓名：请核对。", field="name"))  # not the label and a mark: kept
    add_service_error(form, Refusal("姓名：请核对。"))  # on the form: nothing to read twice
    assert form.errors["name"] == ["已登记。", "姓名不像姓名：请核对。"]
    assert form.non_field_errors() == ["姓名：请核对。"]


class TermForm(forms.Form):
    starts_on = forms.DateField()
    ends_on = forms.DateField()


def _term_checks():
    """Three independent checks of a term: two refuse, on their fields; one passes."""
    from core.errors import Refusal

    def ends_after_start():
        raise Refusal("终止日期应晚于起始日期。", field="ends_on")

    def not_after_today():
        raise Refusal("日期不能晚于今天。", field="starts_on")

    def fine():
        return None

    return ends_after_start, fine, not_after_today


def test_refusals_raised_together_are_each_shown_beside_their_own_field():
    from core.errors import Refusal, refuse_together
    from core.forms import add_service_error

    form = TermForm({"starts_on": "2099-01-01", "ends_on": "2098-01-01"})
    form.is_valid()
    with pytest.raises(Refusal) as refused:
        refuse_together(*_term_checks())
    add_service_error(form, refused.value)
    assert form.errors == {"ends_on": ["终止日期应晚于起始日期。"], "starts_on": ["日期不能晚于今天。"]}
    assert refused.value.field == "ends_on"  # a caller that shows one shows the first


def test_refusals_together_with_one_about_the_records_state_go_above_the_page(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    from core.errors import Refusal, refuse_together
    from core.forms import refusal_on_form

    def signed_already():
        raise Refusal("合同已经签订。")

    request = rf.post("/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    form = TermForm({"starts_on": "2027-01-01", "ends_on": "2026-01-01"})
    form.is_valid()
    with pytest.raises(Refusal) as refused:
        refuse_together(_term_checks()[0], signed_already)
    assert refusal_on_form(request, form, refused.value) is False
    assert [str(m) for m in get_messages(request)] == ["合同已经签订。"]


def test_nothing_refused_raises_nothing():
    from core.errors import refuse_together

    assert refuse_together(lambda: None, lambda: None) is None


class RuleForm(BootstrapFormMixin, forms.Form):
    """As assessments' criterion form and finance's budget form do: fields added once the form is built."""

    title = forms.CharField(max_length=10)
    size = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"] = forms.ChoiceField(choices=[("", "无"), ("filed", "按时报备")], required=False)
        self.fields["amount"] = forms.DecimalField(min_value=0, max_digits=6, decimal_places=2)


def test_a_field_added_after_the_form_is_built_is_drawn_and_refused_as_a_declared_one():
    """The criterion form's choice of scoring rule was the browser's bare select, and a budget line's
    refused amount was not outlined: the classes were given when the form was built, before these fields
    were added."""
    form = RuleForm()
    assert 'class="form-select"' in str(form["rule"])
    assert 'class="form-control"' in str(form["amount"])
    assert 'class="form-control form-control-sm"' in str(form["size"])  # a form's own classes are kept

    form = RuleForm({"title": "一" * 11, "size": "大", "rule": "nonsense", "amount": "-1.234"})
    assert not form.is_valid()
    assert 'class="form-select is-invalid"' in str(form["rule"])
    assert 'class="form-control is-invalid"' in str(form["amount"])
    assert "is-invalid" not in str(form["size"])
    # Said in plain words too, as a declared field's bounds are.
    assert form.errors["amount"] == ["不能小于0。", "最多保留2位小数。"]
    assert form.errors["title"] == ["最多10个字，现在是11个。"]


class ScanForm(ChooseAgainMixin, BootstrapFormMixin, forms.Form):
    choose_again = "请重新选择“%(name)s”"
    title = forms.CharField()
    scan = forms.FileField(help_text="PDF 或照片")

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        if scan.name.endswith(".exe"):
            raise forms.ValidationError("只能上传 PDF 或照片。")
        return scan


def test_a_form_shown_again_asks_for_its_file_again_unless_the_file_itself_was_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = ScanForm({"title": ""}, {"scan": SimpleUploadedFile("合同.pdf", b"%PDF-1.4")})
    assert not form.is_valid()
    assert form.fields["scan"].help_text == "请重新选择“合同.pdf”"  # the title was missing: the same file again

    form = ScanForm({"title": "合同"}, {"scan": SimpleUploadedFile("setup.exe", b"MZ")})
    assert not form.is_valid() and form.errors["scan"] == ["只能上传 PDF 或照片。"]
    assert form.fields["scan"].help_text == "PDF 或照片"  # not asked to choose the refused file again


class CountForm(BootstrapFormMixin, forms.Form):
    people = forms.IntegerField(min_value=0)
    score = forms.DecimalField(max_digits=5, decimal_places=2)
    note = forms.CharField(required=False)


def test_numbers_typed_with_full_width_keys_are_read_as_the_numbers_they_are():
    """The Chinese input method in full-width mode types ８５．５ and －３: Django called them not numbers."""
    form = CountForm({"people": "１２", "score": "８５．５", "note": "第１组"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"people": 12, "score": Decimal("85.5"), "note": "第１组"}  # text is left as typed
    form = CountForm({"people": "－３", "score": "９９"})
    assert not form.is_valid() and form.errors["people"] == ["不能小于0。"]
    assert 'value="-3"' in str(form["people"])  # shown back as it was read
