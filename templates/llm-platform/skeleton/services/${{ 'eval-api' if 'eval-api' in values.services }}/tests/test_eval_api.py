import json

import httpx
from fastapi.testclient import TestClient

from main import create_app
from shared.vllm_client import VLLMClient


def fake_vllm(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/models":
        return httpx.Response(200, json={"data": [{"id": "served-model"}]})
    if request.url.path == "/v1/completions":
        body = json.loads(request.content)
        return httpx.Response(
            200,
            json={
                "model": body["model"],
                "choices": [{"text": f"echo:{body['prompt']}"}],
                "usage": {"completion_tokens": 2},
            },
        )
    if request.url.path == "/health":
        return httpx.Response(200)
    return httpx.Response(404)


def make_client(handler=fake_vllm):
    backend = VLLMClient(base_url="http://vllm.test:8000", transport=httpx.MockTransport(handler))
    return TestClient(create_app(client=backend))


def test_health_endpoints_are_true_without_any_model_backend():
    def down(request):
        raise httpx.ConnectError("down", request=request)

    client = make_client(down)
    for path in ("/startup", "/health", "/ready"):
        assert client.get(path).status_code == 200, path


def test_predict_uses_vllm_with_the_discovered_model():
    response = make_client().post("/predict", json={"inputs": "hello", "parameters": {"max_new_tokens": 5}})
    assert response.status_code == 200
    body = response.json()
    assert body["generated_text"] == "echo:hello"
    assert body["model"] == "served-model"
    assert body["team"] == "eval"


def test_predict_reports_an_unreachable_model_as_502():
    def down(request):
        raise httpx.ConnectError("down", request=request)

    response = make_client(down).post("/predict", json={"inputs": "hello"})
    assert response.status_code == 502
    assert response.json()["error"] == "model_unavailable"


def test_info_names_the_service():
    assert make_client().get("/info").json()["service"] == "eval-api"
