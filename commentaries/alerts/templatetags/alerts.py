from django import template
from django.db.models import Count, Max, Q

from commentaries.alerts import targets
from commentaries.alerts.forms import frequency_choices
from commentaries.alerts.models import Delivery

register = template.Library()


@register.inclusion_tag("includes/subscribe_form.html")
def subscribe_form(obj=None, heading_level=2):
    """The e-mail subscribe form for a page: everything, or the page's series, author or
    topic. It holds nothing per visitor, so cached pages can carry it."""
    follow = targets.follow_value(obj)
    name = getattr(obj, "byline_name", None) or getattr(obj, "name", None)
    return {
        "follow": follow,
        "follow_name": name,
        "choices": frequency_choices(),
        "heading_tag": f"h{heading_level}",
    }


@register.inclusion_tag("alerts/admin/alert_summary.html")
def alert_summary(commentary):
    """How many alerts of a piece went out, and when the last did (its change page)."""
    figures = Delivery.objects.filter(commentary=commentary).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        waiting=Count("pk", filter=Q(sent_at__isnull=True, skipped="")),
        last=Max("sent_at"),
    )
    return figures
