"""`kairos worker`: runs Kairos' background work (Django's Tasks API, database backend).

Between tasks it dispatches the outbox (kairos.events) and runs again the tasks of
workers that died mid-task, so nothing committed is lost whatever crashes.
"""
