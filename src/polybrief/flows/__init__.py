"""The Prefect layer: the briefing flow and its tasks (orchestration only: tasks, mapping,
retries, artifacts), the Prefect API a run talks to, and the housekeeping between tasks. The work
itself lives in `polybrief.stages` and `polybrief.engines`, which never import Prefect.

The top-level `flows/` folder holds the entrypoints Prefect deploys (`flows/briefing.py:briefing`)."""
