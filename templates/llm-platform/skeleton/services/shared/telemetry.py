"""OpenTelemetry tracing, enabled when OTEL_EXPORTER_OTLP_ENDPOINT is set.

Only imports that exist in the pinned packages of requirements.txt
(FAILURES.md D23): W3C trace-context propagation is the SDK default, so no
propagator is configured by hand. When the endpoint is set and a package is
missing, start-up fails loudly instead of running without traces.
"""
from __future__ import annotations

import logging
import os

from fastapi import FastAPI

log = logging.getLogger(__name__)


def setup_telemetry(app: FastAPI, service: str) -> bool:
    endpoint = os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    if not endpoint:
        log.info("OTEL_EXPORTER_OTLP_ENDPOINT not set: tracing disabled for %s", service)
        return False

    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    # The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT and appends /v1/traces.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="health,ready,startup,metrics")
    HTTPXClientInstrumentor().instrument()
    return True
