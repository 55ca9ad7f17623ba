"""Every error polybrief raises on purpose, in one tree.

    PolybriefError                 base: catch this to handle any polybrief failure
    ├── ConfigError                a config file or value is wrong (names the key)
    ├── InputError                 an input path cannot be used at all (names the path)
    ├── ModelError                 a model cannot be used
    │   ├── ModelMissing           not in the local store (names the `models pull` command)
    │   └── UnsafeModel            only pickle weights, or otherwise refused
    └── StoreError                 the output folder or a cache cannot be written
        └── StoreLocked            another run holds the output folder

Stages record per-article problems as outcomes in the run report instead of raising; only
problems that make the whole run pointless are raised. Entry points (the CLI) turn these into a
one-line message and an exit code (`exit_code`).
"""

from __future__ import annotations


class PolybriefError(Exception):
    """Base class of all polybrief errors."""

    exit_code = 1


class ConfigError(PolybriefError):
    exit_code = 2


class InputError(PolybriefError):
    exit_code = 2

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):  # keep the two-argument form picklable (Prefect persists exceptions)
        return (type(self), (self.path, self.reason))


class ModelError(PolybriefError):
    exit_code = 2


class ModelMissing(ModelError):
    def __init__(self, name: str, store: str) -> None:
        super().__init__(
            f"model {name} is not in the model store {store}; "
            f"fetch it with: polybrief models pull {name}"
        )
        self.name = name
        self.store = store

    def __reduce__(self):
        return (type(self), (self.name, self.store))


class UnsafeModel(ModelError):
    pass


class StoreError(PolybriefError):
    pass


class StoreLocked(StoreError):
    exit_code = 3

    def __init__(self, folder: str, lock: str) -> None:
        super().__init__(
            f"another polybrief run is writing to {folder} (lock {lock}); wait for it to finish, "
            f"or set runtime.lock_wait_seconds to wait for it"
        )
        self.folder = folder
        self.lock = lock

    def __reduce__(self):
        return (type(self), (self.folder, self.lock))
