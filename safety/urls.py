app_name = "safety"

urlpatterns = []
