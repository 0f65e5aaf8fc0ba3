// The control panel: live queue, Play / Stop / Autoplay / Clear, queue switch, engine status, audio.
import { LiveSocket, Speaker, withToken } from "./live.js";

const $ = (id) => document.getElementById(id);
const LISTED = new Set(["pending", "synthesizing", "ready", "playing"]);
const STATUS_LABEL = { pending: "queued", synthesizing: "speaking", ready: "ready", playing: "playing" };

const state = {
  activeQueue: "mentions",
  queueSize: 0,
  autoplay: false,
  running: false,
  nowPlaying: null,
  engineName: "",
  messages: new Map(),
};

/** Hooks for the panel's other modules (moderation.js): `row(item, message)` decorates each listed message,
 * `frame(frame)` sees every frame after the panel handled it. */
export const extensions = { row: [], frame: [] };

export const live = new LiveSocket({ onFrame: handle, onStatus: showConnection });
const speaker = new Speaker($("audio"), live, {
  onChange: () => {
    renderProgress();
    // this page's own audio was blocked by the browser: a click on the page lets it play
    if ($("audio").dataset.state === "blocked") showAudioAlert("This page may not play audio yet.");
  },
});

const handlers = {
  snapshot: applySnapshot,
  ok: (frame) => {
    if (frame.command !== "snapshot") return;
    // events newer than this snapshot may have been applied while it was read: then it is stale, ask again
    if (live.acceptsSnapshot(frame.result)) applySnapshot(frame.result);
    else live.send("snapshot");
  },
  error: (frame) => {
    // a late `played` report (another page or the timeout ended the message first) is harmless
    if (frame.command !== "played") notice(`${frame.command || "frame"}: ${frame.detail}`);
  },
  message_queued: (frame) => upsert(frame.message),
  message_ready: (frame) => upsert(frame.message),
  message_requeued: (frame) => upsert(frame.message), // its file went missing: pending again
  message_failed: (frame) => {
    forget(frame.message.id);
    notice(`message ${frame.message.id} could not be spoken: ${frame.message.error}`);
  },
  messages_removed: (frame) => {
    frame.message_ids.forEach(forget);
    // a moderator removed the message playing now: it stops here at once
    for (const id of frame.playing_ids || []) {
      if (state.nowPlaying && state.nowPlaying.id === id) state.nowPlaying = null;
      speaker.silence(id);
    }
    render();
  },
  queue_changed: (frame) => {
    if (frame.queue === state.activeQueue) applyCounts(frame);
  },
  queue_switched: (frame) => {
    state.activeQueue = frame.active_queue;
    state.messages.clear();
    live.send("snapshot"); // the new queue's messages
    render();
  },
  play: (frame) => {
    upsert(frame.message);
    state.nowPlaying = frame.message;
    speaker.play(frame.message, frame.audio_url);
    render();
  },
  playback_failed: (frame) => {
    upsert(frame.message); // ready again, first in its queue
    if (state.nowPlaying && state.nowPlaying.id === frame.message.id) state.nowPlaying = null;
    speaker.silence(frame.message.id);
    showAudioAlert(`Message ${frame.message.id} was not heard: ${frame.reason}. It waits, first in line.`);
    render();
  },
  played: (frame) => {
    forget(frame.message.id);
    if (state.nowPlaying && state.nowPlaying.id === frame.message.id) state.nowPlaying = null;
    speaker.silence(frame.message.id);
    render();
  },
  stopped: () => {
    state.nowPlaying = null;
    speaker.silence();
    render();
  },
  autoplay_changed: (frame) => {
    state.autoplay = frame.autoplay;
    render();
  },
  autoplay_loop: (frame) => {
    state.running = frame.running;
    if (frame.reason) showAudioAlert(`Autoplay paused: ${frame.reason}.`);
    render();
  },
  engine_status: (frame) => showEngine(frame),
};

function handle(frame) {
  const handler = handlers[frame.type];
  if (handler) handler(frame);
  for (const listen of extensions.frame) listen(frame);
}

function applySnapshot(snapshot) {
  state.activeQueue = snapshot.active_queue;
  state.autoplay = snapshot.autoplay;
  state.running = snapshot.autoplay_running;
  state.nowPlaying = snapshot.now_playing;
  state.messages = new Map(snapshot.messages.map((m) => [m.id, m]));
  applyCounts(snapshot);
  showEngine(snapshot.engine);
  render();
}

function applyCounts(counts) {
  state.queueSize = counts.queue_size;
  $("queue-size").textContent = String(counts.queue_size);
  $("count-pending").textContent = String(counts.pending);
  $("count-synthesizing").textContent = String(counts.synthesizing);
  $("count-ready").textContent = String(counts.ready);
  renderList();
}

