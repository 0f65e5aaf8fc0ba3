// Moderation in the panel: delete a waiting message, Skip the playing one, mute or ban a sender from their
// name, and the list of mutes with Unmute. Protocol: docs/protocol.md ("Moderation").
import { extensions, live } from "./panel.js";

const $ = (id) => document.getElementById(id);
const MUTE_SECONDS = 600;
const mutes = new Map(); // user → { user, since, until }

function button(label, className, onClick, title) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = label;
  if (title) element.title = title;
  element.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return element;
}

/** Each listed message: its sender opens the mute menu; waiting ones get Delete, the playing one Skip. */
extensions.row.push((item, message) => {
  const who = item.querySelector(".who");
  who.classList.add("sender");
  who.tabIndex = 0;
  who.setAttribute("role", "button");
  who.title = `mute or ban ${message.sent_by}`;
  const open = () => openMenu(message.sent_by);
  who.addEventListener("click", open);
  who.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open();
    }
  });
  const actions = document.createElement("span");
  actions.className = "actions";
  if (message.status === "playing") {
    actions.append(button("Skip", "skip", () => live.send("skip"), "end this message now"));
  } else {
    const remove = () => live.send("delete_message", { id: message.id });
    actions.append(button("✕", "delete", remove, "delete this message (it is never read)"));
  }
  item.append(actions);
});

// One menu above the list, not inside it: the list is redrawn on every change and would take the menu along.
function openMenu(user) {
  const menu = $("mod-menu");
  menu.dataset.user = user;
  const label = document.createElement("span");
  label.className = "mod-user";
  label.textContent = user; // a chat name: always as text
  menu.replaceChildren(
    label,
    button("Mute 10 min", "mute", () => purge(user, MUTE_SECONDS)),
    button("Ban", "ban danger", () => purge(user, null)),
    button("Cancel", "cancel", closeMenu),
  );
  menu.hidden = false;
  menu.querySelector("button").focus();
}

function closeMenu() {
  const menu = $("mod-menu");
  menu.hidden = true;
  menu.replaceChildren();
  delete menu.dataset.user;
}

function purge(user, seconds) {
  live.send("purge_user", { user, duration_seconds: seconds });
  closeMenu();
}

extensions.frame.push((frame) => {
  if (frame.type === "snapshot" || (frame.type === "ok" && frame.command === "snapshot")) {
    live.send("muted"); // after every (re)connection: the mutes may have changed meanwhile
  } else if (frame.type === "ok" && frame.command === "muted") {
    mutes.clear();
    for (const mute of frame.result.mutes) mutes.set(mute.user, mute);
    renderMutes();
  } else if (frame.type === "user_muted") {
    mutes.set(frame.mute.user, frame.mute);
    renderMutes();
  } else if (frame.type === "user_unmuted") {
    mutes.delete(frame.user);
    renderMutes();
  }
});

function until(mute) {
  if (!mute.until) return "banned";
  const end = new Date(mute.until);
  return `until ${end.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
}

function renderMutes() {
  const now = Date.now();
  for (const [user, mute] of mutes) if (mute.until && new Date(mute.until).getTime() <= now) mutes.delete(user);
  const list = $("mute-list");
  const rows = [...mutes.values()].map((mute) => {
    const row = document.createElement("li");
    row.dataset.user = mute.user;
    const name = document.createElement("span");
    name.className = "who";
    name.textContent = mute.user;
    const when = document.createElement("span");
    when.className = "muted";
    when.textContent = until(mute);
    row.append(name, when, button("Unmute", "unmute", () => live.send("unmute_user", { user: mute.user })));
    return row;
  });
  list.replaceChildren(...rows);
  $("mutes").hidden = rows.length === 0;
}

setInterval(renderMutes, 15000); // timeouts end by themselves
$("skip").addEventListener("click", () => live.send("skip"));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeMenu();
});
