// The OBS player: plays `play` frames' audio and reports each end (or error) with a `played` command.
import { LiveSocket, Speaker } from "./live.js";

const audio = document.getElementById("audio");
document.body.classList.toggle("captions", new URLSearchParams(location.search).has("caption"));

const live = new LiveSocket({
  onFrame: (frame) => {
    if (frame.type === "play") {
      document.getElementById("caption-who").textContent = `${frame.message.sent_by}:`;
      document.getElementById("caption-text").textContent = frame.message.text;
      speaker.play(frame.message, frame.audio_url);
    } else if (frame.type === "stopped") {
      speaker.silence();
    } else if (frame.type === "played") {
      speaker.silence(frame.message.id);
    } else if (frame.type === "messages_removed") {
      // a moderator removed the message playing now: stop it at once, without reporting its end
      for (const id of frame.message_ids) speaker.silence(id);
    }
  },
  onStatus: (connected) => (document.body.dataset.connected = String(connected)),
});

const speaker = new Speaker(audio, live, {
  onChange: () => (document.body.dataset.state = audio.dataset.state),
});
