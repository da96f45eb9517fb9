"""Holdout groups: which customers are held out of a campaign, as its control group.

Assignment is a pure function of the campaign and the customer's identity: the same
customer is always in the same group of a campaign (on any device, once they give the
same customer id, e-mail or phone), independently of every other campaign, and a share
of customers as close to the configured percentage as chance allows. No state is kept:
nothing to store, replicate or migrate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable

BUCKETS = 10_000  # a percentage with two decimals


def bucket(campaign_id: Hashable, identity: str) -> int:
    """A uniform bucket in [0, BUCKETS) for this customer in this campaign.

    The campaign id is part of the hashed text, so a customer's buckets in two campaigns
    are independent; blake2b spreads any identity evenly.
    """
    text = f"{campaign_id}\x1f{identity}".encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big") % BUCKETS


def is_held_out(campaign_id: Hashable, identity: str, percent: float) -> bool:
    """Whether the customer is in the campaign's control group.

    A response with no identity at all (not even a device) is never held out: it could
    not be kept in one group, nor followed to a later order.
    """
    if percent <= 0 or not identity:
        return False
    return bucket(campaign_id, identity) < percent * BUCKETS / 100
