from django.dispatch import Signal

# Sent once, inside the transaction that creates a shop, so feature apps can add their
# defaults (e.g. the questionnaires app adds a default questionnaire per journey stage).
organization_created = Signal()
