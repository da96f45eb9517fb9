"""`kairos createuser` checks passwords with the same validators as the dashboard (issue 13)."""

import pytest
from django.core.management import CommandError, call_command

from kairos.accounts.models import Membership


@pytest.mark.parametrize("password", ["P", "password", "12345678901", "zoe@example.com1"])
def test_a_weak_password_is_refused_and_nothing_is_created(db, password):
    with pytest.raises(CommandError, match="^password: "):
        call_command("createuser", "zoe@example.com", password=password,
                     organization="Zoe Shop")
    assert not Membership.objects.exists()


def test_the_reason_is_given(db):
    with pytest.raises(CommandError, match="too short"):
        call_command("createuser", "zoe@example.com", password="P", organization="Zoe Shop")
