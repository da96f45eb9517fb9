"""Human names of the metadata fields Kairos knows; a shop's extra fields show their key."""

from django.utils.translation import gettext_lazy

METADATA_LABELS = {
    "transaction_id": gettext_lazy("Transaction id"),
    "transaction_date": gettext_lazy("Transaction date"),
    "store_id": gettext_lazy("Store"),
    "amount": gettext_lazy("Amount"),
    "products": gettext_lazy("Products"),
    "email": gettext_lazy("Email"),
    "phone_number": gettext_lazy("Phone number"),
    "name": gettext_lazy("Name"),
    "customer_id": gettext_lazy("Customer id"),
    "gender": gettext_lazy("Gender"),
}
