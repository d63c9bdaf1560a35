/** `A` + 15 → `A015`; numbers past 999 keep all their digits (`A1000`). */
export function ticketCode(prefix: string, number: number): string {
  return `${prefix}${String(number).padStart(3, "0")}`;
}
