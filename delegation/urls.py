from django.urls import path

from . import history_views, views

app_name = "delegation"

urlpatterns = [
    path("maps/<slug:system>/", views.matrix, name="matrix"),
    path("maps/<slug:system>/entries/", views.entry_list, name="entry_list"),
    path("maps/<slug:system>/entries/new/", views.entry_create, name="entry_create"),
    path("maps/<slug:system>/functions/", views.function_list, name="function_list"),
    path("maps/<slug:system>/functions/new/", views.function_create, name="function_create"),
    path("maps/<slug:system>/bodies/<slug:body>/", views.body_delegations, name="body_delegations"),
    path("maps/<slug:system>/conditions/", views.condition_dashboard, name="condition_dashboard"),
    path("maps/<slug:system>/versions/", views.version_list, name="version_list"),
    path("maps/<slug:system>/versions/compare/", views.version_diff, name="version_diff"),
    path("maps/<slug:system>/versions/publish/", views.version_publish, name="version_publish"),
    path("map-entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("map-entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("map-entries/<int:pk>/history/", history_views.entry_history, name="entry_history"),
    path("map-entries/<int:pk>/supersede/", views.entry_supersede, name="entry_supersede"),
    path("map-entries/<int:pk>/revoke/", views.entry_revoke, name="entry_revoke"),
    path("map-entries/<int:pk>/conditions/new/", views.condition_create, name="condition_create"),
    path("functions/<int:pk>/edit/", views.function_edit, name="function_edit"),
    path("functions/<int:pk>/history/", history_views.function_history, name="function_history"),
    path("conditions/<int:pk>/", views.condition_detail, name="condition_detail"),
    path("conditions/<int:pk>/edit/", views.condition_edit, name="condition_edit"),
    path("conditions/<int:pk>/history/", history_views.condition_history, name="condition_history"),
    path("conditions/<int:pk>/assess/", views.condition_assess, name="condition_assess"),
    path("conditions/<int:pk>/assure/", views.condition_assure, name="condition_assure"),
    path("map-versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("map-versions/<int:pk>/history/", history_views.version_history, name="version_history"),
    path("maps/<slug:system>/export.<str:fmt>", views.map_export, name="map_export"),
    path("map-versions/<int:pk>/export.<str:fmt>", views.version_export, name="version_export"),
    path("maps/<slug:system>/import/", views.map_import, name="map_import"),
    path("maps/<slug:system>/import/<str:token>/", views.map_import_job, name="map_import_job"),
    path(
        "maps/<slug:system>/import/<str:token>/progress/",
        views.map_import_progress,
        name="map_import_progress",
    ),
]
