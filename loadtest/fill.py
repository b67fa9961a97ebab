"""Sample data for `make loadtest`: 200 published commentaries in the primary series (numbers
1-200, beside the seed's No.210), by 40 authors on 15 topics, each as long as No.210.

Run on a migrated database; when the sample is already there it does nothing.
"""

import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from commentaries.models import Commentary  # noqa: E402
from tests.factories import AuthorFactory, CommentaryFactory  # noqa: E402

PARAGRAPH = "<p>" + " ".join(["Regional cooperation depends on steady diplomacy."] * 12) + "</p>"


def main():
    if Commentary.objects.filter(slug__startswith="sample-commentary-").exists():
        return
    rng = random.Random(210)
    authors = AuthorFactory.create_batch(40)
    topics = [f"Topic {i}" for i in range(15)]
    for number in range(1, 201):
        CommentaryFactory(
            number=number,
            slug=f"sample-commentary-{number}",
            title=f"Sample commentary {number} on regional cooperation",
            body=PARAGRAPH * 9,
            authors=rng.sample(authors, rng.randint(1, 3)),
            key_points=[f"Key point {i} of commentary {number}." for i in range(3)],
            topics=rng.sample(topics, 3),
        )


if __name__ == "__main__":
    main()
