/**
 * A date input that also says the chosen day in Vietnamese words ("Thứ Hai, 07/12/2026"): the
 * browser draws the input in its own locale (12/07/2026 on an English system), which a reader
 * must not have to guess.
 */
import { useState } from "react";

const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

export function dayInWords(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return "";
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return "";
  const [y, m, d] = day.split("-");
  return `${WEEKDAYS[date.getUTCDay()]}, ${d}/${m}/${y}`;
}

export function DayInput(props: { name: string; defaultValue?: string; required?: boolean; disabled?: boolean; className?: string }) {
  const [value, setValue] = useState(props.defaultValue ?? "");
  return (
    <>
      <input
        type="date"
        name={props.name}
        defaultValue={props.defaultValue}
        required={props.required}
        disabled={props.disabled}
        onChange={(event) => setValue(event.currentTarget.value)}
        className={props.className}
      />
      <span className="mt-0.5 block text-sm font-normal text-slate-600" aria-live="polite">
        {dayInWords(value)}
      </span>
    </>
  );
}
