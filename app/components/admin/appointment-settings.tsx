import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { t } from "../../../server/i18n";

const LABELS = ["admin.field.slotMinutes", "admin.field.slotCapacity", "admin.field.walkInPercent"] as const;

/** A field's appointment settings in its form: slot minutes, bookings per slot, walk-in share (server/appointments/slots.ts). */
export function AppointmentSettings({ inputs, className }: { inputs: [FieldMetadata<number>, FieldMetadata<number>, FieldMetadata<number>]; className: string }) {
  return (
    <fieldset className="mt-3 flex flex-wrap items-start gap-3 border-t border-slate-200 pt-2">
      <legend className="pt-2 text-sm font-semibold">{t("admin.field.appointments")}</legend>
      {inputs.map((m, i) => (
        <div key={m.name} className="flex w-48 flex-col text-sm">
          <label htmlFor={m.id} className="font-medium">
            {t(LABELS[i]!)}
          </label>
          <input {...getInputProps(m, { type: "text" })} inputMode="numeric" className={className} />
          {m.errors?.[0] ? (
            <p id={m.errorId} className="mt-1 text-sm text-red-700">
              {m.errors[0]}
            </p>
          ) : null}
        </div>
      ))}
      <p className="w-full text-xs text-slate-500">{t("admin.field.appointmentsHint")}</p>
    </fieldset>
  );
}
