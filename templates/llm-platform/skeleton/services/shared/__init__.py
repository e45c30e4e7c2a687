"""Modules shared by every service: health, metrics, telemetry and the vLLM client.

Services import them as ``shared.*``; the Dockerfiles copy this folder to
/app/shared and set PYTHONPATH=/app (FAILURES.md D22).
"""
