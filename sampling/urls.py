from django.urls import path

from . import views

app_name = "sampling"
urlpatterns = [
    path("inspections/<slug:slug>/sampling/", views.overview, name="overview"),
    path("inspections/<slug:slug>/sampling/frame/", views.frame, name="frame"),
    path("inspections/<slug:slug>/sampling/frame/upload/", views.frame_upload, name="frame_upload"),
    path("inspections/<slug:slug>/sampling/frame/<int:frame_id>/", views.frame_preview, name="frame_preview"),
    path("inspections/<slug:slug>/sampling/draw/", views.draw, name="draw"),
    path("inspections/<slug:slug>/sampling/draw/submit/", views.draw_submit, name="draw_submit"),
    path("inspections/<slug:slug>/sample/", views.sample_list, name="sample"),
    path("inspections/<slug:slug>/sample.csv", views.sample_csv, name="sample_csv"),
    path("inspections/<slug:slug>/sampling/replacements/", views.replacements, name="replacements"),
    path("inspections/<slug:slug>/sampling/replacements/replace/", views.replace, name="replace"),
    path("inspections/<slug:slug>/sampling/dip/", views.dip, name="dip"),
    path("inspections/<slug:slug>/sampling/dip/draw/", views.dip_draw, name="dip_draw"),
    path("inspections/<slug:slug>/sampling/dip/add/", views.dip_add, name="dip_add"),
    path("inspections/<slug:slug>/sampling/dip/remove/", views.dip_remove, name="dip_remove"),
]
