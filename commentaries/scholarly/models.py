from django.db import models
from django.utils import timezone

from commentaries.models import Commentary


class PdfRendition(models.Model):
    """One rendered PDF of one edition of a piece; the unique row proves the work was done.

    The edition is a digest of what the PDF prints beyond minor edits: the release, the last
    major correction and the DOI (scholarly.pdf.edition). Older renditions are kept."""

    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="pdfs")
    edition = models.CharField(max_length=40)
    file = models.FileField(upload_to="pdf/", max_length=300)
    etag = models.CharField(max_length=70, help_text="A digest of the file's bytes.")
    size = models.PositiveIntegerField()
    render_seconds = models.FloatField()
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commentary", "-rendered_at"]
        constraints = [
            models.UniqueConstraint(fields=["commentary", "edition"], name="one_pdf_per_edition")
        ]

    def __str__(self):
        return f"PDF of No.{self.commentary.number} ({self.edition})"


class PdfClaim(models.Model):
    """A renderer (a worker's task, or a reader's request) is making this edition's file now,
    so no other renders it too: a request that meets the claim shows the "being prepared" page
    instead. Deleted when the render ends; one older than pdf.CLAIM_SECONDS belongs to a
    renderer that died, and the next one takes it over."""

    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="+")
    edition = models.CharField(max_length=40)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commentary", "edition"], name="one_claim_per_edition")
        ]

    def __str__(self):
        return f"Rendering No.{self.commentary.number} ({self.edition})"


class CrossrefDeposit(models.Model):
    """One deposit of one piece's metadata at Crossref: when, in which batch, what came back.

    Every attempt is kept; a successful one for the piece's edition means the task is done, so a
    task that runs again deposits nothing (a re-deposit would be harmless: Crossref updates)."""

    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, related_name="crossref_deposits"
    )
    edition = models.CharField(max_length=40)
    doi = models.CharField(max_length=255)
    batch_id = models.CharField(max_length=64, db_index=True)
    deposited_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.TextField(blank=True, help_text="What the deposit endpoint answered.")

    class Meta:
        ordering = ["-deposited_at"]
        indexes = [models.Index(fields=["commentary", "edition"])]

    def __str__(self):
        return f"Deposit of {self.doi} ({self.batch_id})"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300


class DeletedRecordSet(models.Model):
    """One OAI set a piece was in when it was last public: what its deleted record carries.

    Recorded when the piece stops being public (its withdrawn or unpublished event,
    receivers.py), so topics given to it afterwards are never published through OAI."""

    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, related_name="sets_when_last_public"
    )
    spec = models.CharField("setSpec", max_length=1000)  # a Unicode slug, percent-encoded
    name = models.CharField("setName", max_length=300)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commentary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commentary", "spec"], name="one_row_per_set_and_piece"
            )
        ]
        indexes = [models.Index(fields=["spec"])]

    def __str__(self):
        return f"No.{self.commentary.number} was in {self.spec}"
