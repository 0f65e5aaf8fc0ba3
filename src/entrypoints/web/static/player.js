// The OBS player: plays `play` frames' audio and reports each end that was heard (`played`) or a failure to play
// (`playback_failed`). It shows nothing but the caption (with ?caption=1): its state is for the panel, never for
// the stream. Its volume is the page's ?volume= (0.0–1.0) times the queue's volume set in the panel; whether it
// is muted or blocked goes to the panel as `player_status` (on connect and whenever it changes).
import { LiveSocket, Speaker } from "./live.js";
import { probeSound } from "./player_probe.js";

const audio = document.getElementById("audio");
const params = new URLSearchParams(location.search);
document.body.classList.toggle("captions", params.has("caption"));
const pageVolume = clampVolume(Number(params.get("volume") ?? "1"));
const queueVolumes = { mentions: 1, bits: 1 };
let playingQueue = null;
let activeQueue = "mentions";

/** What the panel is told: volume, whether the browser refuses sound, and what is known so far. */
const output = { blocked: false, probed: false, volumesKnown: false, lastSent: null };

function clampVolume(value) {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 1;
}

/** The volume of the queue that plays now, or of the active queue (the one that plays next) when idle. */
function queueVolume() {
  return queueVolumes[playingQueue ?? activeQueue] ?? 1;
}

function applyVolume() {
  audio.volume = pageVolume * queueVolume();
  document.body.dataset.volume = audio.volume.toFixed(3);
  reportStatus();
}

/** Tell the server (and so the panel) what reaches the stream; only when it changed, and once all is known. */
function reportStatus() {
  if (!output.probed || !output.volumesKnown) return;
  const status = {
    volume: pageVolume,
    effective_volume: Math.round(pageVolume * queueVolume() * 1000) / 1000,
    blocked: output.blocked,
    page: "player",
  };
  const said = JSON.stringify(status);
  if (said === output.lastSent) return;
  output.lastSent = said;
  live.send("player_status", status);
}

function setBlocked(blocked) {
  output.blocked = blocked;
  reportStatus();
}

const live = new LiveSocket({
  onFrame: (frame) => {
    if (frame.type === "play") {
      document.getElementById("caption-who").textContent = `${frame.message.sent_by}:`;
      // what is read, after the filter: a masked word or a dropped link never reaches the stream
      document.getElementById("caption-text").textContent = frame.message.spoken_text;
      playingQueue = frame.message.queue;
      applyVolume();
      speaker.play(frame.message, frame.audio_url);
    } else if (frame.type === "stopped") {
      speaker.silence();
    } else if (frame.type === "played" || frame.type === "playback_failed") {
      speaker.silence(frame.message.id);
    } else if (frame.type === "messages_removed") {
      // a moderator removed the message playing now: stop it at once, without reporting its end
      for (const id of frame.message_ids) speaker.silence(id);
    } else if (frame.type === "snapshot") {
      // a new connection: the server knows nothing of this page yet; report once the volumes are known
      activeQueue = frame.active_queue;
      output.lastSent = null;
      output.volumesKnown = false;
      live.send("queue_volumes");
    } else if (frame.command === "queue_volumes" && (frame.type === "ok" || frame.type === "error")) {
      if (frame.type === "ok") Object.assign(queueVolumes, frame.result);
      output.volumesKnown = true;
      applyVolume();
    } else if (frame.type === "queue_volume_changed") {
      queueVolumes[frame.queue] = frame.volume;
      applyVolume();
    } else if (frame.type === "queue_switched") {
      activeQueue = frame.active_queue;
      applyVolume();
    }
  },
  onStatus: (connected) => (document.body.dataset.connected = String(connected)),
});

const speaker = new Speaker(audio, live, {
  onChange: () => {
    const state = audio.dataset.state;
    document.body.dataset.state = state;
    if (state === "playing") setBlocked(false); // sound plays: whatever blocked it is over
    else if (state === "blocked") setBlocked(true);
    if (!["loading", "playing"].includes(state) && playingQueue !== null) {
      playingQueue = null; // idle again: the queue that plays next decides the volume
      applyVolume();
    }
  },
});
applyVolume();

const FIRST_REPORT_WAIT_MS = 2000;

/** Find out whether the browser lets this page play sound, before a message is lost to it. The first report
 * waits for the answer, but not long: a busy machine may take seconds to start even silence; the answer, when
 * it comes, is reported then. */
function checkSound() {
  const verdict = probeSound();
  const patience = setTimeout(() => {
    output.probed = true;
    reportStatus();
  }, FIRST_REPORT_WAIT_MS);
  verdict.then((answer) => {
    clearTimeout(patience);
    output.probed = true;
    if (answer !== "unknown") setBlocked(answer === "blocked");
    else reportStatus();
  });
}
checkSound();

// A click in the page (OBS: the source's Interact window) is what the browser waits for: check again.
for (const kind of ["pointerdown", "keydown"]) {
  document.addEventListener(kind, () => {
    if (output.blocked) checkSound();
  });
}
