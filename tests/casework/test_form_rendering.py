"""Labels and inputs are written in Python (casework.form_rendering) for speed; what they write must
be what Django's own templates write, character for character, whatever a person typed into a field
or a form gives as attributes and labels — escaping included."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.form_rendering import PlainFormRenderer
from complaints.forms import IntakeForm, QueueFilterForm

DJANGO, PLAIN = DjangoTemplates(), PlainFormRenderer()
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
attr_names = st.sampled_from(["id", "class", "maxlength", "placeholder", "aria-describedby", "data-x", "<b>"])
attr_values = st.one_of(text, st.booleans(), st.integers(), text.map(mark_safe))
WIDGETS = [forms.TextInput, forms.EmailInput, forms.NumberInput, forms.DateInput, forms.HiddenInput,
           forms.PasswordInput, forms.URLInput, forms.SearchInput, forms.TelInput, forms.ColorInput,
           forms.TimeInput, forms.DateTimeInput, forms.CheckboxInput, forms.Textarea]


@settings(max_examples=300, deadline=None)
@given(widget_class=st.sampled_from(WIDGETS), name=text, value=st.one_of(st.none(), text, text.map(mark_safe),
       st.integers(), st.booleans()), attrs=st.dictionaries(attr_names, attr_values, max_size=4))
def test_a_widget_is_written_as_djangos_template_writes_it(widget_class, name, value, attrs):
    widget = widget_class(attrs=attrs)
    assert widget.render(name, value, renderer=PLAIN) == widget.render(name, value, renderer=DJANGO)


@settings(max_examples=200, deadline=None)
@given(label=st.one_of(text, text.map(mark_safe)), suffix=st.sampled_from([None, "", ":", "：", "<"]),
       auto_id=st.sampled_from(["id_%s", "", False]), attrs=st.dictionaries(attr_names, attr_values, max_size=3),
       tag=st.sampled_from([None, "legend"]))
def test_a_label_is_written_as_djangos_template_writes_it(label, suffix, auto_id, attrs, tag):
    def bound(renderer):
        form = forms.Form(auto_id=auto_id, renderer=renderer)
        form.fields["field"] = forms.CharField(label=label)
        return form["field"].label_tag(attrs=attrs, label_suffix=suffix, tag=tag)

    assert bound(PLAIN) == bound(DJANGO)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class, data", [
    (QueueFilterForm, {"q": '"<王>"', "received_from": "2026-11-01", "received_to": "x", "overdue": "on"}),
    (QueueFilterForm, None),
    (IntakeForm, {"customer_name": "李娜 <script>", "customer_phone": "138", "subject": "&amp;"}),
    (IntakeForm, None),
])
def test_the_apps_forms_look_the_same_either_way(form_class, data):
    """The queue's filters and the intake form, empty and with errors, as a page draws them."""
    def drawn(renderer):
        form = form_class(data, renderer=renderer)
        form.is_valid() if data is not None else None
        return [(str(field.label_tag()), str(field)) for field in form]

    assert drawn(PLAIN) == drawn(DJANGO)
