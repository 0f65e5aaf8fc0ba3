// The OBS player: plays `play` frames' audio and reports each end (or a failure to play) to the server.
// It shows nothing but the caption (with ?caption=1): its state is for the panel, never for the stream.
// ?volume=0.0–1.0 sets its volume.
import { LiveSocket, Speaker } from "./live.js";

const params = new URLSearchParams(location.search);
const audio = document.getElementById("audio");
document.body.classList.toggle("captions", params.has("caption"));

/** `?volume=` as a number in 0–1, or undefined when absent or unusable. */
function volumeParam() {
  const raw = params.get("volume");
  if (raw === null || raw.trim() === "") return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : undefined;
}

const live = new LiveSocket({
  onFrame: (frame) => {
    if (frame.type === "play") {
      document.getElementById("caption-who").textContent = `${frame.message.sent_by}:`;
      // what is read, after the filter: a masked word or a dropped link never reaches the stream
      document.getElementById("caption-text").textContent = frame.message.spoken_text;
      speaker.play(frame.message, frame.audio_url);
    } else if (frame.type === "stopped") {
      speaker.silence();
    } else if (frame.type === "played" || frame.type === "playback_failed") {
      speaker.silence(frame.message.id);
    } else if (frame.type === "messages_removed") {
      // a moderator removed the message playing now: stop it at once, without reporting its end
      for (const id of frame.message_ids) speaker.silence(id);
    }
  },
  onStatus: (connected) => (document.body.dataset.connected = String(connected)),
});

const speaker = new Speaker(audio, live, {
  volume: volumeParam(),
  onChange: () => (document.body.dataset.state = audio.dataset.state),
});
document.body.dataset.volume = String(audio.volume);
