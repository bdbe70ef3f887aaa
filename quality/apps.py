from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "Quality assurance"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the expiry check on sign-in)
