/** The counter console's dialogs: transfer, out-of-order call, pause, and leaving with a ticket open. */
import { getFormProps, useForm, type FieldMetadata } from "@conform-to/react";
import { useEffect, useRef, useState } from "react";
import type { FetcherWithComponents } from "react-router";
import { t } from "../../../server/i18n";
import type { QueuedTicket } from "../../../server/queue/read";
import { OUT_OF_ORDER_REASONS, PAUSE_REASONS, outOfOrderLabel, pauseLabel } from "../../../server/queue/reasons";
import type { TransferTargets } from "../../../server/queue/transfer";
import { formatTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";

export type DialogProps = {
  fetcher: FetcherWithComponents<ActionReply>;
  /** The answer to this dialog's own submission, once there is one. */
  reply: ActionReply | undefined;
  onSubmitting: () => void;
  onClose: () => void;
};

/** A modal on the native <dialog>: focus is trapped and Esc closes it. */
function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control (the close button); the form's first field is what the officer needs.
    const first = (selector: string) => body.current?.querySelector<HTMLElement>(selector);
    (first("[data-autofocus]") ?? first("select, input:not([type=hidden]), textarea, button"))?.focus();
  }, []);
  return (
    <dialog ref={ref} onClose={onClose} aria-label={title} className="m-auto w-full max-w-lg rounded-2xl p-0 shadow-2xl backdrop:bg-slate-900/40">
      <div className="p-6">
        <div className="flex items-start justify-between gap-4">
          <h2 className="text-xl font-bold">{title}</h2>
          <button type="button" onClick={() => ref.current?.close()} className="rounded px-2 text-slate-500 hover:bg-slate-100">
            {t("counter.dialog.cancel")} <kbd>Esc</kbd>
          </button>
        </div>
        <div ref={body} className="mt-4">
          {children}
        </div>
      </div>
    </dialog>
  );
}

/** A dialog's Conform form, fed only with the answers to its own submissions; its props tell the console when it is sent. */
function useDialogForm<Shape extends Record<string, unknown>>(id: string, { reply, onSubmitting }: DialogProps) {
  const [form, fields] = useForm<Shape>({ id, lastResult: reply?.form === id ? reply.result : undefined });
  const props = getFormProps(form);
  const formProps = {
    ...props,
    onSubmit: (event: React.FormEvent<HTMLFormElement>) => {
      onSubmitting();
      props.onSubmit(event);
    },
  };
  return [form, fields, formProps] as const;
}

function FormError({ errors, id }: { errors: string[] | undefined; id?: string }) {
  if (!errors?.length) return null;
  return (
    <p id={id} role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-red-900 ring-1 ring-red-200">
      {errors[0]}
    </p>
  );
}

/** Marks an input refused, and links it to the refusal's message. */
const invalid = (meta: Pick<FieldMetadata<unknown>, "errors" | "errorId">) =>
  meta.errors?.length ? { "aria-invalid": true, "aria-describedby": meta.errorId } : {};

const FieldError = ({ meta }: { meta: Pick<FieldMetadata<unknown>, "errors" | "errorId"> }) => <FormError errors={meta.errors} id={meta.errorId} />;

function Submit({ busy, tone = "bg-brand-700 hover:bg-brand-800", children }: { busy: boolean; tone?: string; children: React.ReactNode }) {
  return (
    <button type="submit" disabled={busy} className={`mt-4 w-full rounded-lg py-2.5 font-semibold text-white disabled:opacity-60 ${tone}`}>
      {children}
    </button>
  );
}

export function TransferDialog({ ticket, targets, ...props }: DialogProps & { ticket: { id: number; code: string; fieldId: number }; targets: TransferTargets }) {
  const [form, , formProps] = useDialogForm("transfer", props);
  const [kind, setKind] = useState<"fieldId" | "counterId" | "officerId">("fieldId");
  const options =
    kind === "fieldId"
      ? targets.fields.filter((f) => f.id !== ticket.fieldId).map((f) => ({ value: f.id, label: `${f.prefix} · ${f.name}` }))
      : kind === "counterId"
        ? targets.counters.map((c) => ({ value: c.id, label: `${c.name} — ${c.officerName}` }))
        : targets.officers.map((o) => ({ value: o.id, label: `${o.fullName} (${t("display.counter", { n: o.counterNumber })})` }));
  const kinds = [
    ["fieldId", t("counter.transfer.toField")],
    ["counterId", t("counter.transfer.toCounter")],
    ["officerId", t("counter.transfer.toOfficer")],
  ] as const;
  return (
    <Modal title={t("counter.transfer.title", { code: ticket.code })} onClose={props.onClose}>
      <props.fetcher.Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="transfer" />
        <input type="hidden" name="ticketId" value={ticket.id} />
        <div className="flex gap-2" role="radiogroup">
          {kinds.map(([value, label]) => (
            <label
              key={value}
              className={`flex-1 cursor-pointer rounded-lg border px-2 py-2 text-center text-sm font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600 ${kind === value ? "border-brand-600 bg-brand-50 font-semibold text-brand-800" : "border-slate-300"}`}
            >
              <input type="radio" name="transferKind" className="sr-only" checked={kind === value} onChange={() => setKind(value)} />
              {label}
            </label>
          ))}
        </div>
        <select
          name={kind}
          key={kind}
          data-autofocus
          required
          className="mt-3 w-full rounded-lg border border-slate-300 px-3 py-2 text-base"
          aria-label={t("counter.transfer.choose")}
        >
          <option value="">{options.length ? t("counter.transfer.choose") : t("counter.transfer.none")}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {kind !== "fieldId" ? <p className="mt-1 text-sm text-slate-500">{t("counter.transfer.onlyOpen")}</p> : null}
        <label className="mt-3 block text-sm font-medium">
          {t("counter.transfer.note")}
          <textarea name="note" rows={2} maxLength={500} className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base" />
        </label>
        <p className="mt-2 text-sm text-slate-500">{t("counter.transfer.keepsPlace")}</p>
        <FormError errors={form.errors ?? Object.values(form.allErrors).flat()} id={form.errorId} />
        <Submit busy={props.fetcher.state !== "idle"}>{t("counter.transfer.submit")}</Submit>
      </props.fetcher.Form>
    </Modal>
  );
}

