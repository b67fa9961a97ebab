from django import template
from django.db.models import Count, Max, Q

from commentaries.alerts import targets
from commentaries.alerts.forms import frequency_choices
from commentaries.alerts.models import Delivery

register = template.Library()


@register.inclusion_tag("includes/subscribe_form.html", takes_context=True)
def subscribe_form(context, obj=None):
    """The e-mail subscribe form for a page: everything, or the page's series, author or
    topic. It holds nothing per visitor (the page's own path at most), so cached pages can
    carry it."""
    name = getattr(obj, "byline_name", None) or getattr(obj, "name", None)
    return {
        "follow": targets.follow_value(obj),
        "follow_name": name,
        "choices": frequency_choices(),
        "source": context["request"].path,
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
