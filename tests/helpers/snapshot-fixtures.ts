import type { CentreSnapshot, CounterSummary, TicketSummary } from "../../server/realtime/events";

// A small centre (one field, one counter) and its tickets, for the client-side store tests.
export const at = "2026-11-29T02:00:00.000Z"; // 09:00 in Vietnam
export const ticket = (id: number, code: string, extra: Partial<TicketSummary> = {}): TicketSummary => ({
  id,
  code,
  fieldId: 1,
  priority: 0,
  status: "waiting",
  issuedAt: at,
  calledAt: null,
  counterId: null,
  priorityClassId: null,
  recallCount: 0,
  transferredFromCounterId: null,
  transferNote: null,
  targetCounterId: null,
  targetOfficerId: null,
  ...extra,
});
export const counter = (current: TicketSummary | null): CounterSummary => ({
  id: 7,
  number: 3,
  name: "Quầy 3",
  status: "open",
  staffed: true,
  pauseReason: null,
  officerId: 1,
  officerName: "Lê Thị Hoa",
  fieldIds: [1],
  current,
});
export const base: CentreSnapshot = {
  centre: { id: 1, name: "Trung tâm", unservedIssuing: "warn", notice: null },
  seq: 10,
  serviceDate: "2026-11-29",
  fields: [{ id: 1, code: "HT", name: "Hộ tịch", prefix: "A", isOpen: true, waiting: 2, issuedToday: 5, dailyCapacity: null, cutoffTime: null, recallsBeforeNoShow: 2, meanServiceSeconds: 600 }],
  counters: [counter(null)],
  priorityClasses: [],
  recentCalls: [],
};
