from django import template
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from commentaries.alerts import targets
from commentaries.alerts.forms import frequency_choices
from commentaries.alerts.models import Delivery
from commentaries.models import Commentary

register = template.Library()


@register.inclusion_tag("includes/subscribe_form.html", takes_context=True)
def subscribe_form(context, obj=None):
    """The e-mail subscribe form for a page: everything, or the page's series, author or
    topic; on a piece, the reader's pick of its series, first author or first topic. It holds
    nothing per visitor (the page's own path at most), so cached pages can carry it."""
    return {
        "options": follow_options(obj),
        "choices": frequency_choices(),
        "source": context["request"].path,
    }


def follow_options(obj):
    """What the form offers to follow, as (form value, label), the one checked first."""
    if isinstance(obj, Commentary):
        series = obj.series
        return [
            (targets.follow_value(series), _("New pieces in %(name)s") % {"name": series.name}),
            *(
                (targets.follow_value(a), _("New pieces by %(name)s") % {"name": a.byline_name})
                for a in obj.ordered_authors[:1]
            ),
            *(
                (targets.follow_value(t), _("New pieces on %(name)s") % {"name": t.name})
                for t in obj.ordered_topics[:1]
            ),
        ]
    everything = ("all", _("Everything we publish"))
    if obj is None:
        return [everything]
    return [(targets.follow_value(obj), getattr(obj, "byline_name", None) or obj.name), everything]


@register.inclusion_tag("alerts/admin/alert_summary.html")
def alert_summary(commentary):
    """How many alerts of a piece went out, and when the last did (its change page)."""
    figures = Delivery.objects.filter(commentary=commentary).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        waiting=Count("pk", filter=Q(sent_at__isnull=True, skipped="")),
        last=Max("sent_at"),
    )
    return figures
