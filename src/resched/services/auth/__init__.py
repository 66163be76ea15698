"""Authentication: passwords checked under a rate limit, sessions, tokens, and their audit.

Authorization (who may do what) is resched.services.permissions.
"""
