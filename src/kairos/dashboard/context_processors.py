from kairos.accounts.roles import Permission
from kairos.dashboard.navigation import current_url, visible_items, with_counts


def organization(request):
    """What every dashboard page needs: the shop, the role's permissions, the navigation."""
    actor = getattr(request, "actor", None)
    if not actor:
        return {}
    items = visible_items(actor)
    return {
        "actor": actor,
        "organization": actor.organization,
        "permissions": {p.value: actor.can(p) for p in Permission},
        "nav_items": with_counts(items, actor.organization),
        "nav_current": current_url(items, request.path),
    }
