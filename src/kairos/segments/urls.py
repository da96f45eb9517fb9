app_name = "segments"
urlpatterns = []
