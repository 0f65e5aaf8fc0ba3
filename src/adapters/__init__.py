"""Adapters: the technology behind each port of ``tts_core`` (SQL, Kokoro, filesystem, memory) and Twitch chat."""
