// The "Not read" list: the latest chat messages that were not queued, each with its reason, so "why wasn't X
// read?" has an answer. Loaded from GET /api/tts/rejected on every (re)connection, then kept up to date by
// `message_rejected` frames. Panel only: never on stream.
import { extensions } from "./panel.js";
import { withToken } from "./live.js";

const $ = (id) => document.getElementById(id);
const KEPT = 200;
let items = []; // newest first

function render() {
  $("not-read-count").textContent = String(items.length);
  $("not-read-list").replaceChildren(...items.map(entry));
}

function entry(item) {
  const li = document.createElement("li");
  li.dataset.reason = item.reason;
  const reason = document.createElement("span");
  reason.className = "reason";
  reason.textContent = item.reason.replaceAll("_", " ");
  reason.title = item.detail;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = item.sent_by;
  const chat = document.createElement("span");
  chat.className = "chat";
  chat.textContent = `${item.text} — ${item.detail}`; // chat text: always as text, never as HTML
  chat.title = item.text;
  li.append(reason, who, chat);
  return li;
}

async function load() {
  try {
    const response = await fetch(withToken("/api/tts/rejected"));
    if (!response.ok) return;
    items = (await response.json()).messages;
    render();
  } catch {
    // the server went away again: the next connection loads the list
  }
}

if (document.body.dataset.connected === "true") load(); // connected before this module ran
extensions.connected.push((connected) => {
  if (connected) load();
});

extensions.frame.push((frame) => {
  if (frame.type !== "message_rejected") return;
  items = [frame.not_read, ...items].slice(0, KEPT);
  render();
});
