from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs) -> None:
    from .roles import sync_role_groups

    sync_role_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # Runs after auth has created the apps' permissions (auth connected first).
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")
