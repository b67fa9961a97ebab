"""Subscribers for editors: counts per series, author, topic and digest, search by address,
CSV export and removal. The Editors group holds the permissions (migration 0002);
contributors and staff without a group see nothing of it."""

import csv

from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse

from commentaries.alerts import targets
from commentaries.alerts.models import Frequency, SignupRequest, Subscriber, Subscription

CSV_FIELDS = ["email", "consented_at", "source", "disabled_at", "disabled_reason", "follows"]


def follows(subscriber):
    labels = targets.labels(s.target for s in subscriber.subscriptions.all())
    return "; ".join(
        f"{labels.get(s.target, s.target)} ({s.get_frequency_display().lower()})"
        for s in subscriber.subscriptions.all()
    )


class FollowsFilter(admin.SimpleListFilter):
    title = "follows"
    parameter_name = "follows"

    def lookups(self, request, model_admin):
        found = Subscription.objects.values_list("target", flat=True).distinct()
        labels = targets.labels(found)
        return sorted(((t, labels.get(t, t)) for t in found), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(subscriptions__target=self.value()).distinct()
        return queryset


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["target_label", "frequency", "languages", "confirmed_at", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = True

    @admin.display(description="follows")
    def target_label(self, obj):
        return targets.label(obj.target)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "consented_at", "follows", "disabled_at"]
    list_filter = [
        FollowsFilter,
        "subscriptions__frequency",
        ("disabled_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email"]
    readonly_fields = ["email", "consented_at", "source", "created_at"]
    fields = ["email", "consented_at", "source", "created_at", "disabled_at", "disabled_reason"]
    inlines = [SubscriptionInline]
    actions = ["export_csv"]
    change_list_template = "alerts/admin/subscriber_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("subscriptions")

    def has_add_permission(self, request):
        return False  # an address is added only by its owner's confirmation

    @admin.display(description="follows")
    def follows(self, obj):
        return follows(obj)

    # Removing an address or one of its subscriptions closes the confirmation links already
    # sent to it, as the subscriber's own unsubscribe does.
    def delete_model(self, request, obj):
        obj.forget()

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            subscriber.forget()

    def save_formset(self, request, form, formset, change):
        gone = [f.instance.target for f in formset.deleted_forms if f.instance.pk]
        if gone:
            SignupRequest.objects.close(form.instance.email, gone)
        super().save_formset(request, form, formset, change)

    @admin.action(description="Export selected subscribers as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_FIELDS)
        for s in queryset:
            writer.writerow(
                [s.email, s.consented_at, s.source, s.disabled_at, s.disabled_reason, follows(s)]
            )
        return response

    def changelist_view(self, request, extra_context=None):
        counted = (
            Subscription.objects.filter(subscriber__in=Subscriber.objects.active())
            .values("target", "frequency")
            .annotate(n=Count("pk"))
        )
        labels = targets.labels(row["target"] for row in counted)
        counts = {}
        for row in counted:
            label = labels.get(row["target"], row["target"])
            each, weekly = counts.get(label, (0, 0))
            if row["frequency"] == Frequency.WEEKLY:
                weekly += row["n"]
            else:
                each += row["n"]
            counts[label] = (each, weekly)
        extra_context = {
            **(extra_context or {}),
            "counts": sorted(counts.items()),
            "active": Subscriber.objects.active().count(),
        }
        return super().changelist_view(request, extra_context)
