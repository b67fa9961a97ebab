"""The admin for commentaries and topics. Every view, action, form and inline asks
commentaries.editorial.permissions before it shows or writes anything, the views inherited from
Django and django-reversion included; a piece the user may not see is a 404.
"""

import datetime as dt
import re

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin
from taggit.models import Tag

from authors.models import Author
from commentaries import events
from commentaries.editorial import permissions, preview, revisions, services
from commentaries.editorial.forms import CommentaryAdminForm
from commentaries.models import SEARCH_CONFIG, Authorship, Commentary, KeyPoint, Series
from commentaries.rich_text import RichTextAdminMixin

Status = Commentary.Status
# Database ids as URLs and query strings may carry them; anything else is no id (a 404).
ID = re.compile(r"[0-9]{1,18}")
YEAR = re.compile(r"[0-9]{1,4}")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "is_primary"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "publisher"]


def piece_editable(request, commentary):
    if commentary is None:
        return permissions.can_add(request.user)
    return permissions.can_edit(request.user, commentary)


class PieceInline:
    """An inline of a commentary can be changed exactly when the commentary can."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and piece_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and piece_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and piece_editable(request, obj)


class KeyPointInline(PieceInline, admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


class AuthorshipInline(PieceInline, RichTextAdminMixin, admin.StackedInline):
    model = Authorship
    rich_text_fields = ["bio"]
    extra = 0
    fields = ["position", "author", "position_title", "affiliation", "bio"]
    autocomplete_fields = ["author"]
    ordering = ["position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            # The authors this user may pick are those the autocomplete offers them.
            kwargs["queryset"] = self.admin_site.get_model_admin(Author).get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    """Years of the pieces this user may see or anyone may read."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        """From the first publication time's year to the last's, of the pieces this user may
        see or anyone may read: two index lookups, where the distinct years would take a scan
        of the archive."""
        span = permissions.shown(request.user).aggregate(
            first=Min("published_at"), last=Max("published_at")
        )
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if YEAR.fullmatch(value) and int(value) > 0:
            return queryset.filter(published_at__year=int(value))
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


class CommentaryChangeList(ChangeList):
    """The rows shown: bylines in one query, bodies left behind (a hundred of them were most of
    what the list read: 600 KB, 5 ms). Actions select their pieces afresh, whole."""

    def get_results(self, request):
        self.queryset = self.queryset.with_card_data()
        super().get_results(request)


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
    actions = ["publish_selected", "unpublish_selected", "withdraw_selected"]
    change_list_template = None  # reversion's adds "Recover deleted", which is switched off
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
                    ("status", "published_at", "published_at_set_by_hand"),
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
        if ID.fullmatch(term):  # ASCII digits that fit: "²" and 10**30 are words
            return queryset.filter(number=int(term)), False
        if term and connection.vendor == "postgresql":
            query = SearchQuery(term, search_type="websearch", config=SEARCH_CONFIG)
            return queryset.filter(search_document__vector=query), False
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("series")
        return permissions.visible(request.user, queryset)

    def get_changelist(self, request, **kwargs):
        return CommentaryChangeList

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and permissions.can_correct(request.user, obj):
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
        chosen = str(initial.get("series", ""))
        series = Series.objects.filter(pk=chosen).first() if ID.fullmatch(chosen) else None
        series = series or Series.objects.first()
        if series is not None:
            initial["series"] = series.pk
            # Proposed from what this user may see, so it tells nothing of others' drafts.
            initial.setdefault(
                "number", services.next_free_number(series, permissions.shown(request.user))
            )
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_hand_out_preview"] = obj is not None and permissions.can_publish(
            request.user, obj
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

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
        if commentary.has_been_public or commentary.is_scheduled:
            times = publication_times(commentary.published_at)
            if commentary.is_scheduled:
                return format_html("Scheduled: public from {}", times)
            if commentary.is_published():
                return format_html("Public since {}", times)
            return format_html("Not public now. Dated {}", times)
        if commentary.pk is not None and commentary.published_at_set_by_hand:
            return format_html(
                "Not public. When published it is dated {} (set by hand; a future time "
                "schedules it).",
                publication_times(commentary.published_at),
            )
        return (
            "Not public. When published it is dated the moment it is published, unless you "
            "set a time and tick \u201cuse this publication time\u201d (a future time "
            "schedules it)."
        )

    # Permissions: enforced here, on the server, whatever the page shows.

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_add(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_delete(request.user, obj))

    def lookup_allowed(self, lookup, value, request):
        # Only the list's own filters: a raw lookup such as published_at__year=99999999
        # passes the admin's checks and fails only when the query runs (a 500).
        own = {f.parameter_name for f in self.list_filter if isinstance(f, type)}
        ours = lookup in own or lookup.startswith("series__")
        return ours and super().lookup_allowed(lookup, value, request)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with a message; here it is simply not found, the same
        # for a piece that does not exist as for one this user may not see.
        raise Http404("No such commentary.")

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            if not permissions.can_delete(request.user, obj):
                perms_needed.add(f"{obj.label} (it has been public, or is not yours to delete)")
        return deleted, counts, perms_needed, protected

    # Saving: content through the form, status through the services.

    def save_model(self, request, obj, form, change):
        user = request.user
        target = obj.status
        before = Commentary.objects.get(pk=obj.pk) if change else None
        if before is None:
            if not permissions.can_add(user, target):
                raise PermissionDenied
            obj.created_by = user
        elif not permissions.can_change_status(user, before, target):
            raise PermissionDenied
        obj.status = before.status if before else Status.DRAFT
        obj.updated_by = user
        super().save_model(request, obj, form, change)
        if target != obj.status:
            services.change_status(
                commentary=obj, to=target, by=user, reason=obj.withdrawal_reason
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("major_correction"):
            services.commentary_correct(
                commentary=form.instance,
                by=request.user,
                note=form.cleaned_data["correction_note"],
            )
        events.reconcile_on_commit(form.instance.pk)

    def log_addition(self, request, obj, message):
        notes = reversion.get_comment() if reversion.is_active() else ""
        entry = super().log_addition(request, obj, message)  # sets the revision's comment
        revisions.note(notes)  # and the services' notes follow it
        return entry

    def log_change(self, request, obj, message):
        notes = reversion.get_comment() if reversion.is_active() else ""
        entry = super().log_change(request, obj, message)
        revisions.note(notes)
        return entry

    # Actions: each piece through the services, each its own revision and record.

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin puts the whole list page in one revision; the services make their own.
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def run_action(self, request, queryset, service, done, **kwargs):
        changed = refused = 0
        for commentary in queryset:
            try:
                service(commentary=commentary, by=request.user, **kwargs)
                changed += 1
            except PermissionDenied:
                refused += 1
        self.message_user(request, f"{done} {changed} commentaries.")
        if refused:
            self.message_user(request, f"{refused} could not be changed by you.", messages.ERROR)

    @admin.action(
        description="Publish (or schedule) the selected commentaries", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self.run_action(request, queryset, services.commentary_publish, "Published or scheduled")

    @admin.action(
        description="Unpublish the selected commentaries (back to draft)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self.run_action(request, queryset, services.commentary_unpublish, "Unpublished")

    @admin.action(description="Withdraw the selected commentaries", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(
                request, "Give a reason for the withdrawal; readers see it.", messages.ERROR
            )
            return
        self.run_action(request, queryset, services.commentary_withdraw, "Withdrew", reason=reason)

    # Extra views: history, comparison, restore, preview links; recovery is switched off.

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

    def recoverlist_view(self, request, extra_context=None):
        # django-reversion's recovery writes old rows back as they were (tags, status, number
        # included); deleted drafts are not brought back through the admin.
        raise Http404("Deleted commentaries are not recovered here.")

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404("Deleted commentaries are not recovered here.")

    def history_view(self, request, object_id, extra_context=None):
        commentary = self.commentary_or_404(request, object_id)
        versions = Version.objects.get_for_object(commentary).select_related("revision__user")
        record = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Commentary),
            object_id=str(commentary.pk),
        ).select_related("user")
        extra_context = {"versions": versions, "record": record, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One earlier version, and (POST) restoring its content as a new version."""
        commentary = self.commentary_or_404(request, object_id)
        version = self.version_or_404(commentary, version_id)
        may_restore = permissions.can_restore(request.user, commentary)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            services.commentary_restore(commentary=commentary, version=version, by=request.user)
            self.message_user(
                request,
                "The version's content is back; status and publication times are as they were.",
            )
            return redirect("admin:commentaries_commentary_change", commentary.pk)
        snapshot = revisions.snapshot(version)
        return self.object_page(
            request,
            commentary,
            "revision.html",
            version=version,
            title=f"Version of {commentary.label}",
            version_title=snapshot.pop("Title"),
            parts=[(label, value, isinstance(value, list)) for label, value in snapshot.items()],
            may_restore=may_restore,
        )

    def compare_view(self, request, object_id):
        commentary = self.commentary_or_404(request, object_id)
        chosen = [request.GET.get(end, "").strip() for end in ("from", "to")]
        older, newer = sorted(
            (self.version_or_404(commentary, pk) for pk in chosen),
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
            may_restore=permissions.can_restore(request.user, commentary),
        )

    def preview_link_view(self, request, object_id):
        """Editors hand out preview links (POST) and revoke every link to a piece."""
        commentary = self.commentary_or_404(request, object_id)
        if not permissions.can_publish(request.user, commentary):
            raise PermissionDenied
        url = None
        if request.method == "POST" and "revoke" in request.POST:
            services.preview_links_revoke(commentary=commentary, by=request.user)
            self.message_user(request, "Every preview link to this piece has stopped working.")
            return redirect("admin:commentaries_commentary_preview_link", commentary.pk)
        if request.method == "POST":
            commentary = services.preview_link_issue(commentary=commentary, by=request.user)
            url = request.build_absolute_uri(
                reverse("commentaries:preview", args=[preview.preview_token(commentary)])
            )
        return self.object_page(
            request,
            commentary,
            "preview_link.html",
            title=f"Preview link for {commentary.label}",
            preview_url=url,
            may_issue=permissions.can_hand_out_preview(request.user, commentary),
            expires=timezone.now() + dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE),
        )

    def commentary_or_404(self, request, object_id):
        commentary = self.get_object(request, unquote(object_id))  # None for a malformed id
        if commentary is None or not self.has_view_or_change_permission(request, commentary):
            raise Http404("No such commentary.")
        return commentary

    def version_or_404(self, commentary, version_id):
        found = ID.fullmatch(version_id or "") and (
            Version.objects.get_for_object(commentary)
            .select_related("revision__user")
            .filter(pk=int(version_id))
            .first()
        )
        if not found:
            raise Http404("No such version of this commentary.")
        return found

    def object_page(self, request, commentary, template, **context):
        """One of the extra admin pages about a commentary, in the admin's frame."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": commentary,
            **context,
        }
        return TemplateResponse(request, f"admin/commentaries/commentary/{template}", context)


# taggit's topic admin, with its merge page asking for the permissions merging needs (taggit's
# own lets any staff member in) and the topics listed limited as the filters are.
admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(TagAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.has_change_permission(request):
            return queryset
        return queryset.filter(
            pk__in=permissions.shown(request.user).filter(tags__isnull=False).values("tags")
        )

    def merge_tags_view(self, request):
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        chosen = request.session.get("selected_tag_ids", "").split(",")
        ids = [int(pk) for pk in chosen if ID.fullmatch(pk)]
        existing = Tag.objects.filter(pk__in=ids).values_list("pk", flat=True)
        if not existing:
            self.message_user(request, "Choose the topics to merge first.", messages.ERROR)
            return redirect("admin:taggit_tag_changelist")
        request.session["selected_tag_ids"] = ",".join(map(str, existing))
        return super().merge_tags_view(request)


def publication_times(moment):
    """A time as editors need it: in Tokyo, and in UTC."""
    tokyo = timezone.localtime(moment)
    utc = moment.astimezone(dt.UTC)
    return format_html(
        "{} <small>({} UTC)</small>",
        tokyo.strftime("%Y-%m-%d %H:%M %Z"),
        utc.strftime("%Y-%m-%d %H:%M"),
    )
