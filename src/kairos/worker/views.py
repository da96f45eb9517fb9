from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

from kairos.worker.health import worker_health


def health(request):
    """For monitoring: 200 while a worker beats, 503 when none does. Counts only: no
    shop's data."""
    report = worker_health()
    status = 200 if report["status"] == "ok" else 503
    return JsonResponse(report, status=status, encoder=DjangoJSONEncoder)
