from fastapi import APIRouter

router = APIRouter()


@router.get("/startup")
async def startup():
    return {"status": "started"}


@router.get("/health")
async def health():
    return {"status": "healthy"}


@router.get("/ready")
async def ready():
    return {"status": "ready"}
