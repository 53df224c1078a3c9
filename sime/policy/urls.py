from django.urls import path

from sime.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="policy-list"),
    path("mis-compromisos/", views.CommitmentsView.as_view(), name="commitments"),
    path("importar/", views.FrameworkImportView.as_view(), name="framework-import"),
    path("nodos/<id:pk>/", views.NodeDetailView.as_view(), name="node-detail"),
    path("nodos/<id:pk>/editar/", views.NodeUpdateView.as_view(), name="node-update"),
    path("nodos/<id:pk>/nuevo-hijo/", views.NodeCreateView.as_view(), name="node-create"),
    path("nodos/<id:pk>/accion/", views.ActionUpdateView.as_view(), name="action-update"),
    path("nodos/<id:pk>/vinculos/nuevo/", views.CausalLinkCreateView.as_view(), name="causallink-create"),
    path("vinculos/<id:pk>/eliminar/", views.CausalLinkDeleteView.as_view(), name="causallink-delete"),
    path("nodos/<id:pk>/indicadores/nuevo/", views.IndicatorCreateView.as_view(), name="indicator-create"),
    path("indicadores/<id:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("indicadores/<id:pk>/editar/", views.IndicatorUpdateView.as_view(), name="indicator-update"),
    path("indicadores/<id:pk>/ficha.pdf", views.IndicatorPdfView.as_view(), name="indicator-pdf"),
    path("<slug:code>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("<slug:code>/arbol/", views.PolicyTreeView.as_view(), name="policy-tree"),
    path("<slug:code>/red-causal/", views.CausalNetworkView.as_view(), name="policy-network"),
    path("<slug:code>/umbrales/", views.ThresholdsUpdateView.as_view(), name="thresholds-update"),
    path("<slug:code>/exportar.xlsx", views.FrameworkExportView.as_view(), name="framework-export"),
]
