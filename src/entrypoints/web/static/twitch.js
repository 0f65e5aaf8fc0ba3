// The Twitch chat pill and its on/off button: the built-in chat reader's state, live from chat_connection frames.
import { withToken } from "./live.js";

const pill = document.getElementById("twitch");
const toggle = document.getElementById("twitch-toggle");
const LABEL = { connected: "chat connected", connecting: "chat connecting…", off: "chat off" };
let current = null;

function show(chat) {
  current = chat;
  const where = chat.channel ? ` #${chat.channel}` : "";
  pill.textContent = chat.channel ? `${LABEL[chat.state] || chat.state}${where}` : "chat from the App";
  // connecting after a failure is a problem to see at a glance: the reason is in the tooltip
  const failing = chat.state === "connecting" && chat.last_error;
  pill.className = `pill ${chat.state === "connected" ? "good" : failing ? "warn" : ""}`;
  pill.title = failing ? `Twitch chat: ${chat.last_error}` : "Twitch chat (built-in reader)";
  pill.dataset.state = chat.state;
  toggle.hidden = !chat.channel; // without TTS_TWITCH_CHANNEL there is nothing to connect to
  toggle.textContent = chat.state === "off" ? "Connect chat" : "Disconnect chat";
}

async function refresh() {
  try {
    const response = await fetch(withToken("/api/tts/twitch"));
    if (response.ok) show(await response.json());
  } catch {
    // the server is away: the live socket reconnects and its snapshot calls refresh() again
  }
}

toggle.addEventListener("click", async () => {
  const action = current && current.state !== "off" ? "disconnect" : "connect";
  toggle.disabled = true;
  try {
    const response = await fetch(withToken(`/api/tts/twitch/${action}`), { method: "POST" });
    const body = await response.json();
    if (response.ok) show(body);
    else pill.title = body.detail;
  } catch {
    pill.title = "the server did not answer";
  } finally {
    toggle.disabled = false;
  }
});

// panel.js re-dispatches every frame of the live socket as a "tts:frame" event
document.addEventListener("tts:frame", (event) => {
  const frame = event.detail;
  if (frame.type === "chat_connection") show(frame);
  else if (frame.type === "snapshot") refresh(); // (re)connected: changes may have been missed
});

refresh();
