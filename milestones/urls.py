from django.urls import path

from . import history_views, spreadsheets_views, views

app_name = "milestones"

urlpatterns = [
    path("milestones/", views.programme_list, name="programmes"),
    path("milestones/programmes/<int:pk>/", views.programme_milestones, name="programme"),
    path("milestones/programmes/<int:pk>/timeline/", views.programme_timeline, name="timeline"),
    path("milestones/programmes/<int:pk>/add/", views.milestone_add, name="add"),
    path(
        "milestones/programmes/<int:pk>/export.<str:fmt>",
        spreadsheets_views.export,
        name="export",
    ),
    path("milestones/programmes/<int:pk>/import/", spreadsheets_views.import_, name="import"),
    path(
        "milestones/programmes/<int:pk>/import/<str:token>/",
        spreadsheets_views.import_job,
        name="import_job",
    ),
    path(
        "milestones/programmes/<int:pk>/import/<str:token>/progress/",
        spreadsheets_views.import_progress,
        name="import_progress",
    ),
    path("milestones/bulk-update/", views.bulk_update, name="bulk_update"),
    path("milestones/<int:pk>/", views.milestone_detail, name="detail"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="edit"),
    path("milestones/<int:pk>/history/", history_views.milestone_history, name="history"),
    path(
        "milestones/programmes/<int:pk>/history/",
        history_views.programme_history,
        name="programme_history",
    ),
    path("milestones/<int:pk>/update/", views.milestone_inline, name="inline_update"),
    path("milestones/bodies/<slug:system>/<slug:body>/", views.body_milestones, name="body"),
]
