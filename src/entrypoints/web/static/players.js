// The OBS player pill: whether anything reaches the stream. Every player page reports its volume and whether the
// browser blocks its sound (`player_status`); the server lists them in the snapshot and in `players_changed`
// frames. Panel only: the player page itself never shows any of this on stream.
import { extensions, live } from "./panel.js";

const pill = document.getElementById("obs-player");
const BEST_FIRST = ["ok", "muted", "blocked"];
const ADVICE = {
  ok: "",
  muted: "Raise ?volume= in the source's URL, or the queue's volume under “OBS player volume”.",
  blocked: "The browser refuses it sound until someone clicks it: in OBS right-click the source, Interact, click once.",
  none: "Nothing reaches the stream: add the OBS player page as a Browser source in OBS.",
};
/** The `seq` of the list shown: an older one (a snapshot answer overtaken by an event) is not shown. */
let shownSeq = -1;

/** What one player's state means, in a few words. */
function describe(player) {
  if (player.state === "blocked") return "blocked — click the player once in OBS (Interact)";
  if (player.state === "muted") return player.volume === 0 ? "muted (volume 0)" : "muted (queue volume 0)";
  return "connected";
}

function show(players) {
  const states = players.map((p) => p.state);
  const best = BEST_FIRST.find((state) => states.includes(state)) || "none";
  pill.dataset.state = best;
  pill.dataset.count = String(players.length);
  // one page that plays is enough for the stream, but a second one muted or blocked is worth a look
  const allOk = states.every((state) => state === "ok");
  pill.className = `pill ${best === "ok" && allOk ? "good" : best === "ok" || best === "muted" ? "warn" : "bad"}`;
  if (players.length === 0) pill.textContent = "OBS player: no player connected";
  else if (players.length === 1) pill.textContent = `OBS player: ${describe(players[0])}`;
  else {
    // several pages (a second OBS scene, a forgotten tab): say how many are in each state
    const present = BEST_FIRST.filter((state) => states.includes(state));
    const parts = present.map((state) => {
      const first = players.find((p) => p.state === state);
      const count = states.filter((s) => s === state).length;
      return present.length === 1 ? describe(first) : `${count} ${describe(first)}`;
    });
    pill.textContent = `${players.length} OBS players: ${parts.join(", ")}`;
  }
  const lines = players.map((p) => `player ${p.id}: ${describe(p)}, volume ${Math.round(p.effective_volume * 100)}%`);
  pill.title = [ADVICE[best], ...lines].filter(Boolean).join("\n");
}

/** Show `players` as of `seq`, unless a newer list is shown already. */
function update(players, seq) {
  if (typeof seq === "number" && seq < shownSeq) return;
  shownSeq = typeof seq === "number" ? seq : shownSeq;
  show(players || []);
}

extensions.frame.push((frame) => {
  if (frame.type === "snapshot") {
    shownSeq = -1; // a new connection, perhaps to a restarted server: its count starts again
    update(frame.players, frame.seq);
  } else if (frame.type === "players_changed") update(frame.players, frame.seq);
  else if (frame.type === "ok" && frame.command === "snapshot") update(frame.result.players, frame.result.seq);
});

extensions.connected.push((connected) => {
  if (connected) return; // the snapshot that follows the connection says who is there
  pill.dataset.state = "unknown";
  pill.className = "pill";
  pill.textContent = "OBS player: ?";
  pill.title = "not connected to the server";
});

// this module may run after the first snapshot was handled: ask for a fresh one
if (document.body.dataset.connected === "true") live.send("snapshot");
