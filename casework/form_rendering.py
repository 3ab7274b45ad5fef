"""Every form's labels, text boxes, check boxes and text areas written in Python, with the very
markup of Django's own templates (settings.FORM_RENDERER).

Django draws each label and each widget through its template engine: a label is a template and an
include, an input an include of an include and a loop over its attributes. A queue's filter form
(a dozen fields) and its bulk-action form cost a third of the page that way, more than its 25 rows
of cases. The templates below are few and fixed, so they are written here once; any other template
(selects with option groups, multiple inputs, the admin's own widgets) goes to Django's engine as
before. tests/casework/test_form_rendering.py checks that both write the same characters, for any
value, attribute and label."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

# The widgets whose template is `{% include "django/forms/widgets/input.html" %}`.
_INPUTS = {f"django/forms/widgets/{name}.html" for name in (
    "checkbox", "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel", "text",
    "time", "url")}


def attrs_html(attrs: dict | None) -> str:
    """django/forms/attrs.html (and widgets/attrs.html): ` name="value"` for each, bare for True,
    none for False."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_as_string(value)}"')
    return "".join(parts)


def _as_string(value) -> str:
    """`{{ value|stringformat:'s' }}`: text already safe kept as it is, anything else escaped."""
    text = f"{value}"
    return text if isinstance(value, SafeData) else escape(text)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_as_string(widget["value"])}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{value}{attrs_html(widget["attrs"])}>')


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return f"{conditional_escape(context['label'])}"
    tag = conditional_escape(context["tag"])
    return f"<{tag}{attrs_html(context['attrs'])}>{conditional_escape(context['label'])}</{tag}>"


class PlainFormRenderer(DjangoTemplates):
    """Django's template renderer, but for the few templates written out above."""

    def render(self, template_name, context, request=None):
        # Django's renderer strips what a template wrote (its files end with a newline; a label
        # without a tag may be spaces at either end): the same here.
        if template_name in _INPUTS or template_name == "django/forms/widgets/input.html":
            return _input(context["widget"]).strip()
        if template_name == "django/forms/widgets/textarea.html":
            return _textarea(context["widget"]).strip()
        if template_name == "django/forms/label.html":
            return _label(context).strip()
        return super().render(template_name, context, request)
