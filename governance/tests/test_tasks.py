from governance.models import Body, IntegratedCareSystem
from governance.tasks import ping, system_landscape_counts


def test_ping_runs_in_process_without_a_broker():
    assert ping.delay().get(timeout=5) == "pong"


def test_landscape_counts_task_counts_the_system(db):
    nel = IntegratedCareSystem.objects.get(slug="nel")
    counts = system_landscape_counts.delay(nel.pk).get(timeout=5)
    assert counts["pcn"] == Body.objects.filter(system=nel, kind="pcn").count() >= 8
    assert counts["organisations"] == nel.organisations.count()
