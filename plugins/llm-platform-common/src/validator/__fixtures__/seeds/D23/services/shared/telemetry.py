from opentelemetry.trace.propagation import TraceContextTextMapPropagator


def setup_telemetry():
    return TraceContextTextMapPropagator()
