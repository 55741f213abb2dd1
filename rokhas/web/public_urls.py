"""Public verification pages, WITHOUT a namespace: rokhas.decisions.documents calls
reverse("verify-code") to print the verification URL on every signed decision."""

from django.urls import path

from .views import verify

urlpatterns = [
    path("verify/", verify.verify, name="verify"),
    path("verify/<str:code>/", verify.verify_code_page, name="verify-code"),
]
