from django.urls import path

from sime.documents import views

app_name = "documents"

urlpatterns = [
    path("<id:pk>/informe.docx", views.ProjectReportView.as_view(report_format="docx"), name="project-report-docx"),
    path("<id:pk>/informe.pdf", views.ProjectReportView.as_view(report_format="pdf"), name="project-report-pdf"),
]
