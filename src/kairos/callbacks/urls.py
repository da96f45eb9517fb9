app_name = "callbacks"
urlpatterns = []
