import { t } from "../../server/i18n";

let audio: AudioContext | null = null;

/** The shared audio context; browsers start it suspended until a person interacts. */
export function audioContext(): AudioContext | null {
  if (typeof window === "undefined" || !("AudioContext" in window)) return null;
  audio ??= new AudioContext();
  return audio;
}

/** Two falling tones, like a hall's bell, made on the spot (no sound file to load). */
export function playChime() {
  const ctx = audioContext();
  if (!ctx || ctx.state !== "running") return;
  const start = ctx.currentTime + 0.05;
  for (const [frequency, delay] of [
    [880, 0],
    [660, 0.45],
  ] as const) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + delay);
    gain.gain.exponentialRampToValueAtTime(0.5, start + delay + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + delay + 0.9);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + delay);
    oscillator.stop(start + delay + 1);
  }
}

/** Reads the call aloud when the machine has a Vietnamese voice; otherwise the chime alone. */
export function speakCall(code: string, counterNumber: number) {
  if (typeof window === "undefined" || !("speechSynthesis" in window)) return;
  const voice = window.speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith("vi"));
  if (!voice) return;
  // Letter and digits one by one: "A 0 1 5", as callers say it.
  const utterance = new SpeechSynthesisUtterance(t("display.announce", { code: code.split("").join(" "), counter: counterNumber }));
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = 0.9;
  setTimeout(() => window.speechSynthesis.speak(utterance), 1200);
}
