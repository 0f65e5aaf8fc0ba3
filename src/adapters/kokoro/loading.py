"""Building a KokoroEngine from a KokoroConfig: device, threads, model files, G2P, weights, voices."""

from __future__ import annotations

import logging
import warnings

import torch
from kokoro import KModel

from adapters.kokoro.config import KokoroConfig
from adapters.kokoro.device import choose_device
from adapters.kokoro.engine import KokoroEngine
from adapters.kokoro.g2p import build_phonemizer
from adapters.kokoro.model_files import model_files
from adapters.kokoro.voices import VoiceBank

log = logging.getLogger(__name__)


def load_engine(config: KokoroConfig) -> KokoroEngine:
    """One ``KModel`` on the chosen device, with its G2P and an empty voice bank.

    In model-directory mode nothing here touches the network. Raises ``DeviceUnavailable``,
    ``ModelMissing``, or kokoro's own errors (e.g. a weights file that does not fit the config).
    """
    device = choose_device(config.device, cuda_available=torch.cuda.is_available())
    if config.cpu_threads is not None:
        torch.set_num_threads(config.cpu_threads)
    files = model_files(config)
    phonemizer = build_phonemizer(config.lang_code, repo_id=config.repo_id, allow_download=config.model_dir is None)
    with warnings.catch_warnings():  # torch's notes on LSTM dropout and weight_norm say nothing to a streamer
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", FutureWarning)
        model = KModel(repo_id=config.repo_id, config=str(files.config), model=str(files.weights))
    model = model.to(device).eval()
    log.info(
        "Kokoro model %s on %s (%s CPU threads), G2P %s",
        files.weights.name,
        device,
        torch.get_num_threads(),
        phonemizer.name,
    )
    return KokoroEngine(model=model, phonemizer=phonemizer, voices=VoiceBank(config, device), device=device)
