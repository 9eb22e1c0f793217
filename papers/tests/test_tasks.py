from papers.tasks import paper_build


def test_the_build_task_survives_a_killed_worker_and_has_a_time_limit(settings):
    assert paper_build.acks_late is True
    assert paper_build.reject_on_worker_lost is True
    assert paper_build.time_limit == settings.PAPER_BUILD_TIME_LIMIT
    assert 0 < paper_build.soft_time_limit < paper_build.time_limit


def test_a_missing_build_is_reported_not_raised(db):
    assert paper_build.apply(args=[987654]).get() == "failed"
