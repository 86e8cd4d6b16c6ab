# Data Assistant: a slim image running `data-assistant serve` as a non-root user.
#
#   docker build -t data-assistant .
#   docker run -p 8000:8000 -v ./data-assistant.yaml:/app/data-assistant.yaml:ro data-assistant
#
# The configuration is read from /app/data-assistant.yaml (DATA_ASSISTANT_CONFIG); with
# --host 0.0.0.0 it must turn auth on (deploy/data-assistant.yaml does). Secrets come from
# the environment through ${VAR} in that file.

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# Wheels of the project and its dependencies (with the tracing extra), built once.
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[tracing]"

FROM python:3.12-slim
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/data && chown app:app /app/data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels data-assistant[tracing] \
    && rm -rf /wheels
WORKDIR /app
USER app
ENV DATA_ASSISTANT_CONFIG=/app/data-assistant.yaml \
    DATA_ASSISTANT_DATA_DIR=/app/data \
    PYTHONUNBUFFERED=1
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["data-assistant", "serve", "--host", "0.0.0.0", "--port", "8000"]
