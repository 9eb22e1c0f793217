from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("systems/<slug:system>/", views.landscape, name="landscape"),
    path("systems/<slug:system>/bodies/<slug:body>/", views.body, name="body"),
]
