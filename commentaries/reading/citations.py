"""Citations of a commentary: Chicago author-date and APA for people, BibTeX and RIS for
reference managers. Each takes the piece (with its authors and series loaded) and its canonical
address; a piece with a DOI is cited by its DOI (https://doi.org/...), as both styles ask."""

import re

from django.utils import timezone
from django.utils.html import format_html

from commentaries.reading import metadata

BIBTEX_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def _local_date(commentary):
    return timezone.localtime(commentary.published_at).date()


def _report_label(commentary):
    return f"{commentary.series.name} {commentary.label}"


def _join(names, conjunction):
    """A, B, and C: a serial comma before the last name when there are three or more."""
    if len(names) <= 2:
        return f" {conjunction} ".join(names)
    return ", ".join(names[:-1]) + f", {conjunction} " + names[-1]


def _initials(given_name):
    """APA initials: "Junya" -> "J.", "Kwan-jin" -> "K.-J.", "Mary Ann" -> "M. A."."""
    return " ".join(
        "-".join(f"{part[0].upper()}." for part in name.split("-") if part)
        for name in given_name.split()
    )


def _link(commentary, url):
    return f"https://doi.org/{commentary.doi}" if commentary.doi else url


def chicago(commentary, *, url):
    """Chicago author-date, reference-list form: the first author inverted, the others not."""
    authors = commentary.ordered_authors
    names = [
        f"{a.family_name}, {a.given_name}" if i == 0 else a.byline_name
        for i, a in enumerate(authors)
    ]
    return format_html(
        "{}. {}. “{}.” {}. {}. {}.",
        _join(names, "and"),
        _local_date(commentary).year,
        commentary.title,
        _report_label(commentary),
        commentary.series.publisher,
        _link(commentary, url),
    )


def apa(commentary, *, url):
    """APA 7th edition, a report in a numbered series: title in italics, number after it."""
    names = [f"{a.family_name}, {_initials(a.given_name)}" for a in commentary.ordered_authors]
    return format_html(
        "{} ({}). <i>{}</i> ({}). {}. {}",
        _join(names, "&"),
        _local_date(commentary).year,
        commentary.title,
        _report_label(commentary),
        commentary.series.publisher,
        _link(commentary, url),
    )


BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{c: "\\" + c for c in "&%$#_{}"},
}


def _bibtex_escape(value):
    """Text safe inside a braced BibTeX field: LaTeX's special characters escaped."""
    return re.sub(r"[\\~^&%$#_{}]", lambda m: BIBTEX_SPECIALS[m.group()], value)


def bibtex_key(commentary):
    """Stable and readable: family name of the first author, year, series and number."""
    authors = commentary.ordered_authors
    family = re.sub(r"\W", "", authors[0].family_name.lower(), flags=re.ASCII) if authors else ""
    series = re.sub(r"\W", "", commentary.series.slug, flags=re.ASCII)
    return f"{family or 'anon'}{_local_date(commentary).year}{series}{commentary.number}"


def bibtex(commentary, *, url):
    published = _local_date(commentary)
    fields = {
        "author": " and ".join(
            f"{a.family_name}, {a.given_name}" for a in commentary.ordered_authors
        ),
        # doubled braces keep the title's capitals as written
        "title": f"{{{_bibtex_escape(commentary.title)}}}",
        "institution": commentary.series.publisher,
        "type": commentary.series.name,
        "number": str(commentary.number),
        "year": str(published.year),
        "month": BIBTEX_MONTHS[published.month - 1],
        "url": url,
        **({"doi": commentary.doi} if commentary.doi else {}),
        "language": commentary.language,
    }
    lines = [f"@techreport{{{bibtex_key(commentary)},"]
    for name, value in fields.items():
        if name == "month":
            lines.append(f"  month = {value},")  # BibTeX's own macro, unbraced
        elif name in ("title", "url", "doi"):
            lines.append(f"  {name} = {{{value}}},")  # escaped above, or a URL as it is
        else:
            lines.append(f"  {name} = {{{_bibtex_escape(value)}}},")
    return "\n".join([*lines, "}", ""])


def ris(commentary, *, url, pdf_url=None):
    published = _local_date(commentary)
    fields = [
        ("TY", "RPRT"),
        ("M3", metadata.REPORT_TYPE),
        *(("AU", f"{a.family_name}, {a.given_name}") for a in commentary.ordered_authors),
        ("TI", commentary.title),
        # the tags Zotero reads for a report: T2 series, PB institution, SN report number
        ("T2", commentary.series.name),
        ("PB", commentary.series.publisher),
        ("SN", str(commentary.number)),
        ("PY", str(published.year)),
        ("DA", f"{published:%Y/%m/%d}"),
        ("UR", url),
        *((("L1", pdf_url),) if pdf_url else ()),
        *((("DO", commentary.doi),) if commentary.doi else ()),
        ("LA", commentary.language),
        ("AB", metadata.abstract(commentary)),
        *(("KW", tag.name) for tag in commentary.ordered_topics),
        ("ER", ""),
    ]
    # RIS is one field a line: a line break inside a value would start a bogus field
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in fields)
