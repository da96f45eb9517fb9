from django.dispatch import Signal

# Sent inside the transaction that stores a customer's action (kwargs: action, data,
# announce), so apps that build on actions add their own rows atomically with it: the
# callbacks app opens a callback request for every "callback_request" action, and
# announces it (an event) when `announce` is true.
action_recorded = Signal()
