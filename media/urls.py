from django.urls import path

from media import views

urlpatterns = [
    path("media/<str:media_id>/", views.media_file, name="media-file"),
]
