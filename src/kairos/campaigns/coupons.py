"""A campaign's pool of coupon codes: imported by the shop, handed out one per impression."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kairos.boundary.rules import text_problem
from kairos.campaigns.models import CouponCode
from kairos.errors import Problems

MAX_CODE = 100
MAX_IMPORT = 100_000


@dataclass(frozen=True)
class PoolStatus:
    total: int
    left: int

    @property
    def exhausted(self):
        """No code left to hand out (an empty pool included)."""
        return self.left == 0


def parse_codes(text):
    """One code per line (or the first column of a CSV line); blanks and repeats dropped."""
    codes = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split(",")[0].strip().strip('"')
        if not code or code.lower() in ("code", "coupon"):
            continue
        if len(code) > MAX_CODE:
            raise Problems([("codes", _("line %(line)s: longer than %(max)s characters")
                             % {"line": number, "max": MAX_CODE})])
        problem = text_problem(code)
        if problem:
            raise Problems([("codes", _("line %(line)s: %(problem)s")
                             % {"line": number, "problem": problem})])
        codes.append(code)
    if len(codes) > MAX_IMPORT:
        raise Problems([("codes", _("at most %(max)s codes at a time")
                         % {"max": f"{MAX_IMPORT:,}"})])
    return list(dict.fromkeys(codes))


def add_codes(campaign, codes):
    """Adds the codes the pool does not have yet; returns how many were new."""
    before = CouponCode.objects.filter(campaign=campaign).count()
    CouponCode.objects.bulk_create([CouponCode(campaign=campaign, code=c) for c in codes],
                                   ignore_conflicts=True, batch_size=1000)
    return CouponCode.objects.filter(campaign=campaign).count() - before


def pool_status(campaign):
    codes = CouponCode.objects.filter(campaign=campaign)
    return PoolStatus(codes.count(), codes.filter(impression__isnull=True).count())


def uses_pool(campaign):
    return campaign.content.get("coupon_mode") == "pool"
