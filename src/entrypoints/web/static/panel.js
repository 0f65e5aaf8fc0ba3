// The control panel: live queue, Play / Stop / Autoplay / Clear, queue switch, engine status, audio.
import { LiveSocket, Speaker, withToken } from "./live.js";

const $ = (id) => document.getElementById(id);
const LISTED = new Set(["pending", "synthesizing", "ready", "playing"]);
const STATUS_LABEL = { pending: "pending", synthesizing: "synthesizing", ready: "ready", playing: "playing" };
const EMPTY_COUNTS = { queue_size: 0, pending: 0, synthesizing: 0, ready: 0, playing: 0 };

const state = {
  activeQueue: "mentions",
  /** The queue the list shows; looking at the other one does not change which one plays. */
  viewQueue: "mentions",
  counts: { mentions: { ...EMPTY_COUNTS }, bits: { ...EMPTY_COUNTS } },
  autoplay: false,
  running: false,
  cooldownSeconds: 0,
  /** When the autoplay cooldown after the last end is over (ms since the epoch); 0: none pending. */
  cooldownUntil: 0,
  nowPlaying: null,
  engineName: "",
  /** The waiting and playing messages of both queues, by id. */
  messages: new Map(),
};

/** Hooks for the panel's other modules (moderation.js, not_read.js): `row(item, message)` decorates each listed
 * message, `frame(frame)` sees every frame after the panel handled it, `connected(bool)` each (dis)connection. */
export const extensions = { row: [], frame: [], connected: [] };

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
    if (frame.queue in state.counts) state.counts[frame.queue] = frame;
    renderCounts();
  },
  queue_switched: (frame) => {
    const following = state.viewQueue === state.activeQueue;
    state.activeQueue = frame.active_queue;
    if (following) state.viewQueue = frame.active_queue;
    live.send("snapshot"); // the new queue's messages and counts, fresh
    render();
  },
  play: (frame) => {
    upsert(frame.message);
    state.nowPlaying = frame.message;
    state.cooldownUntil = 0;
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
    $("audio-alert").hidden = true; // a message was heard again: the warning is over
    forget(frame.message.id);
    if (state.nowPlaying && state.nowPlaying.id === frame.message.id) state.nowPlaying = null;
    if (state.running) state.cooldownUntil = Date.now() + state.cooldownSeconds * 1000;
    speaker.silence(frame.message.id);
    render();
  },
  stopped: () => {
    state.nowPlaying = null;
    state.cooldownUntil = 0;
    speaker.silence();
    render();
  },
  autoplay_changed: (frame) => {
    state.autoplay = frame.autoplay;
    render();
  },
  autoplay_loop: (frame) => {
    state.running = frame.running;
    if (!frame.running) state.cooldownUntil = 0;
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
  if (state.viewQueue === state.activeQueue) state.viewQueue = snapshot.active_queue;
  state.activeQueue = snapshot.active_queue;
  state.autoplay = snapshot.autoplay;
  state.running = snapshot.autoplay_running;
  state.cooldownSeconds = snapshot.autoplay_cooldown || 0;
  state.nowPlaying = snapshot.now_playing;
  const lineups = snapshot.lineups || { [snapshot.active_queue]: snapshot.messages };
  state.messages = new Map(Object.values(lineups).flat().map((m) => [m.id, m]));
  if (snapshot.queues) state.counts = { ...snapshot.queues };
  else state.counts[snapshot.active_queue] = snapshot;
  showEngine(snapshot.engine);
  render();
}

function upsert(message) {
  if (LISTED.has(message.status)) state.messages.set(message.id, message);
  else state.messages.delete(message.id);
  renderList();
}

function forget(id) {
  state.messages.delete(id);
  renderList();
}

/** The waiting bits of the bits queue's listed messages (the lineup holds up to 100). */
function waitingBits() {
  let sum = 0;
  for (const m of state.messages.values()) {
    if (m.queue === "bits" && m.status !== "playing") sum += m.bits_amount || 0;
  }
  return sum;
}

function renderCounts() {
  const shown = state.counts[state.viewQueue] || EMPTY_COUNTS;
  $("queue-size").textContent = String(shown.queue_size);
  $("count-pending").textContent = String(shown.pending);
  $("count-synthesizing").textContent = String(shown.synthesizing);
  $("count-ready").textContent = String(shown.ready);
  $("count-mentions").textContent = String(state.counts.mentions.queue_size);
  const bits = waitingBits();
  $("count-bits").textContent = bits ? `${state.counts.bits.queue_size} · ${bits} bits` : String(state.counts.bits.queue_size);
  renderList();
}