function upsert(message) {
  if (message.queue === state.activeQueue && LISTED.has(message.status)) {
    state.messages.set(message.id, message);
  } else {
    state.messages.delete(message.id);
  }
  renderList();
}

function forget(id) {
  state.messages.delete(id);
  renderList();
}

function render() {
  $("queue-name").textContent = state.activeQueue;
  for (const button of document.querySelectorAll("button.queue")) {
    button.setAttribute("aria-pressed", String(button.dataset.queue === state.activeQueue));
  }
  const auto = $("autoplay");
  auto.setAttribute("aria-pressed", String(state.autoplay));
  $("autoplay-state").textContent = state.autoplay ? (state.running ? "running" : "on") : "off";
  auto.classList.toggle("running", state.running);
  const now = state.nowPlaying;
  $("now-playing").textContent = now ? `${now.sent_by}: ${now.spoken_text}` : "—";
  renderList();
  renderProgress();
}

function renderList() {
  const list = $("messages");
  const ordered = [...state.messages.values()].sort((a, b) => a.id - b.id);
  list.replaceChildren(...ordered.map(row));
  $("empty").hidden = ordered.length > 0;
  const waitingShown = ordered.filter((m) => m.status !== "playing").length;
  const more = state.queueSize - waitingShown;
  $("more").hidden = more <= 0;
  $("more").textContent = `+ ${more} more`;
}

function row(message) {
  const item = document.createElement("li");
  item.dataset.id = String(message.id);
  item.dataset.status = message.status;
  const badge = document.createElement("span");
  badge.className = `status ${message.status}`;
  badge.textContent = STATUS_LABEL[message.status] || message.status;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = message.bits_amount ? `${message.sent_by} · ${message.bits_amount} bits` : message.sent_by;
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = message.text; // chat text: always as text, never as HTML
  item.append(badge, who, text);
  for (const extend of extensions.row) extend(item, message);
  return item;
}

function renderProgress() {
  const audio = $("audio");
  const playingHere = speaker.current && audio.duration > 0;
  const share = playingHere ? Math.min(audio.currentTime / audio.duration, 1) : 0;
  $("progress-bar").style.width = `${(share * 100).toFixed(1)}%`;
}

function showConnection(connected) {
  document.body.dataset.connected = String(connected);
  const pill = $("connection");
  pill.textContent = connected ? "live" : "reconnecting…";
  pill.className = `pill ${connected ? "good" : "warn"}`;
}

function showEngine(engine) {
  const pill = $("engine");
  if (engine.name) state.engineName = engine.name; // engine_status frames do not repeat the name
  const name = state.engineName ? `${state.engineName} ` : "";
  pill.textContent = engine.ready ? `${name}engine ready` : `${name}engine not ready`;
  pill.title = engine.detail;
  pill.className = `pill ${engine.ready ? "good" : "warn"}`;
  document.body.dataset.engineReady = String(engine.ready);
}

let noticeTimer;
export function notice(text) {
  $("notice").textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => ($("notice").textContent = ""), 8000);
}

$("play").addEventListener("click", () => live.send("play"));
$("stop").addEventListener("click", () => live.send("stop"));
$("autoplay").addEventListener("click", () => live.send("autoplay", { enabled: !state.autoplay }));
$("clear").addEventListener("click", () => live.send("clear"));
for (const button of document.querySelectorAll("button.queue")) {
  button.addEventListener("click", () => live.send("switch_queue", { queue_type: button.dataset.queue }));
}

const playerLink = $("player-link");
playerLink.href = withToken(playerLink.getAttribute("href"));

/** Say that a message was not heard (audio blocked, or it failed), with a button that enables audio here. */
function showAudioAlert(text) {
  $("audio-alert-text").textContent = text;
  $("audio-alert").hidden = false;
}

$("enable-audio").addEventListener("click", () => {
  // this click is the user gesture the browser waits for; a silent play() unlocks the element
  const audio = $("audio");
  if (!audio.getAttribute("src")) audio.play().catch(() => {});
  $("audio-alert").hidden = true;
});

// Off unless this browser turned it on: the OBS player is the on-stream output, and both playing every
// message means viewers hear it twice when OBS captures desktop audio.
const sound = $("sound");
sound.checked = localStorage.getItem("tts.sound") === "on";
speaker.enabled = sound.checked;
sound.addEventListener("change", () => {
  speaker.enabled = sound.checked;
  localStorage.setItem("tts.sound", sound.checked ? "on" : "off");
  if (!sound.checked) speaker.silence();
});
