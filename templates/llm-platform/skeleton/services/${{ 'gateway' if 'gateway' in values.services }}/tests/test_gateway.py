import json

import httpx
from fastapi.testclient import TestClient

from main import create_app, default_route_table


def upstream(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/predict":
        body = json.loads(request.content)
        return httpx.Response(200, json={"generated_text": body["inputs"].upper(), "via": str(request.url)})
    if request.url.path == "/v1/models":
        return httpx.Response(200, json={"data": [{"id": "served-model"}]})
    return httpx.Response(404, json={"error": "not found"})


def client(monkeypatch, transport=httpx.MockTransport(upstream)):
    monkeypatch.delenv("ROUTE_TABLE", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    return TestClient(create_app(transport=transport))


def test_health_endpoints_answer_without_any_backend(monkeypatch):
    c = client(monkeypatch)
    for path in ("/startup", "/health", "/ready"):
        response = c.get(path)
        assert response.status_code == 200, path
        assert response.json()["service"] == "gateway"


def test_default_routes_carry_the_service_port():
    for url in default_route_table().values():
        assert url.endswith(":8000"), url


def test_predict_is_forwarded_to_the_team_service_with_port(monkeypatch):
    response = client(monkeypatch).post("/api/quant/predict", json={"inputs": "hi"})
    assert response.status_code == 200
    assert response.json()["generated_text"] == "HI"
    assert response.json()["via"] == "http://quant-api.quant.svc.cluster.local:8000/predict"


def test_route_table_from_environment(monkeypatch):
    monkeypatch.setenv(
        "ROUTE_TABLE", json.dumps({"eval": {"url": "http://eval-api.eval.svc.cluster.local:8000"}})
    )
    app = create_app(transport=httpx.MockTransport(upstream))
    response = TestClient(app).get("/api/routes")
    assert response.json()["routes"] == {"eval": "http://eval-api.eval.svc.cluster.local:8000"}


def test_unknown_team_is_a_404(monkeypatch):
    response = client(monkeypatch).post("/api/marketing/predict", json={"inputs": "hi"})
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_team"


def test_upstream_down_is_a_502_not_a_crash(monkeypatch):
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    response = client(monkeypatch, httpx.MockTransport(refuse)).post("/api/eval/predict", json={"inputs": "x"})
    assert response.status_code == 502
    assert response.json()["error"] == "upstream_unreachable"


def test_models_are_proxied_from_vllm(monkeypatch):
    response = client(monkeypatch).get("/v1/models")
    assert response.json()["data"][0]["id"] == "served-model"


def test_metrics_are_exposed(monkeypatch):
    c = client(monkeypatch)
    c.post("/api/quant/predict", json={"inputs": "hi"})
    assert "llm_platform_http_requests_total" in c.get("/metrics").text
