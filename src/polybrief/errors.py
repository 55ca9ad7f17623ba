"""Every error polybrief raises on purpose, in one tree.

    PolybriefError                 base: catch this to handle any polybrief failure
    ├── ConfigError                a config file or value is wrong (names the key)
    ├── InputError                 an input path cannot be used at all (names the path)
    ├── ModelError                 a model cannot be used
    │   ├── ModelMissing           not in the local store (names the `models pull` command)
    │   ├── PullFailed             `models pull` could not download it (says how to copy it in)
    │   └── UnsafeModel            only pickle weights, or otherwise refused
    ├── StoreError                 the output folder or a cache cannot be written
    │   └── StoreLocked            another run holds the output folder
    ├── ApiUnavailable             the Prefect API cannot be reached or started
    ├── StepFailed                 one step of one story's work failed (names the step): that story's outcome
    └── RunStopped                 the run was asked to stop (Ctrl-C, SIGTERM, a cancellation)

Stages record per-article problems as outcomes in the run report instead of raising; only
problems that make the whole run pointless are raised. Entry points (the CLI) turn these into a
one-line message and an exit code (`exit_code`).
"""

from __future__ import annotations


class PolybriefError(Exception):
    """Base class of all polybrief errors."""

    exit_code = 1
    _fields: tuple[str, ...] = ()  # constructor arguments kept as attributes

    def __reduce__(self):
        # rebuild from the constructor's arguments, not the formatted message: Prefect persists
        # exceptions, and a subclass taking (path, reason) cannot be rebuilt from one string
        if not self._fields:
            return super().__reduce__()
        return (type(self), tuple(getattr(self, f) for f in self._fields))


class ConfigError(PolybriefError):
    exit_code = 2


class InputError(PolybriefError):
    exit_code = 2
    _fields = ("path", "reason")

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelError(PolybriefError):
    exit_code = 2


class ModelMissing(ModelError):
    _fields = ("name", "store")

    def __init__(self, name: str, store: str) -> None:
        # the store named again when it is not the default, so the command works when pasted
        where = "" if store in ("models", "models/") else f" --models {store}"
        super().__init__(
            f"model {name} is not in the model store {store}; "
            f"fetch it with: polybrief models pull {name}{where}"
        )
        self.name = name
        self.store = store


class PullFailed(ModelError):
    _fields = ("name", "folder", "store", "reason")

    def __init__(self, name: str, folder: str, store: str, reason: str) -> None:
        super().__init__(
            f"could not download {name}: {reason}. Without internet, copy the folder {folder} "
            f"from a machine that pulled it into {store}, or point --models at a store that has it"
        )
        self.name, self.folder, self.store, self.reason = name, folder, store, reason


class UnsafeModel(ModelError):
    pass


class StoreError(PolybriefError):
    pass


class StoreLocked(StoreError):
    exit_code = 3
    _fields = ("folder", "lock")

    def __init__(self, folder: str, lock: str) -> None:
        super().__init__(
            f"another polybrief run is writing to {folder} (lock {lock}); wait for it to finish, "
            f"or set runtime.lock_wait_seconds to wait for it"
        )
        self.folder = folder
        self.lock = lock


class ApiUnavailable(PolybriefError):
    exit_code = 4


class StepFailed(PolybriefError):
    """One step of one story's work (its summary) raised: the story fails with "<step>: <reason>",
    the rest of the edition goes on."""

    _fields = ("step", "reason")

    def __init__(self, step: str, reason: str | BaseException) -> None:
        if isinstance(reason, BaseException):
            lines = str(reason).strip().splitlines()
            reason = f"{type(reason).__name__}: {lines[0]}" if lines else type(reason).__name__
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


class RunStopped(PolybriefError):
    """Raised at the next batch boundary after a stop was asked for; exits 128 + the signal."""

    _fields = ("signum",)

    def __init__(self, signum: int) -> None:
        import signal

        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum
        self.exit_code = 128 + signum
