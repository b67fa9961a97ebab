from django.shortcuts import get_object_or_404, render

from commentaries.pages.models import Page


def page_detail(request, slug):
    """One page editors write; a slug no page has is a 404 like any unknown address."""
    page = get_object_or_404(Page, slug=slug)
    return render(request, "pages/page.html", {"page": page})
