"""Well-known names: chat bots, global emotes and cheermote prefixes, as the default rules use them."""

from __future__ import annotations

DEFAULT_BLOCKED_BOTS: frozenset[str] = frozenset(
    {
        "nightbot",
        "streamelements",
        "streamlabs",
        "moobot",
        "fossabot",
        "wizebot",
        "botisimo",
        "soundalerts",
        "sery_bot",
        "deepbot",
        "phantombot",
        "coebot",
        "streamstickers",
        "kofistreambot",
        "blerp",
        "own3d",
        "pokemoncommunitygame",
        "stay_hydrated_bot",
        "streamcaptainbot",
        "tangiabot",
        "lumiastream",
        "creatisbot",
        "restreambot",
        "commanderroot",
    }
)
"""Logins (lower case) of common chat bots: their messages are never read."""

DEFAULT_EMOTES: frozenset[str] = frozenset(
    {
        # Twitch global emotes. Case matters, as on Twitch: "Kappa" is an emote, "kappa" a word.
        *("Kappa", "KappaPride", "Keepo", "PogChamp", "LUL", "BibleThump", "ResidentSleeper", "Kreygasm"),
        *("SeemsGood", "NotLikeThis", "DansGame", "4Head", "TriHard", "FailFish", "VoHiYo", "SMOrc"),
        *("CoolStoryBob", "HeyGuys", "MrDestructoid", "WutFace", "BabyRage", "Jebaited", "CoolCat"),
        *("TwitchUnity", "PJSalt", "SwiftRage", "EleGiggle", "BloodTrail", "cmonBruh", "ANELE", "OSFrog"),
        *("TehePelo", "CurseLit", "GlitchCat", "HSWP", "PunchTrees", "KomodoHype", "StinkyCheese", "TwitchLit"),
        *("GivePLZ", "TakeNRG", "MingLee", "HotPokket", "TheIlluminati", "FrankerZ", "SSSsss", "KonCha"),
        *("BegWan", "BatChest", "PogBones", "RaccAttack", "DoritosChip", "PowerUpL", "PowerUpR", "HolidayPresent"),
        # Popular BetterTTV / FrankerFaceZ / 7TV emotes.
        *("KEKW", "OMEGALUL", "LULW", "monkaS", "monkaW", "monkaHmm", "PepeHands", "PepeLaugh", "Pepega"),
        *("FeelsBadMan", "FeelsGoodMan", "FeelsStrongMan", "FeelsOkayMan", "POGGERS", "PogU", "Pog"),
        *("Sadge", "Copium", "Madge", "catJAM", "pepeD", "pepeJAM", "widepeepoHappy", "peepoHappy", "peepoSad"),
        *("peepoClap", "WeirdChamp", "5Head", "3Head", "gachiGASM", "haHAA", "ICANT", "Okayge", "Bedge"),
        # Twitch's text smilies.
        *(":)", ":(", ":D", ":o", ":O", ":z", ":Z", "B)", ":/", ";)", ";P", ";p", ":P", ":p", "R)", "<3"),
        *("o_O", "O_o", "o_o", "O_O", ":|", ">(", "D:", "xD", "XD"),
    }
)
"""Emote names removed from spoken text when they stand alone as a word (exact, case-sensitive match)."""

DEFAULT_CHEER_PREFIXES: frozenset[str] = frozenset(
    {
        *("cheer", "doodlecheer", "biblethump", "cheerwhal", "corgo", "scoops", "uni", "showlove", "party"),
        *("seemsgood", "pride", "kappa", "frankerz", "heyguys", "dansgame", "elegiggle", "trihard", "kreygasm"),
        *("4head", "swiftrage", "notlikethis", "failfish", "vohiyo", "pjsalt", "mrdestructoid", "bday"),
        *("ripcheer", "shamrock", "bitboss", "streamlabs", "muxy", "holidaycheer", "goal", "anon", "charity"),
    }
)
"""Twitch's global cheermote prefixes (lower case): ``Cheer100`` is the prefix ``cheer`` and 100 bits."""