function render() {
  const viewing = state.viewQueue === state.activeQueue ? state.viewQueue : `${state.viewQueue} (not playing)`;
  $("queue-name").textContent = viewing;
  for (const button of document.querySelectorAll("button.queue")) {
    button.setAttribute("aria-pressed", String(button.dataset.queue === state.activeQueue));
  }
  for (const button of document.querySelectorAll("button.view")) {
    button.setAttribute("aria-selected", String(button.dataset.queue === state.viewQueue));
  }
  const auto = $("autoplay");
  auto.setAttribute("aria-pressed", String(state.autoplay));
  renderAutoplayState();
  auto.classList.toggle("running", state.running);
  const now = state.nowPlaying;
  $("now-playing").textContent = now ? `${now.sent_by}: ${now.spoken_text}` : "—";
  renderCounts();
  renderProgress();
}

/** "off", "on", "running", or "next in 7 s" while the loop waits out its cooldown. */
function renderAutoplayState() {
  let text = state.autoplay ? (state.running ? "running" : "on") : "off";
  const left = Math.ceil((state.cooldownUntil - Date.now()) / 1000);
  if (state.running && !state.nowPlaying && left > 0) text = `next in ${left} s`;
  $("autoplay-state").textContent = text;
}

function renderList() {
  const list = $("messages");
  const ordered = [...state.messages.values()]
    .filter((m) => m.queue === state.viewQueue)
    .sort((a, b) => a.id - b.id);
  list.replaceChildren(...ordered.map(row));
  $("empty").hidden = ordered.length > 0;
  const waitingShown = ordered.filter((m) => m.status !== "playing").length;
  const more = (state.counts[state.viewQueue] || EMPTY_COUNTS).queue_size - waitingShown;
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
  // what is read (after the filter), always as text, never as HTML; the raw chat is a click away
  text.textContent = message.spoken_text;
  if (message.text !== message.spoken_text) {
    text.classList.add("has-original");
    text.title = "click to show the original chat message";
    text.addEventListener("click", () => {
      const open = item.querySelector(".original");
      if (open) return open.remove();
      const original = document.createElement("span");
      original.className = "original";
      original.textContent = message.text;
      text.after(original);
    });
  }
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

/** While the socket is down, nothing shown can be trusted: grey it all, say so, disable every button. */
function showConnection(connected) {
  document.body.dataset.connected = String(connected);
  const pill = $("connection");
  pill.textContent = connected ? "live" : "reconnecting…";
  pill.className = `pill ${connected ? "good" : "warn"}`;
  $("stale-banner").hidden = connected;
  for (const button of document.querySelectorAll("main button")) button.disabled = !connected;
  if (!connected) {
    const engine = $("engine");
    engine.textContent = "server unreachable";
    engine.className = "pill bad";
  }
  for (const listen of extensions.connected) listen(connected);
}

function showEngine(engine) {
  const pill = $("engine");
  if (engine.name) state.engineName = engine.name; // engine_status frames do not repeat the name
  const name = state.engineName ? `${state.engineName} ` : "";
  pill.textContent = engine.ready ? `${name}engine ready` : `${name}engine not ready`;
  pill.title = engine.detail;
  pill.className = `pill ${engine.ready ? "good" : "warn"}`;
  document.body.dataset.engineReady = String(engine.ready);
  // why it is not ready (loading, offline, a failed load) as text, not only in a tooltip
  const detail = $("engine-detail");
  detail.hidden = engine.ready || !engine.detail;
  detail.textContent = engine.ready ? "" : `Speech engine not ready: ${engine.detail}`;
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
$("clear").addEventListener("click", confirmClear);
for (const button of document.querySelectorAll("button.queue")) {
  button.addEventListener("click", () => live.send("switch_queue", { queue_type: button.dataset.queue }));
}
for (const button of document.querySelectorAll("button.view")) {
  button.addEventListener("click", () => {
    state.viewQueue = button.dataset.queue; // only what is shown: the queue that plays stays
    render();
  });
}
setInterval(renderAutoplayState, 250);

/** Clear removes the playing queue's waiting messages (paid cheers too): ask first, naming what goes. */
function confirmClear() {
  const queue = state.activeQueue;
  const count = state.counts[queue].queue_size;
  if (count === 0) return notice(`nothing waiting in the ${queue} queue`);
  const bits = queue === "bits" ? waitingBits() : 0;
  const listed = [...state.messages.values()].filter((m) => m.queue === queue && m.status !== "playing").length;
  const atLeast = listed < count ? "at least " : "";
  const what = `${count} waiting message${count === 1 ? "" : "s"}`;
  const cheers = bits ? ` and ${atLeast}${bits} bits` : "";
  if (window.confirm(`Clear ${what}${cheers} from the ${queue} queue? They will not be read.`)) live.send("clear");
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
