from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "ICS landscape"

    def ready(self) -> None:
        # accounts: revokes API tokens when a password changes (a signal receiver).
        from ics_portal import accounts, revision  # noqa: F401

        # Every committed write moves the data revision on: cached pages are keyed on it.
        revision.install()
