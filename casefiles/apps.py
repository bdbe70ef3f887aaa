from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs) -> None:
    from .roles import sync_role_groups

    sync_role_groups()


class CasefilesConfig(AppConfig):
    name = "casefiles"
    verbose_name = "Case files"

    def ready(self) -> None:
        # Runs after auth has created this app's permissions (auth connected first).
        post_migrate.connect(_sync_roles, dispatch_uid="casefiles.sync_roles")
        from inspection.celery import ensure_broker_folders

        ensure_broker_folders()  # the filesystem broker's folders, for web and worker alike
