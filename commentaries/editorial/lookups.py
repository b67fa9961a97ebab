"""What the commentary form's scripts ask for as an editor types: topic names to offer, and an
author's profile to fill an authorship with. JSON, for staff who may see commentaries; each
answer holds only what the topic and author admins would show the same person.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from commentaries.editorial import bylines, topics

ID = re.compile(r"[0-9]{1,18}")


def may_write_commentaries(user):
    return user.is_active and user.is_staff and user.has_perm("commentaries.view_commentary")


@require_GET
def topic_suggestions(request):
    """?q=jap: {"topics": ["Japan", "Japan-ROK relations", ...]}"""
    if not may_write_commentaries(request.user):
        raise PermissionDenied
    typed = request.GET.get("q", "")
    return JsonResponse({"topics": topics.suggestions(request, typed)})


@require_GET
def author_profile(request):
    """?author=12: {"position_title": ..., "affiliation": ..., "bio": ...} from the profile."""
    if not may_write_commentaries(request.user):
        raise PermissionDenied
    chosen = request.GET.get("author", "")
    author = ID.fullmatch(chosen) and bylines.pickable_authors(request).filter(pk=chosen).first()
    if not author:
        raise Http404("No such author.")
    return JsonResponse(bylines.profile(author))
