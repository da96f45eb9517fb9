"""The shop's settings as one resource (GET/PATCH /api/v1/shop), gathered from the apps
that own them: the shop itself (accounts), its contact budget (campaigns), and whatever
later settings add a section (sections.py)."""
