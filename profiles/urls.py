from django.urls import path

from profiles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.person_list, name="people"),
    path("profile/<username:username>/", views.profile_detail, name="profile-detail"),
    path("profile/<username:username>/sections/<slug:key>/", views.section_detail, name="profile-section"),
]
