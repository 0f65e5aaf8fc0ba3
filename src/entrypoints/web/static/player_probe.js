// Whether the browser lets this page play sound now: a hundredth of a second of silence is played, unheard. A
// browser that blocks sound until the page is clicked (autoplay policy) refuses it with NotAllowedError; OBS never does.

// a WAV of 80 silent samples (8 kHz, 16-bit mono): everything after its header is zeros
const SILENCE = `data:audio/wav;base64,UklGRsQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0Ya${"A".repeat(218)}`;

/** Resolves to "allowed", "blocked", or "unknown" (it failed for another reason); a slow machine may take a while. */
export async function probeSound() {
  const probe = new Audio(SILENCE);
  try {
    await probe.play();
    return "allowed";
  } catch (error) {
    return error && error.name === "NotAllowedError" ? "blocked" : "unknown";
  } finally {
    probe.pause();
    probe.removeAttribute("src");
  }
}
