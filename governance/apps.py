from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "ICS landscape"

    def ready(self) -> None:
        # Revokes API tokens when a password changes (a signal receiver).
        from ics_portal import accounts  # noqa: F401
