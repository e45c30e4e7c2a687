"""/startup, /health and /ready for every service (FAILURES.md D24).

They depend on nothing outside the process: no external inference endpoint, no vLLM.
A service whose model backend is down stays ready and answers 502 on the
request itself, so probes never restart a healthy pod for someone else's outage.
"""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse


class HealthState:
    def __init__(self, service: str) -> None:
        self.service = service
        self.started = True
        self.draining = False

    def body(self, status: str) -> dict:
        return {"status": status, "service": self.service}


def install_health_routes(app: FastAPI, service: str) -> HealthState:
    state = HealthState(service)
    app.state.health = state

    @app.get("/startup", include_in_schema=False)
    async def startup() -> JSONResponse:
        if not state.started:
            return JSONResponse(state.body("starting"), status_code=503)
        return JSONResponse(state.body("started"))

    @app.get("/health", include_in_schema=False)
    async def health() -> JSONResponse:
        return JSONResponse(state.body("healthy"))

    @app.get("/ready", include_in_schema=False)
    async def ready() -> JSONResponse:
        if state.draining:
            return JSONResponse(state.body("draining"), status_code=503)
        return JSONResponse(state.body("ready"))

    return state
