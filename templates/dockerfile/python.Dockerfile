# syntax=docker/dockerfile:1
# Python: install into a virtualenv in the builder, copy the venv and the app into
# the slim image, run as a created user with a real home.
# (templates/runtime-bases.json: python:3.X -> python:3.X-slim)

ARG PYTHON_VERSION=3.12

# ---- builder: compilers and headers for wheels without binaries stay here ----
FROM python:${PYTHON_VERSION} AS builder
# One directory holds everything pip installs, so the runtime stage copies one path.
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

# ---- runtime ----
# Same Python version and path as the builder, so the venv's interpreter link works.
FROM python:${PYTHON_VERSION}-slim
# PYTHONDONTWRITEBYTECODE: no __pycache__ writes into the read-only app directory.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
# uid/gid 10001 like docker init, but with a real home: its /nonexistent breaks
# apps that write to $HOME.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
EXPOSE 8000
USER 10001:10001
# gunicorn's worker heartbeat files go to /dev/shm, which stays writable on a
# read-only root filesystem (benoitc/gunicorn #2859).
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "app:app"]
