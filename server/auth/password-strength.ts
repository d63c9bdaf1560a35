import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { t } from "../i18n";

export const PASSWORD_MIN_LENGTH = 10;

// zxcvbn-ts with its list of common passwords and keyboard patterns: one instance, built once.
let checker: ZxcvbnFactory | undefined;
const zxcvbn = () => (checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/** Words of this product a password must not lean on. */
const PRODUCT_WORDS = ["motcua", "mot cua", "một cửa", "hanhchinh", "hành chính", "trungtam", "trung tâm"];

/**
 * Why a new password is refused (a Vietnamese sentence), or null: at least 10 characters and
 * not guessable — not a common password, a keyboard walk, nor built on the person's own name
 * or username or this product's name (zxcvbn score at least 3 of 4).
 */
export function passwordWeakness(password: string, personal: string[] = []): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return t("password.tooShort", { min: PASSWORD_MIN_LENGTH });
  const words = [...personal.flatMap((w) => [w, ...w.split(/\s+/)]), ...PRODUCT_WORDS].filter((w) => w.length >= 3);
  if (onlyTheseWords(password, [...personal.flatMap((w) => w.split(/\s+/)), ...PRODUCT_WORDS])) return t("password.personal");
  const result = zxcvbn().check(password, words);
  if (result.score >= 3) return null;
  if (result.feedback.warning === "userInputs") return t("password.personal");
  if (result.feedback.warning === "common" || result.feedback.warning === "similarToCommon") return t("password.common");
  return t("password.weak");
}

/** Letters only, lower case, with and without Vietnamese marks ("Giám" and "giam" alike). */
function letters(text: string, plain: boolean) {
  const lower = text.normalize("NFC").toLocaleLowerCase("vi");
  const base = plain ? lower.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d") : lower;
  return base.replace(/[^\p{L}]/gu, "");
}

/**
 * Whether the password's letters are nothing but these words run together (the person's name
 * in any order, plus digits and punctuation): zxcvbn under-rates Vietnamese names with marks.
 */
function onlyTheseWords(password: string, words: string[]): boolean {
  return [false, true].some((plain) => {
    const text = letters(password, plain);
    const parts = words.map((w) => letters(w, plain)).filter((w) => w.length >= 2);
    if (text.length === 0 || parts.length === 0) return false;
    // canEnd[i]: the first i letters split into the words.
    const canEnd = [true, ...Array<boolean>(text.length).fill(false)];
    for (let i = 0; i < text.length; i++) {
      if (!canEnd[i]) continue;
      for (const part of parts) if (text.startsWith(part, i)) canEnd[i + part.length] = true;
    }
    return canEnd[text.length]!;
  });
}
