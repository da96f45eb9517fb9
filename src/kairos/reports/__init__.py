"""Reports across the shop: Home (where the shop stands over a period) and the
closing-the-loop figures of its callback requests. The figures come from the apps below
(questionnaires, campaigns, callbacks, integrations) as aggregate queries; the period from
accounts/periods.py."""
