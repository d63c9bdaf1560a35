// Makes the waiting-room screen's recorded call clips (app/lib/call-clips.ts) with eSpeak NG's
// Vietnamese voice (the `espeak-ng` package: the C synthesizer compiled to WebAssembly, so no
// system package is needed), into public/audio/<name>.wav, for screens whose browser has no
// Vietnamese speech voice. Run by `npm run build` and `npm run dev`; skipped when the clips on
// disk were made from the same table with the same settings (public/audio/manifest.json).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CLIP_TEXT } from "../app/lib/call-clips";

const OUT = path.resolve("public/audio");
// Words a minute and pitch: a calm, clear voice for a hall.
const SETTINGS = { voice: "vi", speed: 135, pitch: 45, amplitude: 180, version: 2 };
const require = createRequire(import.meta.url);
const pkg = require("espeak-ng/package.json") as { version: string };

const fingerprint = createHash("sha256")
  .update(JSON.stringify({ CLIP_TEXT, SETTINGS, espeak: pkg.version }))
  .digest("hex")
  .slice(0, 16);
const manifestFile = path.join(OUT, "manifest.json");
const current = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, "utf8")) as { fingerprint?: string }) : {};
const complete = Object.keys(CLIP_TEXT).every((name) => existsSync(path.join(OUT, `${name}.wav`)));
if (current.fingerprint === fingerprint && complete) {
  console.log(`audio clips: up to date (${Object.keys(CLIP_TEXT).length} in public/audio)`);
  process.exit(0);
}

const started = Date.now();
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const { default: ESpeakNg } = await import("espeak-ng");
// Compiled once; each clip is one run of the command line on a fresh instance of it.
const wasm = await WebAssembly.compile(readFileSync(require.resolve("espeak-ng/dist/espeak-ng.wasm")));
let bytes = 0;
for (const [name, text] of Object.entries(CLIP_TEXT)) {
  const espeak = await ESpeakNg({
    arguments: ["-v", SETTINGS.voice, "-s", String(SETTINGS.speed), "-p", String(SETTINGS.pitch), "-a", String(SETTINGS.amplitude), "-w", "clip.wav", text],
    instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => done(instance, wasm));
      return {};
    },
    print: () => {},
    printErr: () => {},
  });
  const wav = trimSilence(Buffer.from(espeak.FS.readFile("clip.wav")));
  writeFileSync(path.join(OUT, `${name}.wav`), wav);
  bytes += wav.length;
}
writeFileSync(manifestFile, JSON.stringify({ fingerprint, clips: Object.keys(CLIP_TEXT), settings: SETTINGS, espeak: pkg.version }, null, 2) + "\n");
console.log(`audio clips: made ${Object.keys(CLIP_TEXT).length} in public/audio (${Math.round(bytes / 1024)} KB) in ${Date.now() - started} ms`);

/**
 * The clip without the silence eSpeak puts before and after it (kept: 30 ms each side), so the
 * clips of a call follow each other at a speaking pace. 16-bit mono PCM, as eSpeak writes it.
 */
function trimSilence(wav: Buffer): Buffer {
  const dataAt = wav.indexOf("data", 12);
  if (wav.toString("ascii", 0, 4) !== "RIFF" || dataAt < 0 || wav.readUInt16LE(34) !== 16 || wav.readUInt16LE(22) !== 1) return wav;
  const rate = wav.readUInt32LE(24);
  const start = dataAt + 8;
  const samples = Math.floor(Math.min(wav.readUInt32LE(dataAt + 4), wav.length - start) / 2);
  const loud = (i: number) => Math.abs(wav.readInt16LE(start + i * 2)) > 500;
  let first = 0;
  while (first < samples && !loud(first)) first++;
  let last = samples - 1;
  while (last > first && !loud(last)) last--;
  const pad = Math.round(rate * 0.03);
  const from = Math.max(0, first - pad);
  const to = Math.min(samples, last + 1 + pad);
  const data = wav.subarray(start + from * 2, start + to * 2);
  const header = Buffer.from(wav.subarray(0, 44));
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  header.writeUInt32LE(36 + data.length, 4);
  // Any chunk between "fmt " and "data" is dropped: the header is the canonical 44 bytes.
  header.writeUInt32LE(16, 16);
  return Buffer.concat([header, data]);
}
