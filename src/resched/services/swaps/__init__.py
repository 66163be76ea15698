"""The swap board (issue 13): shifts offered for a give-away or a trade, taken by a colleague,
approved at once when the program's policy allows or by a coordinator, executed as one change
set of the version (resched.services.changes) - atomic, re-validated, reversible by undoing
the change.

- offers.py: offer, cancel (the offerer), decline (the named colleague);
- decisions.py: accept or take (the taker), approve and deny (a coordinator);
- board.py: the lists (the open board, mine, offered to me, waiting for approval).
"""
