/**
 * How the waiting-room screen sounds a call in the browser: a two-tone chime, then the call
 * read by a Vietnamese speech voice when the machine has one, else the recorded clips
 * (app/lib/call-clips.ts). The queue (one call at a time, each once) is app/lib/announcer.ts.
 */
import { t } from "../../server/i18n";
import type { CallPlayer, CallToAnnounce } from "./announcer";
import { callClips, clipUrl } from "./call-clips";

let audio: AudioContext | null = null;

/** The shared audio context; browsers start it suspended until a person interacts. */
export function audioContext(): AudioContext | null {
  if (typeof window === "undefined" || !("AudioContext" in window)) return null;
  audio ??= new AudioContext();
  return audio;
}

/** The voice a call is read with: the machine's Vietnamese speech voice, or the recorded clips. */
export type Voice = { kind: "speech"; name: string } | { kind: "clips" };

export function currentVoice(): Voice {
  if (typeof window === "undefined" || !("speechSynthesis" in window)) return { kind: "clips" };
  const voice = vietnameseVoice();
  return voice ? { kind: "speech", name: voice.name } : { kind: "clips" };
}

function vietnameseVoice(): SpeechSynthesisVoice | undefined {
  return window.speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").startsWith("vi"));
}

/** Calls `onChange` when the browser's list of voices changes (it often arrives after the page). */
export function watchVoices(onChange: () => void): () => void {
  if (typeof window === "undefined" || !("speechSynthesis" in window)) return () => {};
  window.speechSynthesis.addEventListener("voiceschanged", onChange);
  return () => window.speechSynthesis.removeEventListener("voiceschanged", onChange);
}

/** Whether sound can play now (a browser keeps it off until someone touches the page). */
export const soundAllowed = () => audioContext()?.state === "running";

/** Pause between a ticket's characters, so "A, không, một, năm" is heard one by one. */
const CHARACTER_GAP_S = 0.12;
const PHRASE_GAP_S = 0.25;

/** Plays calls in the browser: chime, then speech or clips; resolves when the call has been said. */
export function browserPlayer(options: { onClips?: (clips: string[]) => void } = {}): CallPlayer {
  const buffers = new Map<string, Promise<AudioBuffer>>();
  const load = (ctx: AudioContext, name: string) => {
    let buffer = buffers.get(name);
    if (!buffer) {
      buffer = fetch(clipUrl(name))
        .then((res) => {
          if (!res.ok) throw new Error(`clip ${name}: ${res.status}`);
          return res.arrayBuffer();
        })
        .then((data) => ctx.decodeAudioData(data));
      buffer.catch(() => buffers.delete(name)); // a failed load is tried again next time
      buffers.set(name, buffer);
    }
    return buffer;
  };

  return {
    async play(call: CallToAnnounce) {
      const ctx = audioContext();
      if (!ctx || ctx.state !== "running") throw new Error("sound is blocked");
      await chime(ctx);
      const voice = vietnameseVoice();
      if (voice) {
        await speak(voice, t("display.announce", { code: call.code.split("").join(" "), counter: call.counterNumber }));
        return;
      }
      const clips = callClips(call.code, call.counterNumber);
      options.onClips?.(clips);
      const decoded = await Promise.all(clips.map((name) => load(ctx, name)));
      let at = ctx.currentTime + 0.05;
      let last: AudioBufferSourceNode | null = null;
      decoded.forEach((buffer, i) => {
        const source = ctx.createBufferSource();
        source.buffer = buffer;
        source.connect(ctx.destination);
        source.start(at);
        const name = clips[i]!;
        const next = clips[i + 1];
        at += buffer.duration + (name.startsWith("phrase") || next?.startsWith("phrase") ? PHRASE_GAP_S : CHARACTER_GAP_S);
        last = source;
      });
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        const safety = setTimeout(done, (at - ctx.currentTime) * 1000 + 500);
        (last as AudioBufferSourceNode | null)?.addEventListener("ended", () => (clearTimeout(safety), done()));
      });
    },
  };
}

/** Two falling tones, like a hall's bell, made on the spot; resolves when they have sounded. */
export function chime(ctx: AudioContext): Promise<void> {
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
  return new Promise((resolve) => setTimeout(resolve, 1_300));
}

/** Reads the text with the voice; resolves when it has been read (or after a safe while, should the browser not say). */
function speak(voice: SpeechSynthesisVoice, text: string): Promise<void> {
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    const safety = setTimeout(resolve, 15_000);
    utterance.onend = utterance.onerror = () => {
      clearTimeout(safety);
      resolve();
    };
    window.speechSynthesis.speak(utterance);
  });
}
