from django import template

from reports.monthly_tables import percent_text

register = template.Library()


@register.filter
def pct(value) -> str:
    """A rate as a percentage, rounded as the exported files' cells show it (reports.monthly_tables);
    a rate with nothing to divide by is "—", never 0% or an error."""
    return percent_text(value)


@register.filter
def delta(current, previous) -> str:
    """Change of a rate against last month, in percentage points."""
    if current is None or previous is None:
        return ""
    points = (float(current) - float(previous)) * 100
    return f"{points:+.1f} pt"


@register.filter
def points(value) -> str:
    """A satisfaction index (0–100) with one decimal; "—" when there are no answers."""
    return "—" if value is None or value == "" else f"{float(value):.1f}"


@register.filter
def signed_points(value) -> str:
    """A change of the index, in index points."""
    return "—" if value is None or value == "" else f"{float(value):+.1f}"


@register.filter
def mean_score(value) -> str:
    """A mean score 1–5 with two decimals."""
    return "—" if value is None or value == "" else f"{float(value):.2f}"


@register.simple_tag
def campaign_figures(campaign):
    """A campaign's response rate against the 85 % target and its satisfaction index, for the
    campaign page's `satisfaction/_campaign_figures.html`: two queries, whatever the campaign's size."""
    from reports.satisfaction import campaign_index, campaign_response

    return {"response": campaign_response(campaign=campaign), "index": campaign_index(campaign=campaign)}
