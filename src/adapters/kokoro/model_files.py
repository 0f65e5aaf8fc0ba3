"""Where Kokoro's config and weights are: a local model directory, or the Hugging Face hub (and its cache)."""

from __future__ import annotations

import logging
from pathlib import Path

import attrs
from huggingface_hub import hf_hub_download, try_to_load_from_cache

from adapters.kokoro.config import KokoroConfig
from adapters.kokoro.hub_logging import quiet_hub_logging

log = logging.getLogger(__name__)

HUB_WEIGHTS = {"hexgrad/Kokoro-82M": "kokoro-v1_0.pth", "hexgrad/Kokoro-82M-v1.1-zh": "kokoro-v1_1-zh.pth"}
"""The weights file of each known hub repository (as in ``kokoro.KModel.MODEL_NAMES``)."""
HUB_DOWNLOAD_MB = 330
_announced: set[str] = set()
"""Repositories whose download was announced: a retry after a failed download does not say it again."""


class ModelMissing(Exception):
    """The model cannot be found; the message says what is missing and how to fix it."""


@attrs.frozen(kw_only=True)
class ModelFiles:
    """The two files ``KModel`` needs."""

    config: Path
    weights: Path


MODEL_DIR_HINT = "set TTS_KOKORO_MODEL_DIR to a directory with config.json, a .pth and voices/"


def how_to_fix(repo_id: str) -> str:
    """The advice that ends a "no model" message about a model directory."""
    return f"{MODEL_DIR_HINT}, or unset it to download {repo_id} from the Hugging Face hub"


def model_files(config: KokoroConfig) -> ModelFiles:
    """The model's files from ``config.model_dir`` (no network at all) or the hub (downloaded once, cached).

    Raises :class:`ModelMissing`.
    """
    if config.model_dir is not None:
        return local_model_files(config.model_dir, repo_id=config.repo_id)
    return hub_model_files(config.repo_id)


def local_model_files(model_dir: Path, *, repo_id: str) -> ModelFiles:
    """config.json and the one ``.pth`` in ``model_dir``; raises :class:`ModelMissing` naming what is absent."""
    if not model_dir.is_dir():
        raise ModelMissing(f"no model: {model_dir} is not a directory; {how_to_fix(repo_id)}")
    missing = []
    config = model_dir / "config.json"
    if not config.is_file():
        missing.append("config.json")
    weights = sorted(model_dir.glob("*.pth"))
    if not weights:
        missing.append("a weights file (*.pth)")
    if not any((model_dir / "voices").glob("*.pt")):
        missing.append("voices/*.pt")
    if missing:
        raise ModelMissing(f"no model in {model_dir}: missing {', '.join(missing)}; {how_to_fix(repo_id)}")
    preferred = [w for w in weights if w.name == HUB_WEIGHTS.get(repo_id)]
    if len(weights) > 1 and not preferred:
        names = ", ".join(w.name for w in weights)
        raise ModelMissing(f"no model: {model_dir} holds several weights files ({names}); keep exactly one .pth")
    return ModelFiles(config=config, weights=(preferred or weights)[0])


def hub_model_files(repo_id: str) -> ModelFiles:
    """The model from the hub: downloaded once with huggingface_hub's progress bars, then read from its cache."""
    weights_name = HUB_WEIGHTS.get(repo_id, HUB_WEIGHTS["hexgrad/Kokoro-82M"])
    quiet_hub_logging()
    if not isinstance(try_to_load_from_cache(repo_id, weights_name), str) and repo_id not in _announced:
        _announced.add(repo_id)
        log.info(
            "downloading Kokoro weights from the Hugging Face hub (%s, about %s MB, once)", repo_id, HUB_DOWNLOAD_MB
        )
    try:
        return ModelFiles(config=hub_file(repo_id, "config.json"), weights=hub_file(repo_id, weights_name))
    except Exception as error:  # huggingface_hub raises many types (HTTP, offline, cache, disk); all mean "missing"
        raise ModelMissing(
            f"no model: cannot download {repo_id} from the Hugging Face hub and it is not in the local cache "
            f"({first_line(error)}); connect to the internet once (the files are cached), or {MODEL_DIR_HINT}"
        ) from error


def hub_file(repo_id: str, filename: str) -> Path:
    """A file of ``repo_id``: from the cache when it is there (no network, so a later offline start is quick),
    else downloaded into it. Raises huggingface_hub's errors."""
    cached = try_to_load_from_cache(repo_id, filename)
    if isinstance(cached, str):
        return Path(cached)
    return Path(hf_hub_download(repo_id=repo_id, filename=filename))


def first_line(error: BaseException, limit: int = 200) -> str:
    """The start of an error's message, one line, for status texts."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
