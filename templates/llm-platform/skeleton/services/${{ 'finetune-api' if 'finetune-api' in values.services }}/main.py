"""finetune-api: the finetune team's inference API, backed by the platform's vLLM server."""
from shared.team_app import create_team_app


def create_app(client=None):
    return create_team_app("finetune-api", team="finetune", client=client)


app = create_app()
