"""Seeing what the server does: metrics, traces, logs and request ids.

requests.py   the request id (X-Request-Id) and the per-request timing middleware
steps.py      a timed (and, with tracing on, traced) block per pipeline step
metrics.py    Prometheus instruments and the /metrics page
endpoint.py   /metrics and who may read it
tracing.py    OpenTelemetry, set up from the OTEL_* variables when tracing is on
logs.py       plain or JSON log lines, each with the request id
"""
