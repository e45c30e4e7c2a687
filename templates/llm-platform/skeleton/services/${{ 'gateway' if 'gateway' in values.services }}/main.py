"""Gateway: one entry point that routes team requests and proxies vLLM's OpenAI API."""
from __future__ import annotations

import json
import logging
import os
from typing import Optional

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.config import service_url, vllm_base_url
from shared.health import install_health_routes
from shared.metrics import install_metrics
from shared.telemetry import setup_telemetry

SERVICE = "gateway"
TEAMS = {"quant": "quant-api", "finetune": "finetune-api", "eval": "eval-api"}


def default_route_table() -> dict:
    # URLs come from shared.config.service_url, which always adds the port (FAILURES.md D26).
    return {team: service_url(service, team) for team, service in TEAMS.items()}


def load_route_table() -> dict:
    raw = os.getenv("ROUTE_TABLE", "").strip()
    if not raw:
        return default_route_table()
    table = json.loads(raw)
    return {team: entry["url"] if isinstance(entry, dict) else entry for team, entry in table.items()}


def create_app(transport: Optional[httpx.AsyncBaseTransport] = None) -> FastAPI:
    logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO"))
    app = FastAPI(title=SERVICE)
    routes = load_route_table()
    timeout = float(os.getenv("UPSTREAM_TIMEOUT_SECONDS", "120"))
    install_health_routes(app, SERVICE)
    install_metrics(app, SERVICE)
    setup_telemetry(app, SERVICE)

    async def forward(method: str, url: str, request: Request) -> JSONResponse:
        headers = {"content-type": "application/json"}
        correlation_id = request.headers.get("x-correlation-id")
        if correlation_id:
            headers["x-correlation-id"] = correlation_id
        try:
            async with httpx.AsyncClient(timeout=timeout, transport=transport) as client:
                upstream = await client.request(method, url, content=await request.body(), headers=headers)
        except httpx.TimeoutException:
            return JSONResponse({"error": "upstream_timeout", "url": url}, status_code=504)
        except httpx.HTTPError as error:
            return JSONResponse({"error": "upstream_unreachable", "url": url, "message": str(error)}, status_code=502)
        try:
            body = upstream.json()
        except ValueError:
            body = {"error": "upstream_invalid_response", "body": upstream.text[:200]}
        return JSONResponse(body, status_code=upstream.status_code)

    @app.get("/api/routes")
    async def list_routes() -> dict:
        return {"routes": routes, "vllm": vllm_base_url()}

    @app.post("/api/{team}/predict")
    async def predict(team: str, request: Request) -> JSONResponse:
        if team not in routes:
            return JSONResponse(
                {"error": "unknown_team", "team": team, "known": sorted(routes)}, status_code=404
            )
        return await forward("POST", f"{routes[team]}/predict", request)

    @app.get("/v1/models")
    async def models(request: Request) -> JSONResponse:
        return await forward("GET", f"{vllm_base_url()}/v1/models", request)

    @app.post("/v1/{endpoint:path}")
    async def openai(endpoint: str, request: Request) -> JSONResponse:
        if endpoint not in ("completions", "chat/completions", "embeddings"):
            return JSONResponse({"error": "unsupported_endpoint", "endpoint": endpoint}, status_code=404)
        return await forward("POST", f"{vllm_base_url()}/v1/{endpoint}", request)

    return app


app = create_app()
