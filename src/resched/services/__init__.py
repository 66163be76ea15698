"""Use cases: keyword-only functions that own the transaction.

Every adapter (API, pages, tasks, CLI) calls these; none of them commits. Writes validate the
domain rules (``Invalid`` naming the field), map unknown ids to ``NotFound`` and database
integrity violations to ``Conflict``, and record an audit event in the same transaction.
"""
