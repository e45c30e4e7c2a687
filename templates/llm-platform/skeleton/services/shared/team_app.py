"""The FastAPI app shared by the team services (quant-api, finetune-api, eval-api)."""
from __future__ import annotations

import logging
import os
import uuid
from typing import Optional

from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from shared.health import install_health_routes
from shared.metrics import install_metrics
from shared.telemetry import setup_telemetry
from shared.vllm_client import VLLMClient, VLLMError


class PredictRequest(BaseModel):
    inputs: str
    parameters: dict = Field(default_factory=dict)


def create_team_app(service: str, team: str, client: Optional[VLLMClient] = None) -> FastAPI:
    logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO"))
    app = FastAPI(title=service)
    app.state.backend = client or VLLMClient()
    install_health_routes(app, service)
    install_metrics(app, service)
    setup_telemetry(app, service)

    @app.get("/info")
    async def info() -> dict:
        return {"service": service, "team": team, "backend": app.state.backend.base_url}

    @app.post("/predict")
    async def predict(
        request: PredictRequest, x_correlation_id: Optional[str] = Header(default=None)
    ) -> JSONResponse:
        correlation_id = x_correlation_id or str(uuid.uuid4())
        try:
            result = await app.state.backend.complete(request.inputs, request.parameters)
        except VLLMError as error:
            return JSONResponse(
                {"error": "model_unavailable", "message": str(error), "correlation_id": correlation_id},
                status_code=502,
            )
        return JSONResponse({**result, "team": team, "correlation_id": correlation_id})

    return app
