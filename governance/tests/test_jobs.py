"""The one job design: a job runs once, and a job whose worker vanished ends, retryably."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from governance import jobs
from governance.models import IntegratedCareSystem, Job, JobState


@pytest.fixture
def queued(persona):
    job = jobs.job_create(
        kind="test", user=persona("icb.governance"), system=IntegratedCareSystem.objects.first()
    )
    jobs.job_checked(job, plan={}, fingerprint="", ok=True, payload=b"file")
    assert jobs.job_start(job)
    return job


def _write_group(name: str):
    def work(job: Job) -> dict:
        Group.objects.create(name=name)
        return {"written": 1}

    return work


def _as_if_its_worker_died(job: Job) -> None:
    """Running, owned by attempt 1, and silent for longer than the heartbeat timeout."""
    long_ago = timezone.now() - dt.timedelta(seconds=jobs.heartbeat_timeout() + 5)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=1, heartbeat_at=long_ago)
    cache.delete(f"jobs:{job.pk}:beat")


def test_a_job_runs_once_however_often_its_message_comes(queued):
    assert jobs.job_run(queued.pk, _write_group("once")) == JobState.DONE
    # The message delivered again (acks_late after a worker loss): nothing is written twice.
    assert jobs.job_run(queued.pk, _write_group("once")) == JobState.DONE
    queued.refresh_from_db()
    assert Group.objects.filter(name="once").count() == 1
    assert queued.state == JobState.DONE and queued.result == {"written": 1}
    assert queued.attempts == 1 and jobs.job_payload(queued) == b""
    assert not jobs.job_start(queued)  # a second click queues nothing


def test_a_second_start_queues_nothing(queued):
    assert not jobs.job_start(queued)
    assert Job.objects.get(pk=queued.pk).state == JobState.QUEUED


def test_a_run_that_lost_its_job_writes_nothing(queued):
    def work(job: Job) -> dict:
        Group.objects.create(name="lost")
        # Meanwhile the job was taken over by another run (or failed by its page).
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
        return {}

    assert jobs.job_run(queued.pk, work) == "lost"
    assert not Group.objects.filter(name="lost").exists()


def test_a_job_that_beats_is_left_to_its_run(queued):
    _as_if_its_worker_died(queued)
    Job.objects.filter(pk=queued.pk).update(heartbeat_at=timezone.now())
    assert jobs.job_run(queued.pk, _write_group("busy")) == "busy"
    assert not Group.objects.filter(name="busy").exists()


def test_a_redelivered_message_takes_over_a_job_whose_worker_died(queued):
    _as_if_its_worker_died(queued)
    assert jobs.job_run(queued.pk, _write_group("taken over")) == JobState.DONE
    queued.refresh_from_db()
    assert queued.state == JobState.DONE and queued.attempts == 2
    assert Group.objects.filter(name="taken over").count() == 1


def test_a_job_whose_worker_died_too_often_fails_retryably(queued):
    _as_if_its_worker_died(queued)
    Job.objects.filter(pk=queued.pk).update(attempts=jobs.MAX_ATTEMPTS)
    assert jobs.job_run(queued.pk, _write_group("x")) == JobState.FAILED
    assert Job.objects.get(pk=queued.pk).may_retry


def test_its_page_notices_a_vanished_worker_and_try_again_works(queued, persona):
    _as_if_its_worker_died(queued)
    seen = jobs.job_get(
        queued.token, user=persona("icb.governance"), kind="test", system=queued.system
    )
    assert seen.state == JobState.FAILED and seen.may_retry
    assert "stopped before it finished" in seen.error
    assert jobs.job_start(seen)
    assert jobs.job_run(seen.pk, _write_group("again")) == JobState.DONE
    assert Group.objects.filter(name="again").count() == 1


def test_a_queued_job_is_not_failed_while_its_message_may_still_come(queued, persona):
    Job.objects.filter(pk=queued.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=jobs.heartbeat_timeout() + 5)
    )
    seen = jobs.job_get(
        queued.token, user=persona("icb.governance"), kind="test", system=queued.system
    )
    assert seen.state == JobState.QUEUED


def test_refusals_are_not_retryable_and_drop_the_file(queued):
    def work(job: Job) -> dict:
        Group.objects.create(name="refused")
        raise jobs.JobFailed("The map changed.")

    assert jobs.job_run(queued.pk, work) == JobState.FAILED
    queued.refresh_from_db()
    assert queued.error == "The map changed." and not queued.may_retry
    assert jobs.job_payload(queued) == b"" and not Group.objects.filter(name="refused").exists()


def test_an_unexpected_error_fails_the_job_retryably(queued):
    def work(job: Job) -> dict:
        raise RuntimeError("boom")

    assert jobs.job_run(queued.pk, work) == JobState.FAILED
    queued.refresh_from_db()
    assert queued.may_retry and "unexpected error" in queued.error


def test_a_job_is_its_creators_alone(queued, persona):
    for user, kind in ((persona("sel.governance"), "test"), (persona("icb.governance"), "other")):
        with pytest.raises(Http404):
            jobs.job_get(queued.token, user=user, kind=kind, system=queued.system)
    with pytest.raises(Http404):
        jobs.job_get("not-a-token", user=persona("icb.governance"), kind="test")


def test_old_files_are_let_go_and_a_waiting_job_says_so(queued, persona):
    done = jobs.job_create(kind="test", user=persona("icb.governance"))
    jobs.job_checked(done, payload=b"kept")
    Job.objects.filter(pk=queued.pk).update(state=JobState.CHECKED)
    later = timezone.now() + jobs.KEEP_FILES + dt.timedelta(hours=1)
    assert jobs.jobs_expire_files(now=later) == 2
    waiting = Job.objects.get(pk=queued.pk)
    assert waiting.state == JobState.FAILED and not waiting.may_retry
    assert "expired" in waiting.error and jobs.job_payload(waiting) == b""
    assert jobs.jobs_expire_files(now=later) == 0


def test_a_running_job_keeps_its_file(queued):
    Job.objects.filter(pk=queued.pk).update(state=JobState.RUNNING)
    later = timezone.now() + jobs.KEEP_FILES + dt.timedelta(hours=1)
    assert jobs.jobs_expire_files(now=later) == 0
    assert jobs.job_payload(queued) == b"file"
