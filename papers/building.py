"""Building a paper: gather the data, render the PDF, store it, record the version.

Safe to run twice and to be killed at any point (``tasks.paper_build`` runs it with
``acks_late`` and ``reject_on_worker_lost``, so a killed worker's build runs again):

- the version row carries the build's key (unique): a re-run that finds it stops;
- the file is written, under a name unique to this attempt, *before* the row that
  points at it is committed, so no version ever points at a missing or half file;
- a file left by a killed attempt is deleted once a version is recorded.

Progress (stage, heartbeat) is written in small commits of its own, so the paper page
reads it while the build runs.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from . import gather, rendering
from .models import BuildStage, BuildState, Paper, PaperBuild, PaperVersion

logger = logging.getLogger(__name__)


class BuildFailed(Exception):
    """A build that cannot succeed as asked; the message is shown on the paper page."""


def folder_of(paper: Paper) -> str:
    return f"papers/{paper.system.slug}/{paper.pk}"


def _stage(build: PaperBuild, stage: str, **extra) -> None:
    now = timezone.now()
    PaperBuild.objects.filter(pk=build.pk).update(stage=stage, heartbeat_at=now, **extra)


def _finish(build: PaperBuild, version: PaperVersion) -> PaperVersion:
    PaperBuild.objects.filter(pk=build.pk).update(
        state=BuildState.DONE,
        stage=BuildStage.FINISHED,
        result=version,
        message="",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    _remove_leftovers(version)
    return version


def _remove_leftovers(version: PaperVersion) -> None:
    """Files of killed attempts at the same build: nothing points at them."""
    folder = folder_of(version.paper)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    kept = version.file.name.rsplit("/", 1)[-1]
    for name in files:
        if name.startswith(version.build_key) and name != kept:
            default_storage.delete(f"{folder}/{name}")


def fail(build: PaperBuild, message: str) -> None:
    PaperBuild.objects.filter(pk=build.pk).exclude(state=BuildState.DONE).update(
        state=BuildState.FAILED, message=message, finished_at=timezone.now()
    )


def _record(build: PaperBuild, name: str, pdf: bytes, pages: int, snap: dict) -> PaperVersion:
    with transaction.atomic():
        # The paper's row serialises version numbers between concurrent builds.
        paper = Paper.objects.select_for_update().get(pk=build.paper_id)
        found = PaperVersion.objects.filter(build_key=build.key).first()
        if found is not None:
            return found
        number = (paper.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        return PaperVersion.objects.create(
            paper=paper,
            number=number,
            build_key=build.key,
            built_by=build.requested_by,
            file=name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            page_count=pages,
            snapshot=snap,
        )


def run(build_id: int) -> PaperVersion | None:
    """Run one build to its end. Returns the version (new or found), or None if the
    build is gone or failed."""
    build = PaperBuild.objects.select_related("paper__system").filter(pk=build_id).first()
    if build is None:
        return None
    done = PaperVersion.objects.filter(build_key=build.key).first()
    if done is not None:
        # Recorded by an earlier attempt that was killed before it could say so.
        return _finish(build, done)
    PaperBuild.objects.filter(pk=build.pk).update(
        state=BuildState.RUNNING, started_at=timezone.now(), attempts=build.attempts + 1
    )
    try:
        _stage(build, BuildStage.GATHERING)
        snap = gather.snapshot(build.paper)
        _stage(build, BuildStage.RENDERING)
        rendered = rendering.render_pdf(snap)
        _stage(build, BuildStage.WRITING)
        name = f"{folder_of(build.paper)}/{build.key}-{uuid.uuid4().hex[:8]}.pdf"
        stored = default_storage.save(name, ContentFile(rendered.pdf))
        try:
            version = _record(build, stored, rendered.pdf, rendered.page_count, snap)
        except IntegrityError:
            # Another attempt at the same build recorded it first.
            version = PaperVersion.objects.get(build_key=build.key)
        if version.file.name != stored:
            default_storage.delete(stored)
    except Exception as error:  # any failure is reported on the page, with its reason
        logger.exception("Build %s of paper %s failed", build.pk, build.paper_id)
        fail(build, f"The build failed while {_doing(build)}: {error}")
        return None
    return _finish(build, version)


def _doing(build: PaperBuild) -> str:
    stage = PaperBuild.objects.filter(pk=build.pk).values_list("stage", flat=True).first()
    return {
        BuildStage.GATHERING: "gathering the data",
        BuildStage.RENDERING: "rendering the PDF",
        BuildStage.WRITING: "writing the file",
    }.get(stage, "starting")


def verify(version: PaperVersion) -> bytes:
    """The stored file's bytes, checked against the recorded checksum and size."""
    with default_storage.open(version.file.name, "rb") as handle:
        data = handle.read()
    if len(data) != version.size or hashlib.sha256(data).hexdigest() != version.sha256:
        raise BuildFailed(
            f"The stored file of {version} does not match its checksum; it was not served."
        )
    return data
