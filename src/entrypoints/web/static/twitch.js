// The Twitch chat pill and its on/off button: the built-in chat reader's state, live from chat_connection frames.
import { withToken } from "./live.js";
import { extensions } from "./panel.js";

const pill = document.getElementById("twitch");
const toggle = document.getElementById("twitch-toggle");
const problem = document.getElementById("twitch-error");
const LABEL = { connected: "chat connected", connecting: "chat connecting…", off: "chat off" };
let current = null;

function show(chat) {
  // an answer can arrive after a frame that is newer than it: the higher revision wins
  if (current && chat.revision < current.revision) return;
  current = chat;
  const where = chat.channel ? ` #${chat.channel}` : "";
  pill.textContent = chat.channel ? `${LABEL[chat.state] || chat.state}${where}` : "chat from the App";
  // connecting after a failure is a problem to see at a glance, with its reason next to the pill
  const failing = Boolean(chat.state === "connecting" && chat.last_error);
  pill.className = `pill ${chat.state === "connected" ? "good" : failing ? "warn" : ""}`;
  pill.title = "Twitch chat (built-in reader)";
  problem.hidden = !failing;
  problem.textContent = failing ? chat.last_error : "";
  problem.title = problem.textContent; // the whole sentence, when the note is cut short
  pill.dataset.state = chat.state;
  toggle.hidden = !chat.channel; // without TTS_TWITCH_CHANNEL there is nothing to connect to
  toggle.textContent = chat.state === "off" ? "Connect chat" : "Disconnect chat";
}

function showProblem(text) {
  problem.hidden = false;
  problem.textContent = text;
  problem.title = text;
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
    else showProblem(body.detail);
  } catch {
    showProblem("the server did not answer");
  } finally {
    toggle.disabled = false;
  }
});

extensions.frame.push((frame) => {
  if (frame.type === "chat_connection") show(frame);
  else if (frame.type === "snapshot") {
    current = null; // (re)connected, perhaps to a restarted server whose revisions start again at 0
    refresh();
  }
});

refresh();
