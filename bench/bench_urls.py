"""The app's URLs plus /bench/bare/: one trivial database query through the whole middleware
stack, the baseline against which bench_submit.py measures the real submission."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view
from rest_framework.response import Response


@csrf_exempt
def bare_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@api_view(["POST"])
def bench_submit_view(request, pk: int):
    """Fallback used only when the API's submit endpoint is missing: the domain service itself,
    behind DRF's default authentication (session or HTTP Basic)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from rokhas.dossiers import services
    from rokhas.dossiers.models import Dossier

    dossier = Dossier.objects.filter(pk=pk).first()
    if dossier is None:
        return Response({"detail": "not found"}, status=404)
    try:
        dossier = services.submit(actor=request.user, dossier=dossier,
                                  token=request.headers.get("Idempotency-Key", ""))
    except ValidationError as exc:
        return Response({"detail": exc.messages}, status=400)
    except PermissionDenied as exc:
        return Response({"detail": str(exc)}, status=403)
    return Response({"id": dossier.pk, "reference": dossier.reference, "status": dossier.status})


urlpatterns = [
    path("bench/bare/", bare_view, name="bench-bare"),
    path("bench/submit/<int:pk>/", bench_submit_view, name="bench-submit"),
]

# rokhas.urls uses i18n_patterns, which must sit in the root URLconf: take its patterns as they are
# (include() would refuse them).
try:
    from rokhas.urls import urlpatterns as _app_urlpatterns
except Exception as exc:  # noqa: BLE001 - the app's URLs may be mid-rewrite; the bare view still serves
    APP_URLS_ERROR = f"{exc.__class__.__name__}: {exc}"
else:
    APP_URLS_ERROR = None
    urlpatterns += _app_urlpatterns
