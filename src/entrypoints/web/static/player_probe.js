// Whether the browser lets this page play sound now: a hundredth of a second of silence is played, unheard. A browser
// that blocks sound until the page is clicked (autoplay policy) refuses it with NotAllowedError; OBS never does.

// a WAV of 80 silent samples (8 kHz, 16-bit mono): everything after its header is zeros
const SILENCE = `data:audio/wav;base64,UklGRsQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0Ya${"A".repeat(218)}`;
const PATIENCE_MS = 2000;

/** "allowed", "blocked", or "unknown" (the probe could not tell: neither allowed nor refused in time). */
export async function probeSound() {
  const probe = new Audio(SILENCE);
  const answer = probe.play().then(
    () => "allowed",
    (error) => (error && error.name === "NotAllowedError" ? "blocked" : "unknown"),
  );
  const late = new Promise((resolve) => setTimeout(() => resolve("unknown"), PATIENCE_MS));
  const verdict = await Promise.race([answer, late]);
  probe.pause();
  probe.removeAttribute("src");
  return verdict;
}
