/** The rules of a rating's answer and windows, and the modes a device reports in words. */
import { describe, expect, it } from "vitest";
import { describeModes } from "../../server/devices/modes";
import { parseRating, ratingInput, tabletRatingInput } from "../../server/ratings/rules";
import { trackingRatingState } from "../../server/ratings/service";

describe("the answer", () => {
  it("needs a reason or words with «Không hài lòng», keeps each reason once, drops reasons of a satisfied answer", () => {
    expect(() => parseRating(ratingInput, { value: "unsatisfied" })).toThrow(expect.objectContaining({ code: "rating_reason_required" }));
    expect(() => parseRating(ratingInput, { value: "unsatisfied", comment: " \n " })).toThrow(expect.objectContaining({ code: "rating_reason_required" }));
    expect(parseRating(ratingInput, { value: "unsatisfied", reasons: ["attitude", "attitude", "other"] })).toEqual({ value: "unsatisfied", reasons: ["attitude", "other"], comment: null });
    expect(parseRating(ratingInput, { value: "unsatisfied", reasons: "facilities" }).reasons).toEqual(["facilities"]);
    expect(parseRating(ratingInput, { value: "satisfied", reasons: ["long_wait"], comment: " Tốt " })).toEqual({ value: "satisfied", reasons: [], comment: "Tốt" });
    expect(() => parseRating(ratingInput, { value: "great" })).toThrow(expect.objectContaining({ code: "bad_request" }));
    expect(() => parseRating(ratingInput, { value: "unsatisfied", comment: "x".repeat(501) })).toThrow(expect.objectContaining({ code: "bad_request" }));
    expect(() => parseRating(tabletRatingInput, { value: "satisfied" })).toThrow(expect.objectContaining({ code: "bad_request" }));
    expect(parseRating(tabletRatingInput, { ticketId: "12", value: "very_satisfied" })).toMatchObject({ ticketId: 12, value: "very_satisfied" });
  });
});

describe("the tracking link's window", () => {
  const finishedAt = new Date("2026-11-29T03:00:00Z");
  const at = (hours: number) => new Date(finishedAt.getTime() + hours * 3_600_000);
  it("is open from the finish for 24 hours; before the finish it is not yet; a rated ticket is rated", () => {
    expect(trackingRatingState({ status: "called", finishedAt: null }, false, at(0))).toBe("not_finished");
    expect(trackingRatingState({ status: "done", finishedAt }, false, at(0))).toBe("open");
    expect(trackingRatingState({ status: "done", finishedAt }, false, at(24))).toBe("open");
    expect(trackingRatingState({ status: "done", finishedAt }, false, at(24.01))).toBe("expired");
    expect(trackingRatingState({ status: "done", finishedAt }, true, at(1))).toBe("rated");
  });
});

describe("a device's modes in words", () => {
  it("says the voice, the printing and the tablet's counter, and when they were reported", () => {
    expect(describeModes(null)).toEqual({ lines: [], at: null });
    expect(describeModes({ voice: "speech", voiceName: "Google Tiếng Việt", at: "2026-11-29T03:05:00Z" })).toEqual({ lines: ["Đọc số: giọng tổng hợp (Google Tiếng Việt)"], at: "10:05" });
    expect(describeModes({ voice: "silent" }).lines).toEqual(["Đọc số: đang tắt tiếng (chưa ai chạm màn hình)"]);
    expect(describeModes({ print: "off", kioskPrinting: "yes" }).lines).toEqual(["In phiếu: không (in thẳng không hỏi)"]);
    expect(describeModes({ counter: "none", screen: "1280x800" }).lines).toEqual(["Đang báo chưa gắn quầy", "Màn hình 1280×800"]);
  });
});
