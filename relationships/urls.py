from django.urls import path

from relationships import views

urlpatterns = [
    path("relationships/", views.relationship_list, name="relationships"),
]
