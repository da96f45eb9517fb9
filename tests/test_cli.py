import subprocess
from pathlib import Path

from django.core.management import call_command

from kairos.accounts.models import ApiKey, Membership, Organization
from kairos.demo import DEMO_EMAIL, DEMO_SHOP_NAME

ROOT = Path(__file__).resolve().parent.parent


def test_demo_is_idempotent_and_prints_the_login(db, capsys):
    call_command("demo", site_url="http://127.0.0.1:8000")
    call_command("demo", site_url="http://127.0.0.1:8000")
    output = capsys.readouterr().out
    assert Organization.objects.filter(name=DEMO_SHOP_NAME).count() == 1
    shop = Organization.objects.get(name=DEMO_SHOP_NAME)
    assert Membership.objects.filter(organization=shop, user__username=DEMO_EMAIL).count() == 1
    site_key = shop.site_keys.get()
    assert site_key.allows_origin("http://127.0.0.1:8000")
    assert site_key.allows_origin("http://localhost:8000")
    assert DEMO_EMAIL in output and site_key.key in output
    secret = output.split("API key")[-1].split()[0]
    assert ApiKey.authenticate(secret).organization == shop


def test_createuser_creates_a_shop_and_its_owner(db):
    call_command("createuser", "zoe@example.com", password="pass phrase 123",
                 organization="Zoe Shop", role="owner")
    membership = Membership.objects.get(user__username="zoe@example.com")
    assert membership.organization.name == "Zoe Shop" and membership.role == "owner"
    assert membership.user.check_password("pass phrase 123")


def test_demo_gives_the_shop_live_campaigns_with_a_history(db):
    from kairos.callbacks.models import CallbackRequest
    from kairos.campaigns.models import Campaign, Impression

    call_command("demo", site_url="http://127.0.0.1:8000")
    shop = Organization.objects.get(name=DEMO_SHOP_NAME)
    campaigns = Campaign.objects.filter(organization=shop, active=True)
    assert "callback_request" in set(campaigns.values_list("type", flat=True))
    impressions = Impression.objects.filter(organization=shop).count()
    assert impressions > 1000
    assert CallbackRequest.objects.filter(organization=shop).exists()
    call_command("demo", site_url="http://127.0.0.1:8000")
    assert Impression.objects.filter(organization=shop).count() == impressions
    from kairos.events.models import Event

    assert not Event.objects.exists()  # sample history is not news: no webhooks, no e-mails


def test_every_demo_run_leaves_one_active_demo_key(db, capsys):
    call_command("demo", site_url="http://127.0.0.1:8000")
    first = capsys.readouterr().out.split("API key")[-1].split()[0]
    call_command("demo", site_url="http://127.0.0.1:8000")
    second = capsys.readouterr().out.split("API key")[-1].split()[0]
    shop = Organization.objects.get(name=DEMO_SHOP_NAME)
    assert ApiKey.objects.usable().filter(organization=shop).count() == 1
    assert ApiKey.authenticate(first) is None
    assert ApiKey.authenticate(second).organization == shop


def test_make_run_installs_only_what_running_needs(tmp_path):
    plan = subprocess.run(
        ["make", "-n", "run", f"VENV={tmp_path}/venv", f"DATA_DIR={tmp_path}/data"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    install = [line for line in plan.splitlines() if "pip install" in line and "-e" in line]
    assert install and all("[test]" not in line for line in install), plan
    assert "Installing" in plan  # says what it is doing before pip starts
