"""Template helpers for the fidelity pages: the sub-navigation, which follows what the user may see."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from brobygger.fidelity import access

register = template.Library()


@register.inclusion_tag("fidelity/_nav.html", takes_context=True)
def fidelity_nav(context):
    request = context["request"]
    user = request.user
    items = []
    if access.can_view_fidelity(user)[0]:
        items += [
            ("fidelity_index", _("Oversikt")),
            ("fidelity_schedule", _("Måleplan")),
            ("fidelity_comparison", _("Sammenligning")),
        ]
    if access.can_view_heatmap(user)[0]:
        items.append(("fidelity_heatmap", _("Varmekart")))
    if access.can_view_scales(user)[0]:
        items.append(("fidelity_scale_list", _("Skalaer")))
    current = request.resolver_match.url_name if request.resolver_match else None
    return {"items": [{"url": reverse(name), "label": label, "current": name == current} for name, label in items]}


@register.filter
def score_class(score):
    """The heat-map class of a score 1-5; an empty cell has none."""
    return f"heat heat--{score}" if score in (1, 2, 3, 4, 5) else "heat heat--none"


@register.filter
def decimal_comma(value):
    """A number the Norwegian way: 3,4."""
    if value is None or value == "":
        return "–"
    return str(value).replace(".", ",")
