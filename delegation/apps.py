from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "delegation"
    verbose_name = "Functions and decision map"

    def ready(self) -> None:
        from . import revisions

        revisions.connect()
