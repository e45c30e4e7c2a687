"""quant-api: the quant team's inference API, backed by the platform's vLLM server."""
from shared.team_app import create_team_app


def create_app(client=None):
    return create_team_app("quant-api", team="quant", client=client)


app = create_app()
