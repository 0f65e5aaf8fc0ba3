"""Run every benchmark, write one combined JSON, print the Markdown table of the README's "Performance" section.

Usage: ``PYTHONPATH=src:. python bench/run.py [--quick] [--only NAME ...] [--include EARLIER.json ...]
[--out bench/results.json] [--model-dir DIR] [--device auto|cpu|cuda]``.

Each benchmark is a script in ``bench/`` that accepts ``--json OUT`` and writes
``{"bench": NAME, "machine": {...}, "results": [{"metric", "value", "unit", "target", "met"}]}``. Scripts that do
not exist yet are skipped with a note; one that fails is reported and the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
BENCHES: dict[str, tuple[str, bool]] = {
    "ingest": ("ingest_vs_bare.py", False),
    "memory": ("memory_flat.py", True),
    "raid": ("raid_burst.py", True),
    "worker": ("worker_vs_bare.py", True),
    "stream": ("speech_stream_ttfb.py", True),
}
"""Name → (script, needs the Kokoro model directory)."""
DEFAULT_MODEL_DIR = Path.home() / ".cache" / "tts-kokoro-offline"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: each benchmark's own --quick")
    parser.add_argument("--only", action="append", choices=sorted(BENCHES), help="run only this one (repeatable)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR, help="Kokoro model directory")
    parser.add_argument("--device", default="auto", help="passed to the benchmarks that load the model")
    parser.add_argument(
        "--include",
        action="append",
        type=Path,
        default=[],
        metavar="JSON",
        help="a result one script wrote with --json in an earlier run (e.g. the 20-minute memory bench): put in the"
        " table as is, and noted as included (repeatable; use with --only for the others)",
    )
    args = parser.parse_args()
    chosen = args.only or list(BENCHES)
    runs: list[dict[str, Any]] = []
    notes: list[str] = []
    for earlier in args.include:
        included: dict[str, Any] = json.loads(earlier.read_text())
        runs.append(included)
        notes.append(f"{included['bench']}: included from an earlier run ({earlier.name})")
    for name in chosen:
        script, needs_model = BENCHES[name]
        path = ROOT / "bench" / script
        if not path.exists():
            notes.append(f"{name}: skipped, bench/{script} does not exist yet")
            continue
        if needs_model and not args.model_dir.is_dir():
            notes.append(f"{name}: skipped, no Kokoro model directory at {args.model_dir} (--model-dir)")
            continue
        print(f"== {name}: bench/{script}", flush=True)
        result = _run(path, args, needs_model)
        if isinstance(result, str):
            notes.append(f"{name}: {result}")
        else:
            runs.append(result)
    combined = {
        "machine": describe(_device(args.device) if any(BENCHES[name][1] for name in chosen) else "cpu"),
        "quick": args.quick,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "benches": runs,
        "notes": notes,
    }
    args.out.write_text(json.dumps(combined, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(combined))
    print(f"\nwritten to {args.out}")
    return 1 if any(": failed" in note for note in notes) else 0


def _run(script: Path, args: argparse.Namespace, needs_model: bool) -> dict[str, Any] | str:
    """The benchmark's JSON, or a note saying why there is none."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "result.json"
        command = [sys.executable, str(script), "--json", str(out)]
        source = script.read_text()  # pass only the options this script knows (a second helper may not have --quick)
        if args.quick and '"--quick"' in source:
            command.append("--quick")
        if needs_model and '"--model-dir"' in source:
            command += ["--model-dir", str(args.model_dir)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        completed = subprocess.run(command, cwd=ROOT, env=env, check=False)
        if completed.returncode != 0:
            return f"failed with exit code {completed.returncode}"
        if not out.exists():
            return "failed: wrote no JSON"
        result: dict[str, Any] = json.loads(out.read_text())
        return result


def _device(requested: str) -> str:
    if requested != "auto":
        return requested
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        return "cpu"


def table(combined: dict[str, Any]) -> str:
    """The Markdown of the README's "Performance" section: the machine, then one row per metric."""
    machine = combined["machine"]
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, Python {machine['python']},"
        f" torch {machine['torch']}, device {machine['device']}" + (" (quick run)" if combined["quick"] else ""),
        "",
        "| bench | metric | value | target | met |",
        "|---|---|---|---|---|",
    ]
    for run in combined["benches"]:
        for row in run["results"]:
            met = "" if row.get("met") is None else ("yes" if row["met"] else "**no**")
            value = f"{row['value']:,.3g}" if abs(row["value"]) < 10 else f"{row['value']:,.0f}"
            target = row.get("target") or ""
            lines.append(f"| {run['bench']} | {row['metric']} | {value} {row['unit']} | {target} | {met} |")
    if combined["notes"]:
        lines += ["", *(f"- {note}" for note in combined["notes"])]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
