from fastapi import FastAPI

from shared.health import router as health_router

app = FastAPI(title="gateway")
app.include_router(health_router)


@app.post("/api/{team}/predict")
async def predict(team: str):
    return {"team": team}
