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
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Q
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries import words
from commentaries.addresses import absolute
from commentaries.editorial import permissions, preview, revisions
from commentaries.editorial.bylines import AuthorshipForm
from commentaries.editorial.forms import CommentaryAdminForm
from commentaries.editorial.ordering import OrderedInline, OrderedInlineFormSet
from commentaries.media import admin as media_admin
from commentaries.media.forms import PictureUploadMixin, upload_fields
from commentaries.media.models import Image
from commentaries.models import (
    SEARCH_CONFIG,
    Authorship,
    Commentary,
    KeyPoint,
    Series,
    TopicName,
    names_in_a_row,
)
from commentaries.publishing import services
from commentaries.publishing.services import Action
from commentaries.rich_text import RichTextAdminMixin

Status = Commentary.Status
# Database ids as URLs and query strings may carry them; anything else is no id (a 404).
ID = re.compile(r"[0-9]{1,18}")
YEAR = re.compile(r"[0-9]{1,4}")


class SeriesForm(PictureUploadMixin, forms.ModelForm):
    picture_field = "logo"
    logo_upload, logo_alt_text, logo_credit = upload_fields("logo")

    class Meta:
        model = Series
        fields = ["logo"]  # the admin's `fields` name the rest


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    form = SeriesForm
    list_display = ["name", "publisher", "is_primary"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "publisher"]
    autocomplete_fields = ["logo"]
    readonly_fields = ["logo_preview"]
    fields = [
        "name",
        "slug",
        "publisher",
        "publisher_url",
        "description",
        "disclaimer",
        "is_primary",
        "logo_preview",
        "logo",
        "logo_upload",
        "logo_alt_text",
        "logo_credit",
    ]

    class Media:
        css = {"all": ["media/picker.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    @admin.display(description="Current logo")
    def logo_preview(self, series):
        return media_admin.thumbnail(series.logo)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "logo":
            kwargs["queryset"] = self.admin_site.get_model_admin(Image).get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def piece_editable(request, commentary):
    if commentary is None:
        return permissions.can_add(request.user)
    return permissions.can_edit(request.user, commentary)


class ChangedRowsInlineFormSet(OrderedInlineFormSet):
    """Rows sent back as they were stored are not validated again, as Django would (a query
    for each row's id, its author, its unique pair): an inline nobody touched costs the one
    query that read its rows. A change anywhere in it validates it all, as usual."""

    def full_clean(self):
        if not (self.is_bound and self.management_form.is_valid()) or self.has_changed():
            return super().full_clean()
        for form in self.forms:
            form.cleaned_data, form._errors = {}, ErrorDict()
        self._errors = [form._errors for form in self.forms]
        self._non_form_errors = self.error_class(error_class="nonform", renderer=self.renderer)
        return None

    def rows(self):
        """The rows as they will be saved: the submitted ones, or those stored."""
        if not self.has_changed():
            return [form.instance for form in self.initial_forms]
        kept = [form for form in self.forms if form.cleaned_data]
        return [form.instance for form in kept if not self._should_delete_form(form)]


class PieceInline:
    """An inline of a commentary can be changed exactly when the commentary can."""

    formset = ChangedRowsInlineFormSet

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and piece_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and piece_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and piece_editable(request, obj)


class KeyPointInline(PieceInline, OrderedInline, admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


class AuthorshipInline(PieceInline, OrderedInline, RichTextAdminMixin, admin.StackedInline):
    model = Authorship
    verbose_name, verbose_name_plural = "author", "authors"
    form = AuthorshipForm
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
                return queryset.scheduled()
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


@admin.register(Commentary)
class CommentaryAdmin(RichTextAdminMixin, VersionAdmin):
    form = CommentaryAdminForm
    rich_text_fields = ["body"]
    figure_fields = ["body"]  # pictures in the text, chosen in the picture picker
    autocomplete_fields = ["lead_image"]
    readonly_fields = ["lead_image_preview", "other_editions"]
    actions = ["publish_selected", "unpublish_selected", "withdraw_selected"]
    save_on_top = True
    change_form_template = "admin/commentaries/commentary/change_form.html"

    class Media:
        # the submit row; the list on a phone; thumbnails of pictures
        css = {"all": ["admin-desk/desk.css", "media/picker.css"]}

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
    # The title first and wide; authors and key points follow it (the change form template
    # puts the inlines after this first fieldset), then the text; the rest in a side panel.
    fieldsets = [
        (None, {"fields": ["title"], "classes": ["desk-title"]}),
        (None, {"fields": ["summary", "body", "tags"], "classes": ["desk-text"]}),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image_preview",
                    "lead_image",
                    "lead_image_upload",
                    "lead_image_alt_text",
                    "lead_image_credit",
                    "lead_image_caption",
                ],
                "classes": ["collapse"],
                "description": "Optional. Shown under the title, and when a link to the piece "
                "is shared (otherwise a card with its title is).",
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    ("series", "number"),
                    "slug",
                    "published_at",
                    "planned_at",
                    ("language", "translator"),
                    "other_editions",
                    "doi",
                    "seen_version",
                ],
                "classes": ["desk-publication"],
            },
        ),
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
            query = SearchQuery(words.query(term), search_type="websearch", config=SEARCH_CONFIG)
            return queryset.filter(search_document__vector=query), False
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("series")
        return permissions.visible(request.user, queryset)

    def get_changelist(self, request, **kwargs):
        return CommentaryChangeList

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        title, options = fieldsets[-1]
        if obj is None:  # a new piece: what its first save does, the panel open
            options = {**options, "fields": ["status", *options["fields"]]}
        else:  # a piece's publication details, folded away while writing
            options = {**options, "classes": [*options["classes"], "collapse"]}
        fieldsets = [*fieldsets[:-1], (title, options)]
        if obj is not None and permissions.can_correct(request.user, obj):
            fieldsets = [*fieldsets, self.correction_fieldset]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # A translation keeps its original's series and number.
        if obj is not None and (obj.number_is_fixed or obj.original_id):
            return ["series", "number", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="Editions")
    def other_editions(self, commentary):
        """The work's other editions, linked, the original marked: "Add translation" (the
        object tools) makes more."""
        if commentary.pk is None:
            return "-"
        names = dict(settings.LANGUAGES)
        others = commentary.editions().exclude(pk=commentary.pk).order_by("language")
        links = [
            format_html(
                '<a href="{}">{}{}</a>',
                reverse("admin:commentaries_commentary_change", args=[edition.pk]),
                names.get(edition.language, edition.language),
                " (the original)" if edition.original_id is None else "",
            )
            for edition in others
        ]
        return format_html_join(", ", "{}", ((link,) for link in links)) if links else "-"

    @admin.display(description="Current lead image")
    def lead_image_preview(self, commentary):
        return media_admin.thumbnail(commentary.lead_image)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            # The pictures this user may choose are those the autocomplete offers them.
            kwargs["queryset"] = self.admin_site.get_model_admin(Image).get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _create_formsets(self, request, obj, change):
        # The form's pre-publish checks read the inlines as submitted (key points, bios).
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        request.desk_formsets = formsets
        return formsets, inline_instances

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
        context["may_translate"] = obj is not None and permissions.can_translate(request.user, obj)
        form = context["adminform"].form
        piece = obj or Commentary(status=Status.DRAFT)
        context["desk"] = {
            "state": state_line(piece) if obj else "New piece",
            "actions": services.actions_for(request.user, piece) if obj else [Action.SAVE],
            "findings": form.findings,
            "form": form,
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="authors")
    def author_names(self, commentary):
        return commentary.byline

    @admin.display(description="status", ordering="status")
    def status_label(self, commentary):
        if commentary.is_scheduled:
            return format_html("<strong>{}</strong>", "Scheduled")
        return commentary.get_status_display()

    # The publishing steps: the form names the step, the services take it.

    @admin.display(description="publication time", ordering="published_at")
    def publication_time(self, commentary):
        return publication_times(commentary.published_at)

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

    # Saving: content through the form, its state through one step of the services, in one
    # row write and one transaction (the admin's).

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.formsets = property(lambda _: getattr(request, "desk_formsets", ()))
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        request.desk_findings = form.findings if not change else None
        form.step = request.desk_step = services.prepare(
            obj, form.action, by=request.user, **form.step_params
        )
        if not change:
            return super().save_model(request, obj, form, change)
        # One write of the row: what the form changed and what the step set, so that what
        # reacts to saves (search, caches) knows what moved.
        edited = [name for name in form.changed_data if name in CONCRETE_FIELD_NAMES]
        obj.save(update_fields=[*edited, *services.STATE_FIELDS])
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # The content types a revision names its rows by, in one query rather than one
            # each as it follows the piece's key points, authors and topics.
            ContentType.objects.get_for_models(KeyPoint, Authorship, TaggedItem, Tag)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.conclude(form.instance, form.step, by=request.user)
        if form.cleaned_data.get("major_correction"):
            services.commentary_correct(
                commentary=form.instance,
                by=request.user,
                note=form.cleaned_data["correction_note"],
            )

    def construct_change_message(self, request, form, formsets, add=False):
        """What was edited, in words: "Edited the title, the key points and the topics"."""
        if add:
            return "Started the piece"
        names = [
            str(form.fields[name].label or name).lower()
            for name in form.changed_data
            if name in CONTENT_FIELD_NAMES
        ]
        for formset in formsets:
            if formset.has_changed():
                names.append(str(formset.model._meta.verbose_name_plural))
        names = [f"the {PLAIN_NAMES.get(name, name)}" for name in names]
        return f"Edited {names_in_a_row(names)}" if names else ""

    def log_change(self, request, obj, message):
        if not message:  # a step alone: the services put it on the record
            return None
        notes = reversion.get_comment() if reversion.is_active() else ""
        entry = super().log_change(request, obj, message)
        revisions.note(notes)
        return entry

    def log_addition(self, request, obj, message):
        notes = reversion.get_comment() if reversion.is_active() else ""
        entry = super().log_addition(request, obj, message)  # sets the revision's comment
        revisions.note(notes)  # and the services' notes follow it
        return entry

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_change(request, obj)

    def response_change(self, request, obj):
        """Back to the piece, told in words what happened: "No.411 published"."""
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        step = getattr(request, "desk_step", None)
        self.message_user(
            request, step.message if step else f"{obj.label} saved", messages.SUCCESS
        )
        findings = getattr(request, "desk_findings", None)
        for warning in findings.warnings if findings else []:
            self.message_user(request, warning, messages.WARNING)
        return redirect("admin:commentaries_commentary_change", obj.pk)

    # Actions: each piece through the services, each its own revision and record.

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin puts the whole list page in one revision; the services make their own.
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def run_action(self, request, queryset, action, done, **params):
        """One step on each selected piece, each in its own transaction and record; the
        message counts what changed ("Withdrew 1 commentary")."""
        changed = refused = 0
        for commentary in queryset:
            try:
                services.act(commentary=commentary, action=action, by=request.user, **params)
                changed += 1
            except PermissionDenied:
                refused += 1
        self.message_user(request, f"{done} {changed} {pieces(changed)}.")
        if refused:
            self.message_user(
                request,
                f"{refused} {pieces(refused)} could not be changed by you, or not in "
                "their state: nothing was done to them.",
                messages.WARNING,
            )

    @admin.action(description="Publish the selected commentaries now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.run_action(request, queryset, Action.PUBLISH, "Published")

    @admin.action(
        description="Unpublish the selected commentaries (back to draft)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self.run_action(request, queryset, Action.UNPUBLISH, "Unpublished")

    @admin.action(description="Withdraw the selected commentaries…", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        """Asks for the reason first, on a page of its own, as deleting asks to confirm."""
        form = WithdrawForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            self.run_action(
                request, queryset, Action.WITHDRAW, "Withdrew", reason=form.cleaned_data["reason"]
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Withdraw commentaries",
            "queryset": queryset.select_related("series"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/commentaries/commentary/withdraw.html", context)

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
            path(
                "<path:object_id>/translate/",
                view(self.translate_view),
                name="commentaries_commentary_translate",
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
            url = absolute(
                reverse("commentaries:preview", args=[preview.preview_token(commentary)]), request
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

    def translate_view(self, request, object_id):
        """Add translation: GET asks for the language (a page to confirm on); POST starts the
        edition as a draft and opens it."""
        commentary = self.commentary_or_404(request, object_id)
        if not permissions.can_translate(request.user, commentary):
            raise PermissionDenied
        names = dict(settings.LANGUAGES)
        missing = commentary.missing_languages()
        if request.method == "POST" and request.POST.get("language") in missing:
            translation = services.commentary_translate(
                commentary=commentary, language=request.POST["language"], by=request.user
            )
            self.message_user(
                request,
                f"The {names[translation.language]} edition of {commentary.label} is started as "
                "a draft: translate its title, text and key points.",
            )
            return redirect("admin:commentaries_commentary_change", translation.pk)
        return self.object_page(
            request,
            commentary,
            "translate.html",
            title=f"Add a translation of {commentary.label}",
            languages=[(code, names[code]) for code in missing],
            refused=request.method == "POST",
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


class LanguageChoiceMixin:
    """The language of a name as one of settings.LANGUAGES (the model takes any code, so that
    the setting can change without a migration; clean() holds it to the setting)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            kwargs["widget"] = forms.Select(choices=settings.LANGUAGES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TopicNameInline(LanguageChoiceMixin, admin.TabularInline):
    model = TopicName
    extra = 1
    verbose_name = "name in another language"


@admin.register(Tag)
class TopicAdmin(TagAdmin):
    inlines = [TopicNameInline, *TagAdmin.inlines]

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


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are they withdrawn? Readers see this at each piece's address.",
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
    )


CONTENT_FIELD_NAMES = {field.name for field in Commentary._meta.get_fields()}
CONCRETE_FIELD_NAMES = {field.name for field in Commentary._meta.concrete_fields}
PLAIN_NAMES = {
    "authorships": "the authors",
    "key points": "the key points",
    "topics": "the topics",
}


def pieces(count):
    return "commentary" if count == 1 else "commentaries"


def state_line(piece):
    """Where a piece stands, as the submit row says it."""
    match piece.status:
        case Status.PUBLISHED if piece.is_scheduled:
            return f"Scheduled for {services.local(piece.published_at)}"
        case Status.PUBLISHED:
            return f"Published {services.local(piece.published_at)}"
        case Status.IN_REVIEW if piece.submitted_at:
            return f"In review since {services.local(piece.submitted_at)}"
        case Status.WITHDRAWN:
            return "Withdrawn"
    if piece.published_at_set_by_hand and not piece.has_been_public:
        when = services.local(piece.published_at)
        return f"{piece.get_status_display()}: to be dated {when} when published (set by hand)"
    return piece.get_status_display()


def publication_times(moment):
    """A time as editors need it: in Tokyo, and in UTC."""
    tokyo = timezone.localtime(moment)
    utc = moment.astimezone(dt.UTC)
    return format_html(
        "{} <small>({} UTC)</small>",
        tokyo.strftime("%Y-%m-%d %H:%M %Z"),
        utc.strftime("%Y-%m-%d %H:%M"),
    )
