"""KokoroVoiceCatalog: the VoiceCatalog port answered from the model's voice files (no model loaded)."""

from __future__ import annotations

import attrs

from adapters.kokoro.catalog import validate_voice_mix
from adapters.kokoro.config import KokoroConfig
from tts_core.ports import VoiceCatalog
from tts_core.voice_mix import VoiceMix


@attrs.frozen
class KokoroVoiceCatalog(VoiceCatalog):
    """Checks a mix as ``TTS_VOICE`` is checked at start-up: friendly names mapped, unknown voices named."""

    config: KokoroConfig

    def check(self, mix: VoiceMix) -> None:
        validate_voice_mix(self.config, mix)
