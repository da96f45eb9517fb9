"""The campaigns dashboard, one module per page: the catalogue and creation (create.py),
My campaigns (my_campaigns.py), a campaign's basic information (basic_information.py)
and “why did this customer see…?” (why.py).

Views build a context and render it; the rules live in services.py, insights.py and
preview.py, shared with the API; the audit log's words in audit_log.py.
"""

from django.shortcuts import get_object_or_404

from kairos.campaigns.models import Campaign


def own_campaign(request, pk):
    return get_object_or_404(Campaign.objects.prefetch_related("segments"), pk=pk,
                             organization=request.actor.organization)
