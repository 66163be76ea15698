"""Small per-process caches of read results, one set per database (issue 17): the check of a
version (check_cache.py) and the Schedule page's view (pages/schedule_view.py).

Each cache is a bounded LRU safe to share between threads: entries are never changed after
they are stored, so a reader may hand one to several requests at once. The caches of a
database live as long as its engine (each program is a database of its own, so no program is
ever served another's entry). What an entry is keyed on, and why that key cannot serve stale
data, is each user's to say.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from sqlalchemy.engine import Engine

from resched.db.generation import read_generation
from resched.services.common import SessionFactory, read


class BoundedCache[V]:
    """At most ``size`` entries and ``most`` units of ``weight`` (the newest entry is kept even
    when it alone is over); ``hits``/``misses`` are for tests and benchmarks."""

    def __init__(
        self, size: int, most: int | None = None, weight: Callable[[V], int] | None = None
    ) -> None:
        self._size = size
        self._most = most
        self._weight = weight or (lambda _: 1)
        self._held = 0
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._held -= self._weight(old)
            self._entries[key] = value
            self._held += self._weight(value)
            while len(self._entries) > 1 and (
                len(self._entries) > self._size
                or (self._most is not None and self._held > self._most)
            ):
                _, dropped = self._entries.popitem(last=False)
                self._held -= self._weight(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0
            self.hits = self.misses = 0


_CACHES: weakref.WeakKeyDictionary[Engine, dict[str, BoundedCache[object]]] = (
    weakref.WeakKeyDictionary()
)
_CACHES_LOCK = threading.Lock()


def cache_for[V](
    factory: SessionFactory, name: str, make: Callable[[], BoundedCache[V]]
) -> BoundedCache[V]:
    """The cache ``name`` of the factory's database, made by ``make`` on first use."""
    engine = factory.kw["bind"]
    with _CACHES_LOCK:
        caches = _CACHES.setdefault(engine, {})
        found = caches.get(name)
        if found is None:
            found = caches[name] = make()  # type: ignore[assignment]
        return found  # type: ignore[return-value]


def clear_read_caches() -> None:
    """Forget every stored entry of every database: for a database emptied or restored behind
    the processes' back (the tests' clean-up; after a restore, restart the server)."""
    with _CACHES_LOCK:
        caches = [cache for named in _CACHES.values() for cache in named.values()]
    for cache in caches:
        cache.clear()


def kept[V](
    factory: SessionFactory,
    name: str,
    make: Callable[[], BoundedCache[V]],
    tables: Iterable[str],
    rest: tuple[Hashable, ...],
    build: Callable[[], V],
) -> tuple[tuple[Hashable, ...], V]:
    """What ``build`` reads, kept in the cache ``name`` under the data generation of ``tables``
    (read first, in a session of its own: the entry can only be newer than its key) and
    ``rest``; the key is returned with it (for caches of variants of the entry)."""
    with read(factory) as session:
        key = (read_generation(session, tables), *rest)
    cache = cache_for(factory, name, make)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.put(key, found)
    return key, found