export function CallDialog({
  counterId,
  waiting,
  initialTicketId,
  ...props
}: DialogProps & { counterId: number; waiting: QueuedTicket[]; initialTicketId: number | null }) {
  const [form, fields, formProps] = useDialogForm<{ ticketId: string; reason: string; note: string }>("call", props);
  return (
    <Modal title={t("counter.call.title")} onClose={props.onClose}>
      <props.fetcher.Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="call" />
        <input type="hidden" name="counterId" value={counterId} />
        <label className="block text-sm font-medium">
          {t("counter.call.ticket")}
          <select
            name={fields.ticketId.name}
            defaultValue={initialTicketId ?? ""}
            data-autofocus={initialTicketId === null ? "" : undefined}
            {...invalid(fields.ticketId)}
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base aria-invalid:border-red-500"
          >
            <option value="">{t("counter.transfer.choose")}</option>
            {waiting.map((q) => (
              <option key={q.id} value={q.id}>
                {q.code} · {formatTime(q.issuedAt)}
              </option>
            ))}
          </select>
        </label>
        <FieldError meta={fields.ticketId} />
        <fieldset className="mt-3">
          <legend className="text-sm font-medium">{t("counter.call.reason")}</legend>
          <div className="mt-1 flex flex-col gap-1.5">
            {OUT_OF_ORDER_REASONS.map((r, i) => (
              <label key={r} className="flex items-center gap-2 text-base">
                <input
                  type="radio"
                  name={fields.reason.name}
                  value={r}
                  data-autofocus={initialTicketId !== null && i === 0 ? "" : undefined}
                  {...invalid(fields.reason)}
                />{" "}
                {t(outOfOrderLabel(r))}
              </label>
            ))}
          </div>
        </fieldset>
        <FieldError meta={fields.reason} />
        <label className="mt-3 block text-sm font-medium">
          {t("counter.call.note")}
          <input name={fields.note.name} maxLength={500} className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base" />
        </label>
        <FieldError meta={fields.note} />
        <FormError errors={form.errors} id={form.errorId} />
        <Submit busy={props.fetcher.state !== "idle"}>{t("counter.call.submit")}</Submit>
      </props.fetcher.Form>
    </Modal>
  );
}

export function PauseDialog(props: DialogProps) {
  const [form, fields, formProps] = useDialogForm<{ reason: string }>("pause", props);
  return (
    <Modal title={t("counter.pause.title")} onClose={props.onClose}>
      <props.fetcher.Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="pause" />
        <fieldset className="flex flex-col gap-2">
          {PAUSE_REASONS.map((r, i) => (
            <label key={r} className="flex items-center gap-2 text-base">
              <input type="radio" name={fields.reason.name} value={r} defaultChecked={i === 0} data-autofocus={i === 0 ? "" : undefined} /> {t(pauseLabel(r))}
            </label>
          ))}
        </fieldset>
        <FieldError meta={fields.reason} />
        <FormError errors={form.errors} id={form.errorId} />
        <Submit busy={props.fetcher.state !== "idle"} tone="bg-amber-600 hover:bg-amber-700">
          {t("counter.pause.submit")}
        </Submit>
      </props.fetcher.Form>
    </Modal>
  );
}

export function SignOutDialog({ code, ...props }: DialogProps & { code: string }) {
  const [form, , formProps] = useDialogForm("sign-out", props);
  const busy = props.fetcher.state !== "idle";
  return (
    <Modal title={t("counter.signOut.title", { code })} onClose={props.onClose}>
      <props.fetcher.Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="sign-out" />
        <p className="text-base">{t("counter.signOut.question")}</p>
        <div className="mt-4 flex flex-col gap-2">
          <button
            type="submit"
            name="activeTicket"
            value="finish"
            data-autofocus
            disabled={busy}
            className="rounded-lg bg-emerald-700 py-2.5 font-semibold text-white hover:bg-emerald-800"
          >
            {t("counter.signOut.finish")}
          </button>
          <button type="submit" name="activeTicket" value="requeue" disabled={busy} className="rounded-lg border border-slate-300 py-2.5 font-semibold hover:bg-slate-50">
            {t("counter.signOut.requeue")}
          </button>
        </div>
        <FormError errors={form.errors} id={form.errorId} />
      </props.fetcher.Form>
    </Modal>
  );
}
