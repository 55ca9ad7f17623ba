"""The Prefect entrypoint of the briefing flow (`prefect.yaml`: `flows/briefing.py:briefing`), and a
one-off run from the command line:

    python flows/briefing.py examples/articles [--config my.yaml] [--out DIR] [--models DIR]

The flow itself is `polybrief.flows.briefing`; this file only exposes it where Prefect looks.
"""

from __future__ import annotations

import argparse

from polybrief.flows.briefing import briefing

__all__ = ["briefing"]


def main() -> None:
    from polybrief.errors import PolybriefError
    from polybrief.flows.api import prefect_api
    from polybrief.preflight import quiet_telemetry

    quiet_telemetry()  # as `polybrief run`
    parser = argparse.ArgumentParser(description="One-off run of the briefing flow.")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--config")
    parser.add_argument("--out")
    parser.add_argument("--models")
    args = parser.parse_args()
    api = None
    try:
        api = prefect_api()  # the user's, or a temporary one given time to create its database
        if api:
            api.wait_ready()
        briefing(args.inputs, config_path=args.config, output_dir=args.out, models_dir=args.models)
    except PolybriefError as exc:  # the reason, once more, as the last line
        raise SystemExit(f"error: {exc}") from None
    finally:
        if api:
            api.stop()


if __name__ == "__main__":
    main()
