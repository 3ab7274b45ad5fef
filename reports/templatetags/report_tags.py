from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """A rate as a percentage; a rate with nothing to divide by is "—", never 0% or an error."""
    return "—" if value is None else f"{float(value) * 100:.1f}%"


@register.filter
def delta(current, previous) -> str:
    """Change of a rate against last month, in percentage points."""
    if current is None or previous is None:
        return ""
    points = (float(current) - float(previous)) * 100
    return f"{points:+.1f} pt"
