"""Prometheus metrics, served on /metrics of the service port."""
from __future__ import annotations

import time

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

# Defined once per process: several apps in one test run share them.
REQUESTS = Counter(
    "llm_platform_http_requests_total",
    "HTTP requests handled",
    ["service", "route", "status"],
)
LATENCY = Histogram(
    "llm_platform_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "route"],
)
_SKIPPED = {"/metrics", "/health", "/ready", "/startup"}


def install_metrics(app: FastAPI, service: str) -> None:
    @app.middleware("http")
    async def record(request: Request, call_next):
        if request.url.path in _SKIPPED:
            return await call_next(request)
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        REQUESTS.labels(service, route, str(response.status_code)).inc()
        LATENCY.labels(service, route).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
