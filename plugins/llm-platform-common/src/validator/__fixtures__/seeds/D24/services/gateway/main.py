from fastapi import FastAPI

app = FastAPI(title="gateway")


@app.post("/api/{team}/predict")
async def predict(team: str):
    return {"team": team}
