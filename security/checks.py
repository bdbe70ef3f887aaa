"""Deployment checks: `manage.py check --deploy` fails on the committed development key."""

from django.conf import settings
from django.core.checks import Error, Tags, register

DEVELOPMENT_SECRET_KEY = "local-development-key-not-for-production-use-0123456789"  # noqa: S105 - the key refused


@register(Tags.security, deploy=True)
def development_secret_key(app_configs, **kwargs) -> list[Error]:
    if settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY or settings.SECRET_KEY.startswith("change-me"):
        return [
            Error(
                "SECRET_KEY is a key committed to the repository (the development key or .env.example's).",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="security.E001",
            )
        ]
    return []
