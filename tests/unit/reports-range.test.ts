/**
 * The reports' range resolution (pure, today given): Monday–Sunday weeks across a year's end,
 * quarters, calendar years, the last 30 days by default, clipping to today, the series' cut,
 * and refusals of bad ranges.
 */
import { describe, expect, it } from "vitest";
import { isAppError } from "../../server/errors";
import { granularityOf, reportSearchParams, resolveRange } from "../../server/reports/filter";

const TODAY = "2026-11-20";
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return null;
};

describe("resolveRange", () => {
  it("defaults to the last 30 days up to today", () => {
    expect(resolveRange({}, TODAY)).toEqual({ period: "custom", from: "2026-10-22", to: TODAY, label: "30 ngày qua (22/10/2026 – 20/11/2026)", granularity: "day" });
  });

  it("cuts weeks Monday to Sunday, also across a year's end (ISO week numbers)", () => {
    expect(resolveRange({ period: "week", date: "2025-12-31" }, TODAY)).toMatchObject({ from: "2025-12-29", to: "2026-01-04", label: "Tuần 1/2026 (29/12/2025 – 04/01/2026)" });
    expect(resolveRange({ period: "week", date: "2027-01-01" }, "2027-03-01")).toMatchObject({ from: "2026-12-28", to: "2027-01-03", label: "Tuần 53/2026 (28/12/2026 – 03/01/2027)" });
    // A Sunday belongs to the week that began the Monday before.
    expect(resolveRange({ period: "week", date: "2026-11-15" }, TODAY)).toMatchObject({ from: "2026-11-09", to: "2026-11-15" });
  });

  it("gives days, months, quarters and years; February of a leap year", () => {
    expect(resolveRange({ period: "day", date: "2026-11-05" }, TODAY)).toMatchObject({ from: "2026-11-05", to: "2026-11-05", label: "Ngày 05/11/2026" });
    expect(resolveRange({ period: "month", date: "2024-02-10" }, TODAY)).toMatchObject({ from: "2024-02-01", to: "2024-02-29", label: "Tháng 02/2024 (01/02/2024 – 29/02/2024)" });
    expect(resolveRange({ period: "quarter", date: "2026-02-14" }, TODAY)).toMatchObject({ from: "2026-01-01", to: "2026-03-31", label: "Quý I/2026 (01/01/2026 – 31/03/2026)", granularity: "week" });
    expect(resolveRange({ period: "quarter", date: "2025-11-30" }, TODAY)).toMatchObject({ from: "2025-10-01", to: "2025-12-31", label: "Quý IV/2025 (01/10/2025 – 31/12/2025)" });
    expect(resolveRange({ period: "year", date: "2025-06-01" }, TODAY)).toMatchObject({ from: "2025-01-01", to: "2025-12-31", label: "Năm 2025 (01/01/2025 – 31/12/2025)", granularity: "month" });
  });

  it("clips a range that ends after today, and says so", () => {
    expect(resolveRange({ period: "quarter" }, TODAY)).toMatchObject({ from: "2026-10-01", to: TODAY, label: "Quý IV/2026 (01/10/2026 – 20/11/2026), số liệu đến hôm nay" });
    expect(resolveRange({ period: "custom", from: "2026-11-01", to: "2026-12-31" }, TODAY)).toMatchObject({ from: "2026-11-01", to: TODAY });
    expect(resolveRange({ period: "week" }, TODAY)).toMatchObject({ from: "2026-11-16", to: TODAY });
  });

  it("refuses to < from, a start after today, more than 400 days, bad days and periods", () => {
    expect(codeOf(() => resolveRange({ from: "2026-11-10", to: "2026-11-09" }, TODAY))).toBe("report_range_invalid");
    expect(codeOf(() => resolveRange({ period: "month", date: "2026-12-01" }, TODAY))).toBe("report_range_future");
    expect(codeOf(() => resolveRange({ from: "2025-10-16", to: TODAY }, TODAY))).toBe("report_range_too_long");
    expect(resolveRange({ from: "2025-10-17", to: TODAY }, TODAY).from).toBe("2025-10-17"); // exactly 400 days
    expect(codeOf(() => resolveRange({ from: "2026-13-01" }, TODAY))).toBe("report_date_invalid");
    expect(codeOf(() => resolveRange({ from: "20261101" }, TODAY))).toBe("report_date_invalid");
    expect(codeOf(() => resolveRange({ period: "decade" }, TODAY))).toBe("report_filter_invalid");
  });

  it("cuts series per day up to 62 days, per week up to 183, else per month", () => {
    expect(granularityOf("2026-01-01", "2026-03-03")).toBe("day");
    expect(granularityOf("2026-01-01", "2026-03-04")).toBe("week");
    expect(granularityOf("2026-01-01", "2026-07-02")).toBe("week");
    expect(granularityOf("2026-01-01", "2026-07-03")).toBe("month");
  });

  it("a filter's URL parameters resolve back to the same range", () => {
    for (const input of [{ period: "quarter", date: "2026-05-05" }, { period: "custom", from: "2026-03-02", to: "2026-04-01" }, { period: "week", date: "2026-11-18" }]) {
      const range = resolveRange(input, TODAY);
      const params = reportSearchParams({ ...range, centreId: 3, fieldId: 4, counterId: null, officerId: 9, procedureId: null, by: "officer" });
      expect(Object.fromEntries(params)).toMatchObject({ period: range.period, centre: "3", field: "4", officer: "9", by: "officer" });
      expect(resolveRange({ period: params.get("period"), date: params.get("date"), from: params.get("from"), to: params.get("to") }, TODAY)).toEqual(range);
    }
  });
});
