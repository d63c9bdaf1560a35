/** The three answers' faces and colours, shared by the counter's tablet and the phone page. */
import type { RatingValue } from "../../../server/ratings/rules";

export const VALUE_STYLE: Record<RatingValue, { button: string; ring: string }> = {
  very_satisfied: { button: "bg-emerald-600 text-white active:bg-emerald-700", ring: "peer-checked:ring-emerald-500 peer-checked:bg-emerald-50" },
  satisfied: { button: "bg-sky-600 text-white active:bg-sky-700", ring: "peer-checked:ring-sky-500 peer-checked:bg-sky-50" },
  unsatisfied: { button: "bg-orange-600 text-white active:bg-orange-700", ring: "peer-checked:ring-orange-500 peer-checked:bg-orange-50" },
};

/** A face drawn in SVG (no emoji font needed on a kiosk's Linux): a wide smile, a smile, a frown. */
export function Face({ value, className = "" }: { value: RatingValue; className?: string }) {
  const mouth = value === "very_satisfied" ? "M16 27c3 6 13 6 16 0z" : value === "satisfied" ? "M17 29c3 3 11 3 14 0" : "M17 33c3-4 11-4 14 0";
  return (
    <svg aria-hidden viewBox="0 0 48 48" className={className} fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round">
      <circle cx="24" cy="24" r="21" />
      <circle cx="17" cy="19" r="1.6" fill="currentColor" />
      <circle cx="31" cy="19" r="1.6" fill="currentColor" />
      <path d={mouth} fill={value === "very_satisfied" ? "currentColor" : "none"} />
    </svg>
  );
}
