// The OBS player: plays `play` frames' audio and reports each end that was heard (`played`) or a failure to play
// (`playback_failed`). It shows nothing but the caption (with ?caption=1): its state is for the panel, never for
// the stream. Its volume is the page's ?volume= (0.0–1.0) times the queue's volume set in the panel.
import { LiveSocket, Speaker } from "./live.js";

const audio = document.getElementById("audio");
const params = new URLSearchParams(location.search);
document.body.classList.toggle("captions", params.has("caption"));
const pageVolume = clampVolume(Number(params.get("volume") ?? "1"));
const queueVolumes = { mentions: 1, bits: 1 };
let playingQueue = null;

function clampVolume(value) {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 1;
}

function applyVolume() {
  const queue = playingQueue ? queueVolumes[playingQueue] ?? 1 : 1;
  audio.volume = pageVolume * queue;
  document.body.dataset.volume = audio.volume.toFixed(3);
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
      live.send("queue_volumes");
    } else if (frame.type === "ok" && frame.command === "queue_volumes") {
      Object.assign(queueVolumes, frame.result);
      applyVolume();
    } else if (frame.type === "queue_volume_changed") {
      queueVolumes[frame.queue] = frame.volume;
      applyVolume();
    }
  },
  onStatus: (connected) => (document.body.dataset.connected = String(connected)),
});

const speaker = new Speaker(audio, live, {
  onChange: () => (document.body.dataset.state = audio.dataset.state),
});
applyVolume();
