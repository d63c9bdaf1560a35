/**
 * The spoken call as recorded clips, for a screen whose browser has no Vietnamese voice:
 * "Mời công dân có số | A | không | một | năm | đến quầy số | ba". The clips are made at build
 * time from this table (scripts/build-audio.ts, eSpeak NG's Vietnamese voice) into
 * public/audio/<name>.wav; the screen plays them one after the other.
 */

/** Every clip: its file name (without .wav) and the Vietnamese it says. */
export const CLIP_TEXT: Record<string, string> = {
  "phrase-call": "Mời công dân có số",
  "phrase-counter": "đến quầy số",
  // Digits, read one by one in a ticket's number.
  "digit-0": "không",
  "digit-1": "một",
  "digit-2": "hai",
  "digit-3": "ba",
  "digit-4": "bốn",
  "digit-5": "năm",
  "digit-6": "sáu",
  "digit-7": "bảy",
  "digit-8": "tám",
  "digit-9": "chín",
  // The parts of a counter's number read as a number ("mười lăm", "hai mươi mốt").
  "number-10": "mười",
  "number-tens": "mươi",
  "number-unit-1": "mốt",
  "number-unit-4": "tư",
  "number-unit-5": "lăm",
  // Letters of a ticket's prefix, by their Vietnamese names.
  "letter-a": "a",
  "letter-b": "bê",
  "letter-c": "xê",
  "letter-d": "dê",
  "letter-e": "e",
  "letter-f": "ép",
  "letter-g": "giê",
  "letter-h": "hát",
  "letter-i": "i",
  "letter-j": "gi",
  "letter-k": "ca",
  "letter-l": "e lờ",
  "letter-m": "em mờ",
  "letter-n": "en nờ",
  "letter-o": "o",
  "letter-p": "pê",
  "letter-q": "quy",
  "letter-r": "e rờ",
  "letter-s": "ét xì",
  "letter-t": "tê",
  "letter-u": "u",
  "letter-v": "vê",
  "letter-w": "vê kép",
  "letter-x": "ích xì",
  "letter-y": "i dài",
  "letter-z": "dét",
};

/** Where the clips are served from. */
export const clipUrl = (name: string) => `/audio/${name}.wav`;

/** A ticket code said character by character: letters by name, digits one by one ("A015" → a, không, một, năm). */
export function codeClips(code: string): string[] {
  const clips: string[] = [];
  for (const ch of code.toLowerCase()) {
    if (ch >= "0" && ch <= "9") clips.push(`digit-${ch}`);
    else if (ch >= "a" && ch <= "z") clips.push(`letter-${ch}`);
    // Anything else (a dash) is not said.
  }
  return clips;
}

/**
 * A counter's number as Vietnamese says it: 3 "ba", 10 "mười", 15 "mười lăm", 21 "hai mươi
 * mốt", 24 "hai mươi tư", 30 "ba mươi". From 100 on, digit by digit.
 */
export function numberClips(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) return [];
  if (n >= 100) return codeClips(String(n));
  if (n < 10) return [`digit-${n}`];
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  const head = tens === 1 ? ["number-10"] : [`digit-${tens}`, "number-tens"];
  if (unit === 0) return head;
  if (unit === 5) return [...head, "number-unit-5"];
  if (unit === 1 && tens > 1) return [...head, "number-unit-1"];
  if (unit === 4 && tens > 1) return [...head, "number-unit-4"];
  return [...head, `digit-${unit}`];
}

/** The whole call: "Mời công dân có số A015 đến quầy số 3" as clips. */
export function callClips(code: string, counterNumber: number): string[] {
  return ["phrase-call", ...codeClips(code), "phrase-counter", ...numberClips(counterNumber)];
}
