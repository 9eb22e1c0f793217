from django.urls import path

from . import history_views, views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("systems/<slug:system>/", views.landscape, name="landscape"),
    path("systems/<slug:system>/bodies/<slug:body>/", views.body, name="body"),
    path(
        "systems/<slug:system>/bodies/<slug:body>/history/",
        history_views.body_history,
        name="body_history",
    ),
    path("systems/<slug:system>/changes/", history_views.system_changes, name="system_changes"),
    path(
        "systems/<slug:system>/changes.csv",
        history_views.system_changes_csv,
        name="system_changes_csv",
    ),
]
