import os

import httpx

VLLM_BASE_URL = os.getenv("VLLM_BASE_URL", "http://mistral-7b.llm.svc.cluster.local:8000")


async def complete(prompt: str) -> dict:
    async with httpx.AsyncClient(base_url=VLLM_BASE_URL) as client:
        response = await client.post("/v1/completions", json={"prompt": prompt})
        return response.json()
