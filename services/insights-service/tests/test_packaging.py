"""What ships: the image installs exactly the runtime lock, and the runtime lock pins the same versions
the tests ran with (requirements-dev.lock), so the image runs what was tested."""

from __future__ import annotations

import re
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[1]


def pins(lock: str) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s\\;]+)", (SERVICE / lock).read_text(), flags=re.MULTILINE))


def test_every_runtime_pin_is_the_version_the_tests_ran_with() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {"fastapi", "uvicorn", "httpx", "pydantic"} <= runtime.keys()
    assert {name: dev.get(name) for name in runtime} == runtime
    assert {"pytest", "ruff", "jsonschema"} <= dev.keys() - runtime.keys()


def test_every_pin_carries_hashes() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        entries = re.split(r"\n(?=[a-z0-9])", (SERVICE / lock).read_text().split("\n\n", 1)[-1])
        for entry in (e for e in entries if "==" in e):
            assert "--hash=sha256:" in entry, f"{lock}: {entry.splitlines()[0]} has no hash"


def test_the_image_is_pinned_non_root_and_installs_the_lock_with_hashes() -> None:
    dockerfile = (SERVICE / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE)
    assert bases
    assert all(re.fullmatch(r"python:3\.11\.\d+-slim-\w+", b) for b in bases)
    assert "--require-hashes" in dockerfile
    assert "requirements.lock" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert user
    assert user[-1].split(":")[0] not in ("0", "root")
    assert 'ENTRYPOINT ["python", "-m", "insights"]' in dockerfile
