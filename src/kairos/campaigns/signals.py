from django.dispatch import Signal

# Sent inside the transaction that stores a customer's action (kwargs: action, data), so
# apps that build on actions add their own rows atomically with it: the callbacks app
# opens a callback request for every "callback_request" action.
action_recorded = Signal()
