"""The pieces of a queue's row written in Python (complaints' and proposals' `*_rows` template tags).

A queue shows 25 rows of ten cells each; through the template engine each row was some forty nodes
(variables, filters, `{% url %}`, `{% blocktranslate %}`), half the time of the page. The rows are
therefore written by a function for each kind, from these pieces, with the markup the templates
had: every text escaped once, here."""

from __future__ import annotations

from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _


def text(value) -> str:
    """Any value as escaped text (what `{{ value }}` writes for text that is not marked safe)."""
    return escape(str(value))


def local_minute(moment) -> str:
    """`{{ moment|date:"Y-m-d H:i" }}`: the moment in the site's time zone, to the minute."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def select_cell(number: str) -> str:
    """The check box that puts a case into the queue's bulk-action form."""
    label = _("Select %(number)s") % {"number": number}
    return (f'<td><input type="checkbox" name="cases" value="{text(number)}" form="bulk-form" '
            f'aria-label="{text(label)}"></td>')


def state_cell(case) -> str:
    return f'<td><span class="badge state-{text(case.state)}">{text(case.get_state_display())}</span></td>'
