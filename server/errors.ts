import { t, type MessageKey, type MessageParams } from "./i18n";

/** Error codes of the API, each with its HTTP status. */
const statusOf = {
  bad_request: 400,
  bad_request_field: 400,
  length_required: 411,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  pause_reason_required: 400,
  out_of_order_reason_required: 400,
  transfer_target_required: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  cannot_disable_self: 409,
  wrong_current_password: 400,
  cross_origin: 403,
  device_required: 401,
  device_wrong_kind: 403,
  not_at_counter: 403,
  not_found: 404,
  field_not_found: 404,
  counter_not_found: 404,
  ticket_not_found: 404,
  device_not_found: 404,
  session_not_found: 404,
  user_not_found: 404,
  pairing_invalid: 404,
  priority_class_not_found: 404,
  field_closed: 409,
  field_sold_out: 409,
  field_cut_off: 409,
  kiosk_too_fast: 429,
  field_unserved: 409,
  counter_paused: 409,
  counter_not_receiving: 409,
  officer_not_receiving: 409,
  active_ticket_blocks_pause: 409,
  ticket_not_waiting: 409,
  ticket_not_for_counter: 409,
  no_show_too_early: 409,
  ticket_not_no_show: 409,
  rejoin_expired: 409,
  counter_taken: 409,
  officer_has_counter: 409,
  counter_busy: 409,
  counter_has_active_ticket: 409,
  queue_empty: 409,
  call_contended: 503,
  ticket_not_yours: 409,
  ticket_not_active: 409,
  too_many_attempts: 429,
  reason_too_long: 400,
  dossier_step_not_allowed: 409,
  dossier_missing_document: 400,
  dossier_day_full: 409,
  procedure_not_found: 404,
  dossier_not_found: 404,
  lookup_invalid: 400,
  lookup_throttled: 429,
  tracking_not_found: 404,
  tracking_throttled: 429,
  dossier_needs_appraisal: 409,
  dossier_role_not_allowed: 403,
  dossier_reason_required: 400,
  form_not_available: 404,
  letter_not_found: 404,
  letter_leader_only: 403,
  letter_not_draft: 409,
  letter_exists: 409,
  letter_dossier_closed: 409,
  letter_date_invalid: 400,
  letter_reason_required: 400,
  book_dates_invalid: 400,
  steer_reason_required: 400,
  notice_too_long: 400,
  notice_minutes: 400,
  counter_unstaffed: 409,
  counter_inactive: 409,
  officer_not_at_counter: 409,
  officer_already_there: 409,
  calendar_year: 400,
  appointment_invalid: 400,
  appointment_phone_invalid: 400,
  appointment_field_closed: 409,
  appointment_day_off: 409,
  appointment_day_out_of_range: 409,
  appointment_slot_invalid: 400,
  appointment_slot_past: 409,
  appointment_slot_full: 409,
  appointment_day_full: 409,
  appointment_phone_taken: 409,
  appointment_not_found: 404,
  appointment_not_found_code: 404,
  appointment_not_cancellable: 409,
  appointment_already_checked_in: 409,
  appointment_cancelled: 409,
  appointment_missed: 409,
  appointment_not_today: 409,
  appointment_too_early: 409,
  appointment_throttled: 429,
  rating_exists: 409,
  rating_not_available: 409,
  rating_not_finished: 409,
  rating_expired: 409,
  rating_reason_required: 400,
  rating_ticket_not_found: 404,
  rating_throttled: 429,
  rating_tablet_unbound: 409,
  rating_dates_invalid: 400,
  device_counter_taken: 409,
  device_counter_required: 400,
  report_not_found: 404,
  report_filter_invalid: 400,
  report_date_invalid: 400,
  report_range_invalid: 400,
  report_range_too_long: 400,
  report_range_future: 400,
  report_scope_not_found: 404,
  internal: 500,
  database_unavailable: 503,
  service_unavailable: 503,
  database_busy: 503,
  starting: 503,
} as const;

export type ErrorCode = keyof typeof statusOf;

/** A refusal the user should read: a stable code, an HTTP status and a catalogue message. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: MessageParams = {},
    options?: ErrorOptions,
  ) {
    super(t(`error.${code}` as MessageKey, params), options);
    this.name = "AppError";
    this.status = statusOf[code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * Recognises an AppError by its shape, not `instanceof`: the production server bundle and
 * the React Router build each carry their own copy of this class, and an error thrown by a
 * service built in one is caught by a route built in the other.
 */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof Error &&
    error.name === "AppError" &&
    typeof (error as AppError).code === "string" &&
    typeof (error as AppError).status === "number"
  );
}
