/**
 * Which printed forms a dossier uses. The forms of the one-stop mechanism are set by a circular
 * of the Government Office; when a new one replaces it, dossiers received before keep the forms
 * (names, numbers, wording) of the circular in force on their receipt day. This table is that
 * history, newest last: adding a circular is adding a row.
 *
 * Client-safe (no server imports): the pages read form titles from here too.
 */

export type FormKind = "receipt" | "supplement" | "refusal" | "apology" | "stop" | "control" | "book";

export type FormSpec = { number: string; title: string };

export type FormSet = {
  id: "tt01-2018" | "tt03-2025";
  /** The first receipt day (YYYY-MM-DD, Vietnam time) the set applies to. */
  from: string;
  /** The circular, as printed under a form's number. */
  basis: string;
  forms: Partial<Record<FormKind, FormSpec>>;
};

export const FORM_SETS: readonly FormSet[] = [
  {
    id: "tt01-2018",
    from: "2018-11-23",
    basis: "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
    forms: {
      receipt: { number: "Mẫu số 01", title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" },
      supplement: { number: "Mẫu số 02", title: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" },
      refusal: { number: "Mẫu số 03", title: "Phiếu từ chối tiếp nhận giải quyết hồ sơ" },
      apology: { number: "Mẫu số 04", title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" },
      control: { number: "Mẫu số 05", title: "Phiếu kiểm soát quá trình giải quyết hồ sơ" },
      book: { number: "Mẫu số 06", title: "Sổ theo dõi hồ sơ" },
    },
  },
  {
    id: "tt03-2025",
    from: "2025-09-15",
    basis: "Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ",
    forms: {
      receipt: { number: "Mẫu số 01", title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" },
      supplement: { number: "Mẫu số 02", title: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" },
      refusal: { number: "Mẫu số 03", title: "Phiếu từ chối tiếp nhận giải quyết hồ sơ" },
      apology: { number: "Mẫu số 04", title: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" },
      stop: { number: "Mẫu số 05", title: "Thông báo dừng giải quyết hồ sơ" },
      control: { number: "Mẫu số 06", title: "Phiếu kiểm soát quá trình giải quyết hồ sơ" },
      book: { number: "Mẫu số 07", title: "Sổ theo dõi hồ sơ" },
    },
  },
];

/** The set in force on `day` (the first one for a day before every set). */
export function formSetOn(day: string, sets: readonly FormSet[] = FORM_SETS): FormSet {
  return [...sets].reverse().find((s) => s.from <= day) ?? sets[0]!;
}

/**
 * The form of `kind` for a dossier received on `receivedDay`: the set in force that day, or —
 * for a form that set did not have (the stop notice before 2025) — the first later set that has it.
 */
export function formFor(kind: FormKind, receivedDay: string, sets: readonly FormSet[] = FORM_SETS): FormSpec & { set: FormSet } {
  const inForce = formSetOn(receivedDay, sets);
  const set = inForce.forms[kind] ? inForce : sets.find((s) => s.from > inForce.from && s.forms[kind]);
  if (!set) throw new Error(`no form set has the form ${kind}`);
  return { ...set.forms[kind]!, set };
}

/** The URL slug of each letter printed from a dossier's page (Vietnamese, as citizens and staff read it). */
export const LETTER_SLUGS = {
  supplement: "yeu-cau-bo-sung",
  refusal: "tu-choi",
  apology: "xin-loi",
  stop: "dung-giai-quyet",
} as const satisfies Partial<Record<FormKind, string>>;

export type LetterKind = keyof typeof LETTER_SLUGS;

export const letterKindOf = (slug: string): LetterKind | null =>
  (Object.entries(LETTER_SLUGS).find(([, s]) => s === slug)?.[0] as LetterKind | undefined) ?? null;
