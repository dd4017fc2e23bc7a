"""URLs of the read-only JSON API for the college's systems (namespace "api")."""

app_name = "api"

urlpatterns: list = []
