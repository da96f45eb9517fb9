from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kairos.accounts.forms import ApiKeyForm, MemberForm, OrganizationForm, RoleForm, SiteKeyForm
from kairos.accounts.invitations import send_invitation
from kairos.accounts.membership import SESSION_KEY, member_required
from kairos.accounts.models import ApiKey, Membership, SiteKey
from kairos.accounts.roles import Permission, Role
from kairos.accounts.services import get_or_create_user

SETTINGS = Permission.MANAGE_SETTINGS


@member_required(SETTINGS)
def organization_settings(request):
    form = OrganizationForm(request.POST or None, instance=request.actor.organization)
    if request.method == "POST" and form.is_valid():
        form.save()  # moves the shop's config_version: its time zone, language, country
        messages.success(request, _("Settings saved."))
        return redirect("settings:organization")
    return render(request, "accounts/organization.html", {"form": form})


@member_required(SETTINGS)
def keys(request):
    organization = request.actor.organization
    site_key_form = SiteKeyForm(prefix="site")
    api_key_form = ApiKeyForm(prefix="api", creator_role=request.actor.role)
    new_secret = None
    if request.method == "POST" and "create_site_key" in request.POST:
        site_key_form = SiteKeyForm(request.POST, prefix="site")
        if site_key_form.is_valid():
            site_key_form.instance.organization = organization
            site_key_form.save()
            messages.success(request, _("Site key created."))
            return redirect("settings:keys")
    elif request.method == "POST" and "create_api_key" in request.POST:
        api_key_form = ApiKeyForm(request.POST, prefix="api", creator_role=request.actor.role)
        if api_key_form.is_valid():
            # Rendered, not redirected: this response is the only time the secret is shown.
            _key, new_secret = ApiKey.issue(
                organization, api_key_form.cleaned_data["name"],
                role=api_key_form.cleaned_data["role"], created_by=request.user,
                creator_role=request.actor.role,
            )
            api_key_form = ApiKeyForm(prefix="api", creator_role=request.actor.role)
    context = {
        "site_keys": organization.site_keys.order_by("id"),
        "api_keys": organization.api_keys.order_by("-created_at"),
        "site_key_form": site_key_form,
        "api_key_form": api_key_form,
        "new_secret": new_secret,
    }
    return render(request, "accounts/keys.html", context)


@member_required(SETTINGS)
def edit_site_key(request, key_id):
    site_key = get_object_or_404(SiteKey, pk=key_id, organization=request.actor.organization)
    form = SiteKeyForm(request.POST or None, instance=site_key)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Site key saved."))
        return redirect("settings:keys")
    return render(request, "accounts/site_key.html", {"form": form, "site_key": site_key})


@require_POST
@member_required(SETTINGS)
def revoke_api_key(request, key_id):
    api_key = get_object_or_404(ApiKey, pk=key_id, organization=request.actor.organization)
    api_key.revoke()
    messages.success(request, _("API key “%(name)s” revoked.") % {"name": api_key.name})
    return redirect("settings:keys")


@member_required(SETTINGS)
def users(request):
    organization = request.actor.organization
    may_grant_owner = request.actor.can(Permission.MANAGE_OWNERS)
    form = MemberForm(request.POST or None, may_grant_owner=may_grant_owner)
    if request.method == "POST" and form.is_valid():
        add_member(request, form.cleaned_data["email"], form.cleaned_data["role"])
        return redirect("settings:users")
    memberships = organization.memberships.select_related("user").order_by("user__email")
    context = {"form": form, "memberships": memberships, "roles": Role.choices}
    return render(request, "accounts/users.html", context)


def add_member(request, email, role):
    user, created = get_or_create_user(email)
    membership, added = Membership.objects.get_or_create(
        user=user, organization=request.actor.organization, defaults={"role": role}
    )
    if added:
        # Their own invitation: the shop, who invited them, and a link to choose a password.
        send_invitation(request, membership, new_account=created)
        messages.success(request, _("%(email)s added and invited by e-mail.") % {"email": email})
    else:
        messages.info(request, _("%(email)s is already a member.") % {"email": email})


@require_POST
@member_required(SETTINGS)
def edit_member(request, membership_id):
    membership = get_object_or_404(
        Membership, pk=membership_id, organization=request.actor.organization
    )
    problem = membership_change_problem(request, membership)
    if problem:
        messages.error(request, problem)
    elif "remove" in request.POST:
        membership.delete()
        messages.success(request, _("Member removed."))
    else:
        form = RoleForm(request.POST)
        if form.is_valid():
            membership.role = form.cleaned_data["role"]
            membership.save(update_fields=["role"])
            messages.success(request, _("Role changed."))
    return redirect("settings:users")


def membership_change_problem(request, membership):
    """Why this change is refused, or None. Owners are protected from lock-out."""
    touches_owner = membership.role == Role.OWNER or request.POST.get("role") == Role.OWNER
    if touches_owner and not request.actor.can(Permission.MANAGE_OWNERS):
        return _("Only an owner can grant or remove the Owner role.")
    if membership.role == Role.OWNER and request.POST.get("role") != Role.OWNER:
        owners = membership.organization.memberships.filter(role=Role.OWNER)
        if owners.count() == 1:
            return _("A shop needs at least one owner.")
    return None


@require_POST
@member_required()
def switch_organization(request, organization_id):
    membership = get_object_or_404(
        Membership, user=request.user, organization_id=organization_id
    )
    request.session[SESSION_KEY] = membership.organization_id
    return redirect("dashboard:home")
