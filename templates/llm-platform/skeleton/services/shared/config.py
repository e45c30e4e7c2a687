"""Settings read from the environment, with the defaults the manifests use."""
from __future__ import annotations

import os

# One port for every service: container, Service and every URL (FAILURES.md D25, D26).
SERVICE_PORT = int(os.getenv("SERVICE_PORT", "8000"))


def service_url(service: str, namespace: str) -> str:
    """In-cluster URL of a service, always with its port (FAILURES.md D26)."""
    return f"http://{service}.{namespace}.svc.cluster.local:{SERVICE_PORT}"


def vllm_base_url() -> str:
    return os.getenv("VLLM_BASE_URL", service_url("vllm", "llm-serving")).rstrip("/")
