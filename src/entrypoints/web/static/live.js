// Shared by the panel and the OBS player: the live WebSocket (reconnecting) and the speaker that plays
// `play` frames and reports their end. Protocol: docs/protocol.md.

// TTS_API_TOKEN, when the server has one: the page is opened as /panel/?token=… and passes it on to every
// request it makes (a browser cannot add an Authorization header to a WebSocket or an <audio> element).
const TOKEN = new URLSearchParams(location.search).get("token");

/** `url` (absolute or relative to this page) with the page's token added, as a string. */
export function withToken(url) {
  const full = new URL(url, location.href);
  if (TOKEN) full.searchParams.set("token", TOKEN);
  return full.href;
}

/**
 * Connects to /api/tts/ws, reconnects after a drop, and hands every frame that is news to `onFrame`:
 * snapshots, answers (they carry no `seq`) and events whose `seq` is above the last one applied.
 */
export class LiveSocket {
  constructor({ onFrame, onStatus }) {
    this.onFrame = onFrame;
    this.onStatus = onStatus || (() => {});
    this.nextId = 1;
    this.retryMs = 500;
    this.socket = null;
    /** The `seq` of the snapshot or event applied last; `null` before the first snapshot. */
    this.lastSeq = null;
    this.open();
  }

  /**
   * Whether `frame` is news, remembering its `seq`. A snapshot always is (a reconnect's snapshot starts the
   * count again); an event whose `seq` is not above the last applied one is already reflected: it is dropped.
   */
  accepts(frame) {
    if (frame.type === "snapshot") {
      this.lastSeq = typeof frame.seq === "number" ? frame.seq : null;
      return true;
    }
    if (typeof frame.seq !== "number" || frame.seq <= 0) return true; // answers, and anything unnumbered
    if (this.lastSeq !== null && frame.seq <= this.lastSeq) return false;
    this.lastSeq = frame.seq;
    return true;
  }

  /**
   * For a snapshot that came as the answer to a `snapshot` command: whether it may replace the state (it is not
   * older than the events applied meanwhile); if so, its `seq` becomes the last applied one.
   */
  acceptsSnapshot(snapshot) {
    if (typeof snapshot.seq !== "number") return true;
    if (this.lastSeq !== null && snapshot.seq < this.lastSeq) return false;
    this.lastSeq = snapshot.seq;
    return true;
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(withToken(`${scheme}://${location.host}/api/tts/ws`));
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.retryMs = 500;
      this.onStatus(true);
    });
    socket.addEventListener("message", (event) => {
      if (socket !== this.socket) return; // a late frame of a connection already replaced
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (this.accepts(frame)) this.onFrame(frame);
    });
    socket.addEventListener("close", () => {
      this.onStatus(false);
      // the server sends a fresh snapshot on every connection, so nothing is lost by reconnecting
      setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  /** Send a command; returns its request_id (the answer carries it). */
  send(type, fields = {}) {
    const requestId = this.nextId++;
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type, request_id: requestId, ...fields }));
    }
    return requestId;
  }
}

/**
 * Plays the audio of `play` frames in an <audio> element. An end that was heard is reported with a `played`
 * command; a message the page could not play (the browser blocks sound until the page is clicked, or the file
 * fails) is reported with `playback_failed`: the server puts it back, ready and first, and pauses autoplay, so
 * nothing is marked played that nobody heard.
 * The element's data-state (idle | loading | playing | ended | blocked | error | stopped) and data-message-id
 * show what it does.
 */
export class Speaker {
  constructor(audio, live, { onChange } = {}) {
    this.audio = audio;
    this.live = live;
    this.enabled = true;
    this.current = null;
    this.onChange = onChange || (() => {});
    audio.addEventListener("playing", () => this.setState("playing"));
    audio.addEventListener("ended", () => this.finish("ended"));
    audio.addEventListener("error", () => this.fail("error", "the audio could not be loaded or decoded"));
    audio.addEventListener("timeupdate", () => this.onChange(this));
  }

  setState(state) {
    this.audio.dataset.state = state;
    this.onChange(this);
  }

  play(message, audioUrl) {
    if (!this.enabled || !audioUrl) return;
    this.current = message;
    this.audio.dataset.messageId = String(message.id);
    this.setState("loading");
    this.audio.src = withToken(audioUrl);
    this.audio.play().catch((error) => {
      if (!this.current || this.current.id !== message.id) return;
      // the browser blocks sound until the page is clicked: nobody hears it, so it must not count as played
      const blocked = error && error.name === "NotAllowedError";
      this.fail(blocked ? "blocked" : "error", String(error));
    });
  }

  /** Another client ended the message, or Stop was pressed: silence without reporting. */
  silence(messageId) {
    if (!this.current || (messageId !== undefined && messageId !== null && messageId !== this.current.id)) return;
    this.current = null;
    this.audio.pause();
    this.audio.removeAttribute("src");
    this.audio.load();
    this.setState("stopped");
  }

  /** The page could not play the current message: report a failure, never an end. */
  fail(state, detail) {
    const message = this.current;
    if (!message) return;
    this.current = null;
    this.audio.dataset.failed = String(message.id);
    this.audio.dataset.error = detail;
    this.live.send("playback_failed", { id: message.id, reason: detail.slice(0, 500) });
    this.setState(state);
  }

  finish(state, detail) {
    const message = this.current;
    if (!message) return;
    this.current = null;
    this.audio.dataset.reported = String(message.id);
    if (detail) this.audio.dataset.error = detail;
    this.live.send("played", { id: message.id });
    this.setState(state);
  }
}
