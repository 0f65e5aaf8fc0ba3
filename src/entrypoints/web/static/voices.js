// The panel's voice settings: per-user voices, pronunciations, player volumes and a spoken preview.
// It shares the panel's live connection (panel.js `extensions`); protocol: docs/protocol.md.
import { withToken } from "./live.js";
import { extensions, live } from "./panel.js";

const $ = (id) => document.getElementById(id);
const state = { userVoices: new Map(), pronunciations: new Map(), volumes: { mentions: 1, bits: 1 } };

const handlers = {
  snapshot: () => {
    live.send("user_voices");
    live.send("pronunciations");
    live.send("queue_volumes");
  },
  ok: (frame) => {
    const result = frame.result;
    if (frame.command === "user_voices") {
      state.userVoices = new Map(result.user_voices.map((v) => [v.user, v.voice]));
      renderVoices();
    } else if (frame.command === "pronunciations") {
      state.pronunciations = new Map(result.pronunciations.map((p) => [p.word, p]));
      renderPronunciations();
    } else if (frame.command === "queue_volumes") {
      state.volumes = result;
      renderVolumes();
    } else if (frame.command.startsWith("set_")) {
      say(`saved`);
    }
  },
  error: (frame) => {
    if (frame.command && VOICE_COMMANDS.has(frame.command)) say(frame.detail, true);
  },
  user_voice_changed: (frame) => {
    if (frame.voice === null) state.userVoices.delete(frame.user);
    else state.userVoices.set(frame.user, frame.voice);
    renderVoices();
  },
  pronunciation_changed: (frame) => {
    if (frame.say === null && frame.phonemes === null) state.pronunciations.delete(frame.word);
    else state.pronunciations.set(frame.word, frame);
    renderPronunciations();
  },
  queue_volume_changed: (frame) => {
    state.volumes[frame.queue] = frame.volume;
    renderVolumes();
  },
};
const VOICE_COMMANDS = new Set([
  "user_voices", "set_user_voice", "delete_user_voice", "pronunciations", "set_pronunciation",
  "delete_pronunciation", "queue_volumes", "set_queue_volume",
]);

extensions.frame.push((frame) => handlers[frame.type]?.(frame));

function sorted(map) {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function removable(key, label, detail, onRemove) {
  const item = document.createElement("li");
  item.dataset.key = key;
  const name = document.createElement("span");
  name.className = "who";
  name.textContent = label;
  const value = document.createElement("span");
  value.className = "text";
  value.textContent = detail; // user input: always as text, never as HTML
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "small";
  remove.textContent = "✕";
  remove.title = `remove ${label}`;
  remove.addEventListener("click", onRemove);
  item.append(name, value, remove);
  return item;
}

function renderVoices() {
  const rows = sorted(state.userVoices).map(([user, voice]) =>
    removable(user, user, voice, () => live.send("delete_user_voice", { user })),
  );
  $("user-voices").replaceChildren(...rows);
}

function renderPronunciations() {
  const rows = sorted(state.pronunciations).map(([word, entry]) => {
    const detail = entry.say !== null ? `says “${entry.say}”` : `/${entry.phonemes}/`;
    return removable(word, word, detail, () => live.send("delete_pronunciation", { word }));
  });
  $("pronunciations").replaceChildren(...rows);
}

function renderVolumes() {
  for (const queue of ["mentions", "bits"]) {
    const slider = $(`volume-${queue}`);
    if (document.activeElement !== slider) slider.value = String(Math.round(state.volumes[queue] * 100));
    $(`volume-${queue}-value`).textContent = `${Math.round(state.volumes[queue] * 100)}%`;
  }
}

let sayTimer;
function say(text, bad = false) {
  const line = $("voices-notice");
  line.textContent = text;
  line.classList.toggle("bad", bad);
  clearTimeout(sayTimer);
  sayTimer = setTimeout(() => (line.textContent = ""), 8000);
}

$("user-voice-form").addEventListener("submit", (event) => {
  event.preventDefault();
  live.send("set_user_voice", { user: $("user-voice-user").value, voice: $("user-voice-voice").value });
});

$("pronunciation-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const kind = $("pronunciation-kind").value; // "say" or "phonemes"
  live.send("set_pronunciation", { word: $("pronunciation-word").value, [kind]: $("pronunciation-value").value });
});

for (const queue of ["mentions", "bits"]) {
  $(`volume-${queue}`).addEventListener("change", (event) => {
    live.send("set_queue_volume", { queue, volume: Number(event.target.value) / 100 });
  });
}

$("preview-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { text: $("preview-text").value };
  if ($("preview-voice").value.trim()) body.voice = $("preview-voice").value.trim();
  const player = $("preview-audio");
  player.dataset.state = "loading";
  try {
    const response = await fetch(withToken("/api/tts/preview"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const error = await response.json().catch(() => ({ detail: response.statusText }));
      player.dataset.state = "error";
      say(error.detail, true);
      return;
    }
    if (player.src) URL.revokeObjectURL(player.src);
    player.src = URL.createObjectURL(await response.blob());
    player.dataset.state = "ready";
    await player.play().catch(() => {}); // blocked autoplay: the controls are there to press
  } catch (error) {
    player.dataset.state = "error";
    say(String(error), true);
  }
});
