/**
 * The life of a dossier (hồ sơ), in one place: which step may follow which, who may take it, and
 * what it needs. Every entry point asks `nextState`; a refusal names the rule in Vietnamese and
 * nothing is written.
 *
 *   received ──(appraise)──▶ appraising ──(approve)──▶ approved ──(result)──▶ result_ready ──(return)──▶ returned
 *       │                        │    └──(supplement)──▶ needs_supplement ──(resubmit)──▶ appraising
 *       │                        └──(refuse)──▶ refused ──(return)──▶ returned
 *       └──(approve, when the procedure needs no separate appraisal)
 *   any open state ──(pause)──▶ paused ──(resume)──▶ the state it left;  ──(stop)──▶ stopped
 */
import { dossierStateEnum } from "../../db/schema";
import { AppError } from "../errors";

/** The states, as the database's enum lists them. */
export const DOSSIER_STATES = dossierStateEnum.enumValues;
export type DossierState = (typeof DOSSIER_STATES)[number];

export const DOSSIER_ACTIONS = ["appraise", "approve", "refuse", "supplement", "resubmit", "result", "return", "pause", "resume", "stop"] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** Who works on dossiers: the receiving officer at the counter, the appraiser, the approver (a leader). */
export type DossierRole = "receiver" | "appraiser" | "approver";

export type ProcedureRules = {
  /** Appraisal is a step of its own before approval (most procedures); otherwise the approver decides from the receipt. */
  needsAppraisal: boolean;
  /** The roles allowed to approve this procedure's dossiers. */
  approvers: readonly DossierRole[];
};

type Transition = { from: readonly DossierState[]; to: DossierState | "previous"; by: readonly DossierRole[]; reason?: boolean };

const OPEN: readonly DossierState[] = ["received", "appraising", "needs_supplement", "approved", "result_ready"];

const TRANSITIONS: Record<DossierAction, Transition> = {
  appraise: { from: ["received"], to: "appraising", by: ["appraiser"] },
  approve: { from: ["appraising", "received"], to: "approved", by: ["approver"] },
  refuse: { from: ["received", "appraising"], to: "refused", by: ["appraiser", "approver"], reason: true },
  supplement: { from: ["received", "appraising"], to: "needs_supplement", by: ["receiver", "appraiser"], reason: true },
  resubmit: { from: ["needs_supplement"], to: "appraising", by: ["receiver"] },
  result: { from: ["approved"], to: "result_ready", by: ["receiver", "approver"] },
  return: { from: ["result_ready", "refused"], to: "returned", by: ["receiver"] },
  pause: { from: OPEN, to: "paused", by: ["receiver", "appraiser", "approver"], reason: true },
  resume: { from: ["paused"], to: "previous", by: ["receiver", "appraiser", "approver"] },
  stop: { from: [...OPEN, "paused"], to: "stopped", by: ["approver"], reason: true },
};

const STATE_LABEL: Record<DossierState, string> = {
  received: "Đã tiếp nhận",
  appraising: "Đang thẩm định",
  needs_supplement: "Chờ bổ sung",
  approved: "Đã phê duyệt",
  refused: "Từ chối giải quyết",
  result_ready: "Đã có kết quả",
  returned: "Đã trả kết quả",
  paused: "Tạm dừng",
  stopped: "Dừng giải quyết",
};
export const stateLabel = (state: DossierState) => STATE_LABEL[state];

/**
 * The state after `action`, or a refusal saying why. `previous` is the state a paused dossier
 * left; `reason` the decision's reason (required for refusals, supplements, pauses, stops).
 */
export function nextState(input: {
  state: DossierState;
  action: DossierAction;
  role: DossierRole;
  rules: ProcedureRules;
  previous?: DossierState | null;
  reason?: string | null;
}): DossierState {
  const { state, action, role, rules } = input;
  const t = TRANSITIONS[action];
  if (!t.from.includes(state)) throw new AppError("dossier_step_not_allowed", { step: actionLabel(action), state: stateLabel(state) });
  if (action === "approve") {
    if (state === "received" && rules.needsAppraisal) throw new AppError("dossier_needs_appraisal");
    if (!rules.approvers.includes(role)) throw new AppError("dossier_role_not_allowed", { step: actionLabel(action) });
  } else if (!t.by.includes(role)) {
    throw new AppError("dossier_role_not_allowed", { step: actionLabel(action) });
  }
  if (t.reason && !input.reason?.trim()) throw new AppError("dossier_reason_required", { step: actionLabel(action) });
  if (t.to === "previous") {
    if (!input.previous || input.previous === "paused") throw new AppError("dossier_step_not_allowed", { step: actionLabel(action), state: stateLabel(state) });
    return input.previous;
  }
  return t.to;
}

const ACTION_LABEL: Record<DossierAction, string> = {
  appraise: "thẩm định",
  approve: "phê duyệt",
  refuse: "từ chối",
  supplement: "yêu cầu bổ sung",
  resubmit: "nhận hồ sơ bổ sung",
  result: "ghi nhận kết quả",
  return: "trả kết quả",
  pause: "tạm dừng",
  resume: "tiếp tục",
  stop: "dừng giải quyết",
};
export const actionLabel = (action: DossierAction) => ACTION_LABEL[action];

/** The actions `role` may take on a dossier in `state`, for the buttons of a console. */
export function actionsFor(state: DossierState, role: DossierRole, rules: ProcedureRules): DossierAction[] {
  return DOSSIER_ACTIONS.filter((action) => {
    try {
      nextState({ state, action, role, rules, previous: "received", reason: "x" });
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether the dossier is finished (nothing more happens to it). */
export const isClosed = (state: DossierState) => state === "returned" || state === "stopped";

/**
 * How a visit ends when dossiers were opened during it: still being settled (the result comes
 * later) if any is open; refused if every one was refused or stopped; else settled ("done": the
 * result was handed over on the spot). `refused`: the dossier was refused or stopped at some step.
 */
export function visitOutcome(list: ReadonlyArray<{ state: DossierState; refused: boolean }>): "done" | "dossier_received" | "dossier_refused" | null {
  if (list.length === 0) return null;
  if (list.some((d) => !isClosed(d.state) && d.state !== "refused")) return "dossier_received";
  if (list.every((d) => d.refused || d.state === "refused" || d.state === "stopped")) return "dossier_refused";
  return "done";
}
