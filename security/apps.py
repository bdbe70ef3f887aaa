from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security and audit"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 - registers the deploy check and the sign-in hook
