from django.urls import path

from sime.public import views

app_name = "public"

urlpatterns = [
    path("", views.PublicationListView.as_view(), name="publication-list"),
    path("publicar/<str:kind>/<id:pk>/", views.PublishView.as_view(), name="publish"),
    path("<id:pk>/retirar/", views.UnpublishView.as_view(), name="unpublish"),
]
