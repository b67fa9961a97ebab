"""Inlines ordered by dragging rows (or their Move up / Move down buttons), never by typing a
number: key points and authorships.

The position stays a field of the form, hidden. static/editorial/ordering.js numbers the rows
1, 2, 3... in the order the page shows them whenever one moves, so what is saved is what the
editor saw. A new row that arrives without a position (added with JavaScript off, or before
any move: the empty row carries 0) goes after the others, in the order the rows came.

django-admin-sortable2 2.3.1, the usual choice, does not run on Django 6.1: its admin base
swaps Django's actions.js for an actions-6.1.js it does not ship (a 500 under the manifest
storage that `make serve` uses; jrief/django-admin-sortable2#442), its inline templates are
looked up by Django version and missing for 6.1, it asks the commentary admin itself to inherit
from it, only saved rows can be dragged, and its move buttons cannot be reached by keyboard.
"""

from django import forms
from django.forms.models import BaseInlineFormSet


class OrderedInlineFormSet(BaseInlineFormSet):
    order_field = "position"

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        given = [form.cleaned_data.get(self.order_field) for form in kept]
        last = max(filter(None, given), default=0)
        for form, position in zip(kept, given, strict=True):
            if form.instance.pk is None and not position:
                last += 1
                setattr(form.instance, self.order_field, last)
            elif position is None:  # a saved row sent without one keeps its place
                setattr(form.instance, self.order_field, form.initial.get(self.order_field, 0))


class OrderedInline:
    """For a TabularInline or StackedInline whose model has a `position` field, listed in
    `fields`: the field is hidden and the rows get a drag handle and Move up / Move down."""

    formset = OrderedInlineFormSet
    classes = ["ordered-inline"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == self.formset.order_field:
            kwargs["widget"] = forms.HiddenInput(attrs={"data-order-position": ""})
            kwargs["required"] = False
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @property
    def media(self):
        return super().media + forms.Media(
            js=["editorial/ordering.js"], css={"all": ["editorial/ordering.css"]}
        )
