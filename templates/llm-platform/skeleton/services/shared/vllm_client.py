"""OpenAI-compatible client for the in-cluster vLLM server.

It is the default backend of every team service, so no code path calls a
missing external inference client (FAILURES.md D27). The served model is discovered
from /v1/models unless VLLM_MODEL pins it.
"""
from __future__ import annotations

import os
import time
from typing import Any, Optional

import httpx

from shared.config import vllm_base_url


class VLLMError(RuntimeError):
    """vLLM answered with an error or could not be reached."""


class VLLMClient:
    def __init__(
        self,
        base_url: Optional[str] = None,
        model: Optional[str] = None,
        timeout: float = 120.0,
        transport: Optional[httpx.AsyncBaseTransport] = None,
    ) -> None:
        self.base_url = (base_url or vllm_base_url()).rstrip("/")
        self._model = model or os.getenv("VLLM_MODEL") or None
        self._timeout = timeout
        self._transport = transport

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url, timeout=self._timeout, transport=self._transport
        )

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict:
        try:
            async with self._client() as client:
                response = await client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise VLLMError(f"vLLM at {self.base_url} unreachable: {error}") from error
        if response.status_code >= 400:
            raise VLLMError(f"vLLM {path} answered {response.status_code}: {response.text[:200]}")
        return response.json()

    async def list_models(self) -> list:
        body = await self._request("GET", "/v1/models")
        return [entry["id"] for entry in body.get("data", [])]

    async def model(self) -> str:
        if self._model is None:
            models = await self.list_models()
            if not models:
                raise VLLMError("vLLM serves no model")
            self._model = models[0]
        return self._model

    async def complete(self, prompt: str, parameters: Optional[dict] = None) -> dict:
        params = dict(parameters or {})
        payload = {
            "model": await self.model(),
            "prompt": prompt,
            "max_tokens": int(params.pop("max_new_tokens", params.pop("max_tokens", 256))),
            **params,
        }
        started = time.perf_counter()
        body = await self._request("POST", "/v1/completions", json=payload)
        choice = (body.get("choices") or [{}])[0]
        return {
            "generated_text": choice.get("text", ""),
            "model": body.get("model", payload["model"]),
            "usage": body.get("usage", {}),
            "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        }

    async def is_healthy(self) -> bool:
        try:
            async with self._client() as client:
                response = await client.get("/health")
            return response.status_code == 200
        except httpx.HTTPError:
            return False
