import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from commentaries import events
from commentaries.editorial import permissions, preview, revisions, services
from commentaries.editorial.forms import CommentaryAdminForm
from commentaries.models import SEARCH_CONFIG, Authorship, Commentary, KeyPoint, Series
from config.rich_text import RichTextAdminMixin


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "is_primary"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "publisher"]


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


class AuthorshipInline(RichTextAdminMixin, admin.StackedInline):
    model = Authorship
    rich_text_fields = ["bio"]
    extra = 0
    fields = ["position", "author", "position_title", "affiliation", "bio"]
    autocomplete_fields = ["author"]
    ordering = ["position"]


class StatusFilter(admin.SimpleListFilter):
    """Status, with scheduled pieces (published, time still to come) told apart."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("public", "Published and public"),
            ("withdrawn", "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.live().filter(published_at__gt=timezone.now())
            case "public":
                return queryset.published()
            case "draft" | "review" | "withdrawn" as status:
                return queryset.filter(status=status)
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        """From the first publication time's year to the last's: two index lookups, where
        the distinct years would take a scan of the archive."""
        span = Commentary.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_at__year=int(self.value()))
        return queryset


class TopicFilter(admin.SimpleListFilter):
    """A topic typed (its name or address name), not chosen from a list of every topic."""

    title = "topic"
    parameter_name = "topic"
    template = "admin/commentaries/topic_filter.html"

    def lookups(self, request, model_admin):
        return [(self.value(), self.value())] if self.value() else []

    def has_output(self):
        return True

    def choices(self, changelist):
        others = [
            (name, value)
            for name, values in changelist.params.items()
            if name not in (self.parameter_name, "p")
            for value in (values if isinstance(values, list) else [values])
        ]
        yield {"value": self.value() or "", "others": others}

    def queryset(self, request, queryset):
        if value := (self.value() or "").strip():
            return queryset.filter(Q(tags__slug=value) | Q(tags__name__iexact=value))
        return queryset


class CountingPaginator(Paginator):
    """Counts at most COUNT_LIMIT rows (ten pages), in no particular order: the change list
    never counts the whole archive. Narrow the list with filters or search to go further."""

    COUNT_LIMIT = 1_000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.COUNT_LIMIT].count()


class CommentaryActionForm(ActionForm):
    reason = forms.CharField(
        required=False,
        label="Reason (for withdrawal)",
        widget=forms.TextInput(attrs={"size": 40}),
    )


@admin.register(Commentary)
class CommentaryAdmin(RichTextAdminMixin, VersionAdmin):
    form = CommentaryAdminForm
    rich_text_fields = ["body"]
    action_form = CommentaryActionForm
    actions = ["publish_selected", "withdraw_selected"]
    list_display = ["number", "title", "author_names", "status_label", "publication_time"]
    list_display_links = ["number", "title"]
    list_filter = [StatusFilter, "series", YearFilter, TopicFilter]
    search_fields = [
        "=number",
        "title",
        "authorships__author__family_name",
        "authorships__author__given_name",
    ]
    search_help_text = "A number, or words of the title, text, authors or topics."
    # At 100,000 pieces a full count costs more than the page: neither is made.
    show_full_result_count = False
    paginator = CountingPaginator
    prepopulated_fields = {"slug": ["title"]}
    inlines = [KeyPointInline, AuthorshipInline]
    object_history_template = "admin/commentaries/commentary/object_history.html"
    fieldsets = [
        (None, {"fields": [("series", "number"), "title", "slug"]}),
        (
            "Publication",
            {
                "fields": [
                    ("status", "published_at"),
                    "publication_summary",
                    "withdrawal_reason",
                    "doi",
                ]
            },
        ),
        (None, {"fields": ["body", "summary", "tags", "language", "seen_version"]}),
    ]
    correction_fieldset = (
        "Major correction",
        {
            "fields": ["major_correction", "correction_note"],
            "description": "Only for a change readers should be told about.",
        },
    )

    # Lists and forms

    def get_search_results(self, request, queryset, search_term):
        """A number finds that piece; words go through the search documents (PostgreSQL's
        full-text index), not a scan of titles and names."""
        term = search_term.strip()
        if term.isdigit():
            return queryset.filter(number=int(term)), False
        if term and connection.vendor == "postgresql":
            query = SearchQuery(term, search_type="websearch", config=SEARCH_CONFIG)
            return queryset.filter(search_document__vector=query), False
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("series")
            .prefetch_related(
                Prefetch("authorships", queryset=Authorship.objects.select_related("author"))
            )
        )
        if permissions.can_publish(request.user):
            return queryset
        return queryset.filter(created_by=request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.has_been_public and permissions.can_publish(request.user):
            fieldsets = [*fieldsets, self.correction_fieldset]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = ["publication_summary"]
        if obj is not None and obj.number_is_fixed:
            readonly += ["series", "number"]
        return readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        series = Series.objects.filter(pk=initial.get("series")).first() or Series.objects.first()
        if series is not None:
            initial.setdefault("series", series.pk)
            initial.setdefault("number", services.next_free_number(series))
        return initial

    @admin.display(description="authors")
    def author_names(self, commentary):
        return commentary.byline

    @admin.display(description="status", ordering="status")
    def status_label(self, commentary):
        if commentary.is_scheduled:
            return format_html("<strong>{}</strong>", "Scheduled")
        return commentary.get_status_display()

    @admin.display(description="publication time", ordering="published_at")
    def publication_time(self, commentary):
        return publication_times(commentary.published_at)

    @admin.display(description="schedule")
    def publication_summary(self, commentary):
        if commentary.pk is None:
            return "Set the status to Published and a time in the future to schedule the piece."
        times = publication_times(commentary.published_at)
        if commentary.is_scheduled:
            return format_html("Scheduled: public from {}", times)
        if commentary.is_published():
            return format_html("Public since {}", times)
        return format_html("Not public. Publication time: {}", times)

    # Permissions: enforced here, on the server, whatever the page shows.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        # A number that has been public is never freed for reuse: withdraw instead.
        return allowed and not obj.number_is_fixed and permissions.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    # Saving

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("major_correction"):
            services.commentary_correct(
                commentary=form.instance,
                by=request.user,
                note=form.cleaned_data["correction_note"],
            )
        events.reconcile_on_commit(form.instance.pk)

    # Actions

    @admin.action(
        description="Publish (or schedule) the selected commentaries", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        for commentary in queryset:
            services.commentary_publish(commentary=commentary, by=request.user)
        self.message_user(request, f"Published or scheduled {len(queryset)} commentaries.")

    @admin.action(description="Withdraw the selected commentaries", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(
                request, "Give a reason for the withdrawal; readers see it.", messages.ERROR
            )
            return
        for commentary in queryset:
            services.commentary_withdraw(commentary=commentary, by=request.user, reason=reason)
        self.message_user(request, f"Withdrew {len(queryset)} commentaries.")

    # Extra views: history comparison and preview links

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="commentaries_commentary_compare",
            ),
            path(
                "<path:object_id>/preview-link/",
                view(self.preview_link_view),
                name="commentaries_commentary_preview_link",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        versions = Version.objects.get_for_object_reference(Commentary, object_id).select_related(
            "revision__user"
        )
        extra_context = {"versions": versions, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id):
        commentary = self.commentary_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, commentary):
            raise PermissionDenied
        versions = Version.objects.get_for_object(commentary).select_related("revision__user")
        chosen = [request.GET.get(end, "").strip() for end in ("from", "to")]
        if not all(pk.isdigit() for pk in chosen):
            raise Http404("Choose two versions to compare.")
        older, newer = sorted(
            (get_object_or_404(versions, pk=pk) for pk in chosen),
            key=lambda version: version.revision.date_created,
        )
        return self.object_page(
            request,
            commentary,
            "compare.html",
            title=f"Changes to {commentary.label}",
            older=older,
            newer=newer,
            changes=revisions.compare(older, newer),
        )

    def preview_link_view(self, request, object_id):
        commentary = self.commentary_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        url = request.build_absolute_uri(
            reverse("commentaries:preview", args=[preview.preview_token(commentary)])
        )
        return self.object_page(
            request,
            commentary,
            "preview_link.html",
            title=f"Preview link for {commentary.label}",
            preview_url=url,
            expires=timezone.now() + dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE),
        )

    def commentary_or_404(self, request, object_id):
        commentary = self.get_object(request, unquote(object_id))  # None for a malformed id
        if commentary is None:
            raise Http404("No such commentary.")
        return commentary

    def object_page(self, request, commentary, template, **context):
        """One of the extra admin pages about a commentary, in the admin's frame."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": commentary,
            **context,
        }
        return TemplateResponse(request, f"admin/commentaries/commentary/{template}", context)


def publication_times(moment):
    """A time as editors need it: in Tokyo, and in UTC."""
    tokyo = timezone.localtime(moment)
    utc = moment.astimezone(dt.UTC)
    return format_html(
        "{} <small>({} UTC)</small>",
        tokyo.strftime("%Y-%m-%d %H:%M %Z"),
        utc.strftime("%Y-%m-%d %H:%M"),
    )
