"""prefect.yaml stays in step with the flow it deploys."""

import inspect
from pathlib import Path

import yaml

from polybrief.config import load_config

ROOT = Path(__file__).parent.parent


def test_every_deployment_points_at_the_flow_with_parameters_it_takes():
    from polybrief.flows.briefing import briefing

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    accepted = set(inspect.signature(briefing.fn).parameters)
    for deployment in spec["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        assert (ROOT / path).is_file() and name == "briefing"
        assert set(deployment["parameters"]) == accepted  # every parameter shown, models_dir included
        for schedule in deployment["schedules"]:
            assert len(schedule["cron"].split()) == 5 and schedule["timezone"]
        load_config(ROOT / deployment["parameters"]["config_path"])  # the deployed config is valid


def test_the_scheduled_config_briefs_only_new_articles():
    assert load_config(ROOT / "deploy.yaml").input.only_new is True


def test_prefect_yaml_needs_no_environment_variable_at_deploy_time():
    """A `{{ $VAR }}` left unset is stored literally and every run dies on it: none is used."""
    text = (ROOT / "prefect.yaml").read_text()
    assert "{{" not in text
    assert yaml.safe_load(text)["pull"] is None  # prefect deploy records the folder it runs in
