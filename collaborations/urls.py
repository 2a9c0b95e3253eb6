from django.urls import path

from collaborations import views

urlpatterns = [
    path("graph/", views.network, name="graph"),
]
