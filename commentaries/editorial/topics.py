"""Topics as chips: the form field and widget for Commentary.tags, and the topics a user is
offered as they type.

Without JavaScript the widget is taggit's text input (names separated by commas, a name with a
comma in double quotes). static/editorial/topics.js turns it into chips: each chosen topic is
then sent as a value of its own (a hidden input named like the field), with a marker saying so,
so that any name, commas and quotes included, comes back as it was. The field cleans either
form to a list of names.
"""

import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

NAME_LENGTH = Tag._meta.get_field("name").max_length
SUGGESTIONS = 10


def chips_marker(name):
    return f"{name}__chips"


def names_of(value):
    """The topic names in a value the form holds: Tag objects (a saved piece), names (sent as
    chips), or the text typed without JavaScript."""
    if not value:
        return []
    if isinstance(value, str):
        return parse_tags(value)
    return [getattr(tag, "name", tag) for tag in value]


class TopicsWidget(forms.TextInput):
    """A text input that topics.js turns into chips with suggestions."""

    class Media:
        js = ["editorial/topics.js"]
        css = {"all": ["editorial/topics.css"]}

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = edit_string_for_tags([Tag(name=name) for name in names_of(value)])
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-topics": json.dumps(names_of(value), ensure_ascii=False),
                "data-topics-marker": chips_marker(name),
                "data-suggest-url": reverse("editorial:topic_suggestions"),
                "autocomplete": "off",
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        if chips_marker(name) in data:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            return [values] if isinstance(values, str) else [str(value) for value in values]
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and chips_marker(name) not in data


class TopicsField(forms.Field):
    """Cleans to a list of topic names, each once (case aside), in the order given.

    For a ModelForm over Commentary: Meta.field_classes = {"tags": TopicsField}."""

    widget = TopicsWidget
    default_error_messages = {
        "too_long": f"A topic has at most {NAME_LENGTH} characters: %(names)s",
    }

    def __init__(self, **kwargs):
        kwargs["help_text"] = (
            "Type a topic and press Enter, or pick one of those offered. Without JavaScript: "
            'separate topics with commas, and put a name that has a comma in "double quotes".'
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        names, seen = [], set()
        for name in names_of(value):
            name = str(name).strip()
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        too_long = [name for name in value if len(name) > NAME_LENGTH]
        if too_long:
            raise forms.ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={"names": ", ".join(too_long)},
            )

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return sorted(self.to_python(initial)) != sorted(self.to_python(data))


def offered_topics(request):
    """The topics this user may meet: those the topic admin lists for them (every topic for
    who may change topics; else the topics of the pieces they may see or anyone may read)."""
    return admin.site.get_model_admin(Tag).get_queryset(request)


def suggestions(request, typed):
    """Up to SUGGESTIONS names for what was typed: names starting with it first."""
    typed = typed.strip()[:NAME_LENGTH]
    if not typed:
        return []
    offered = offered_topics(request).order_by("name")
    names = list(
        offered.filter(name__istartswith=typed).values_list("name", flat=True)[:SUGGESTIONS]
    )
    if len(names) < SUGGESTIONS:
        within = offered.filter(name__icontains=typed).exclude(name__istartswith=typed)
        names += within.values_list("name", flat=True)[: SUGGESTIONS - len(names)]
    return names
