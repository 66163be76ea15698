"""Leave after publishing: a leave request's decision with a minimal-change repair of the
published schedule (proposed by the generator's repair mode, applied as one change set), and
emergency coverage when someone becomes unavailable at short notice.

- ``touched``: the published shifts an absence touches and the range a repair solves;
- ``proposal``: start the repair job, read the proposal (what it changes);
- ``decide``: approve (with or without the repair), deny, publish an emergency's repair;
- ``emergency``: an approved absence at once, and its repair job;
- ``queue``: the coordinator's approval queue.
"""
