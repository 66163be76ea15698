# syntax=docker/dockerfile:1
# resched: build in a hardened -dev image (compilers, pip, a shell), run in the minimal hardened
# image (no shell, no package manager, non-root). docs/deployment.md "Container image".
# Base images are pinned by tag; pin them by digest too for a reproducible build
# (docs/deployment.md says how). Never swap them for slim or alpine images to make a build pass.

FROM dhi.io/python:3.12-dev AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src

# uv only turns uv.lock into a requirements file with hashes; it never reaches the runtime image.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv export --frozen --no-dev --no-emit-project --format requirements-txt \
        --output-file requirements.txt \
    && python -m pip wheel --require-hashes --wheel-dir /wheels -r requirements.txt

# The project's own wheel, built with the backend pinned here (hatchling, as uv.lock's
# environment builds it) and without build isolation, so no unpinned build tool is fetched.
COPY src ./src
RUN python -m venv /opt/build-tools \
    && /opt/build-tools/bin/pip install hatchling==1.33.0 \
    && /opt/build-tools/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /wheels/app .

# The runtime environment: a venv WITHOUT pip (no package manager in the final image), filled
# from the wheels above by the build stage's pip. Hashes were verified when pip wheel fetched them;
# wheels built here from an sdist have no published hash, so they are installed by file.
# The venv links to the -dev image's interpreter, which the runtime image of the same tag
# keeps at the same path (docs/deployment.md: how to check it after a base image update).
RUN python -m venv --without-pip /opt/resched \
    && python -m pip --python /opt/resched/bin/python install --no-index --no-deps \
        --compile /wheels/*.whl /wheels/app/*.whl \
    && python -m pip --python /opt/resched/bin/python check

FROM dhi.io/python:3.12 AS runtime

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="resched" \
      org.opencontainers.image.description="Scheduling for medical residency programs: rotation plans, call schedules, ACGME compliance" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="dhi.io/python:3.12"

# Only the installed environment crosses over: no compiler, no pip, no wheels, no sources.
COPY --from=build /opt/resched /opt/resched

# /srv/resched/var is the only path the app writes (beat's schedule file; nothing else in
# production): a volume, so the root filesystem can be mounted read-only.
ENV PATH="/opt/resched/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RESCHED_ENV=production \
    RESCHED_HOST=0.0.0.0 \
    RESCHED_PORT=8000 \
    RESCHED_LOG_JSON=true
WORKDIR /srv/resched
VOLUME ["/srv/resched/var", "/tmp"]

# The hardened image's non-root user, by number so a runtime policy (runAsNonRoot) can check it.
USER 65532:65532
EXPOSE 8000

# Exec form: the runtime image has no shell. /healthz answers while the process lives; the
# request names the first RESCHED_ALLOWED_HOSTS entry, as every request must name an allowed host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; host = os.environ.get('RESCHED_ALLOWED_HOSTS', 'localhost').split(',')[0].strip(); u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('RESCHED_PORT', '8000') + '/healthz', headers={'Host': host}), timeout=4)"]

ENTRYPOINT ["resched"]
CMD ["serve", "--workers", "2"]
