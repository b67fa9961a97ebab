"""The editor's "send me a test e-mail of this piece" button on a commentary's change page."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from commentaries.alerts import messages as mail
from commentaries.models import Commentary


@staff_member_required
@require_POST
def test_email(request, pk):
    # Whoever may open the piece's change page may mail it to themselves: the commentary
    # admin's own queryset and permission say who that is.
    commentary_admin = admin.site.get_model_admin(Commentary)
    commentary = commentary_admin.get_queryset(request).filter(pk=pk).first()
    if commentary is None or not commentary_admin.has_view_or_change_permission(
        request, commentary
    ):
        raise Http404("No such commentary.")
    change_page = reverse("admin:commentaries_commentary_change", args=[pk])
    if not request.user.email:
        messages.error(request, "Your account has no e-mail address to send the test to.")
        return redirect(change_page)
    mail.test_copy(commentary, request.user.email).send()
    messages.success(request, f"A test e-mail of this piece went to {request.user.email}.")
    return redirect(change_page)
