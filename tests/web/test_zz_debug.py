import collections, os
from tests.web.conftest import WebApp
from tests.web.growth import grow_activity
from tests.web import test_route_queries as t
from tests.web.seed import grow


def test_debug(web: WebApp) -> None:
    seeded = web.seed(residents_per_level=1, faculty=1)
    grow_activity(web.session_factory, count=2)
    found = t.records(web)
    clients = t._signed_in(web, found)
    grow(web.session_factory, seeded, residents=40, absences=20)
    grow_activity(web.session_factory, count=40)
    out = []
    for spec in os.environ["PATHS"].split():
        role, path = spec.split(":", 1)
        t._count(web, clients[role], path)
        c = collections.Counter(" ".join(s.split())[:400] for s in web.queries.statements)
        out.append(f"== {spec} {len(web.queries.statements)}")
        out += [f"{n} {s}" for s, n in c.most_common(4)]
    open("/tmp/q/debug.txt", "w").write("\n".join(out))
