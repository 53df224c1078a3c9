"""Open data: the page, each dataset's files and dictionary, and the data.json catalogue. Open to
everyone (each view is marked login_not_required)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sime.public import open_data_views as views

app_name = "opendata"

urlpatterns = [
    path("", login_not_required(views.OpenDataPageView.as_view()), name="dataset-list"),
    # Before the datasets' pattern, which would read it as the dataset «data» in JSON.
    path("data.json", login_not_required(views.CatalogueView.as_view()), name="catalogue"),
    path(
        "<slug:dataset>/diccionario.<str:fmt>",
        login_not_required(views.DictionaryDownloadView.as_view()),
        name="dictionary-download",
    ),
    path("<slug:dataset>.<str:fmt>", login_not_required(views.DatasetDownloadView.as_view()), name="dataset-download"),
]
