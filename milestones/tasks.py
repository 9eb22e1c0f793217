from celery import shared_task

from .digests import send_digests


@shared_task
def send_milestone_digests() -> int:
    """Each morning: every programme office's overdue and due-soon milestones."""
    return send_digests()
