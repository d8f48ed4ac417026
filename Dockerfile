# syntax=docker/dockerfile:1
# policybot in HTTP mode: `docker compose up` (compose.yaml) runs it behind nginx on PostgreSQL.
# Built from the lock file: every package pinned and hash-checked, wheels only.
ARG PYTHON_VERSION=3.11

# -- build: the locked dependencies and policybot's own wheel, in a virtual environment ------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/policybot
WORKDIR /src
COPY requirements.lock ./
RUN /opt/policybot/bin/pip install --require-hashes --only-binary :all: -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY runtime ./runtime
COPY policy_content ./policy_content
RUN /opt/policybot/bin/pip install --no-deps . \
    && /opt/policybot/bin/python -m compileall -q /opt/policybot

# -- run: the environment alone, as an unprivileged user ---------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm
RUN groupadd --system --gid 10001 policybot \
    && useradd --system --uid 10001 --gid policybot --home-dir /data --create-home policybot
COPY --from=build /opt/policybot /opt/policybot
ENV PATH=/opt/policybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=3000
WORKDIR /data
USER 10001:10001
EXPOSE 3000
# /healthz: the process lives and serves (readiness, /readyz, is for the load balancer).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=2)"]
# SIGTERM (docker stop) finishes the work in flight, then exits.
STOPSIGNAL SIGTERM
CMD ["policybot", "serve", "--http"]
