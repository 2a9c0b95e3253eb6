from django.urls import path

from accounts import views

urlpatterns = [
    path("tokens/", views.token_list, name="api-tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.token_revoke, name="api-token-revoke"),
]
