app_name = "democracy"

urlpatterns = []
