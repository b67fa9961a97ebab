from django.apps import AppConfig
from django.db.models.signals import post_migrate

SEED_MIGRATION = "0002_seed_ajiss_commentary_210"


class CommentariesConfig(AppConfig):
    name = "commentaries"

    def ready(self):
        # Each concern registers its receivers in its own app's ready(); the domain's modules
        # import none of them. The commentary admin lives with the editorial rules.
        from commentaries import checks  # noqa: F401  (registers the site address's check)
        from commentaries.editorial import admin  # noqa: F401  (registers the admin)

        post_migrate.connect(seed_written, sender=self)


def seed_written(plan=None, **kwargs):
    """The seed migration writes No.210 through historical models, which send no save signals:
    when a migrate has just applied it (a new database, holding only what migrations wrote), the
    seed gets its first version and its search document here. Any other migrate does nothing
    here, so starting costs the same at any size; bulk loads bring their own search documents
    (generate_commentaries, the importers)."""
    from commentaries.editorial.revisions import create_first_versions
    from commentaries.search.index import index_missing

    if any(
        migration.app_label == "commentaries" and migration.name == SEED_MIGRATION and not back
        for migration, back in plan or []
    ):
        create_first_versions()
        index_missing()
