"""The JSON every benchmark writes with ``--json OUT``: its name, the machine, and each metric against its target."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any


def machine(device: str | None = None) -> dict[str, Any]:
    """What the numbers were measured on: CPUs, Python, torch (when installed) and the device used."""
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }
    try:
        import torch  # benches without the model run without torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
        info["cuda"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except ImportError:
        info["torch"] = None
    info["device"] = device
    return info


def result(
    metric: str, value: float, unit: str, *, target: str | None = None, met: bool | None = None
) -> dict[str, Any]:
    """One measured figure; ``met`` is ``None`` when the metric has no target."""
    return {"metric": metric, "value": value, "unit": unit, "target": target, "met": met}


def write_json(path: Path | None, bench: str, results: list[dict[str, Any]], *, device: str | None = None) -> None:
    """Write ``{"bench", "machine", "results"}`` to ``path`` (nothing when ``path`` is ``None``)."""
    if path is None:
        return
    body = {"bench": bench, "machine": machine(device), "results": results}
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {path}")
