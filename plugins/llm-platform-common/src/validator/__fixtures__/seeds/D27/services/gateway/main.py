import os

from fastapi import FastAPI

from shared.health import router as health_router

app = FastAPI(title="gateway")
app.include_router(health_router)

if not os.getenv("SAGEMAKER_ENDPOINT_NAME"):
    app.state.sagemaker = None


@app.post("/api/{team}/predict")
async def predict(team: str, payload: dict):
    return await app.state.sagemaker.invoke(payload)
