/** Every allowed step of a dossier works; every other one is refused with its reason and nothing else. */
import { describe, expect, it } from "vitest";
import { isAppError } from "../../server/errors";
import { actionsFor, DOSSIER_ACTIONS, DOSSIER_STATES, nextState, type DossierAction, type DossierRole, type DossierState } from "../../server/dossiers/workflow";

const standard = { needsAppraisal: true, approvers: ["approver"] as const };
const onTheSpot = { needsAppraisal: false, approvers: ["approver"] as const };

/** [state, action, role, rules, expected state]: the whole table of what may happen. */
const ALLOWED: Array<[DossierState, DossierAction, DossierRole, typeof standard | typeof onTheSpot, DossierState]> = [
  ["received", "appraise", "appraiser", standard, "appraising"],
  ["appraising", "approve", "approver", standard, "approved"],
  ["received", "approve", "approver", onTheSpot, "approved"],
  ["appraising", "approve", "approver", onTheSpot, "approved"],
  ["received", "refuse", "appraiser", standard, "refused"],
  ["appraising", "refuse", "approver", standard, "refused"],
  ["received", "refuse", "approver", standard, "refused"],
  ["appraising", "refuse", "appraiser", standard, "refused"],
  ["received", "supplement", "receiver", standard, "needs_supplement"],
  ["received", "supplement", "appraiser", standard, "needs_supplement"],
  ["appraising", "supplement", "receiver", standard, "needs_supplement"],
  ["appraising", "supplement", "appraiser", standard, "needs_supplement"],
  ["needs_supplement", "resubmit", "receiver", standard, "appraising"],
  ["approved", "result", "receiver", standard, "result_ready"],
  ["approved", "result", "approver", standard, "result_ready"],
  ["result_ready", "return", "receiver", standard, "returned"],
  ["refused", "return", "receiver", standard, "returned"],
];

describe("allowed steps", () => {
  it.each(ALLOWED)("%s —%s by %s→ %s", (state, action, role, rules, to) => {
    expect(nextState({ state, action, role, rules, reason: "Lý do" })).toBe(to);
  });

  it("pause and resume from every open state, by anyone working on it, back to where it was", () => {
    for (const state of ["received", "appraising", "needs_supplement", "approved", "result_ready"] as const) {
      for (const role of ["receiver", "appraiser", "approver"] as const) {
        expect(nextState({ state, action: "pause", role, rules: standard, reason: "Chờ xác minh" })).toBe("paused");
        expect(nextState({ state: "paused", action: "resume", role, rules: standard, previous: state })).toBe(state);
      }
      expect(nextState({ state, action: "stop", role: "approver", rules: standard, reason: "Công dân rút hồ sơ" })).toBe("stopped");
    }
  });
});

describe("refused steps", () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (isAppError(error)) return { code: error.code, message: error.message };
      throw error;
    }
    return null;
  };

  it.each([
    ["approve before appraisal where the procedure needs it", () => nextState({ state: "received", action: "approve", role: "approver", rules: standard }), "dossier_needs_appraisal"],
    ["return before approval", () => nextState({ state: "appraising", action: "return", role: "receiver", rules: standard }), "dossier_step_not_allowed"],
    ["return before the result", () => nextState({ state: "approved", action: "return", role: "receiver", rules: standard }), "dossier_step_not_allowed"],
    ["approval by a role the procedure does not allow", () => nextState({ state: "appraising", action: "approve", role: "appraiser", rules: standard }), "dossier_role_not_allowed"],
    ["appraisal by the receiving officer", () => nextState({ state: "received", action: "appraise", role: "receiver", rules: standard }), "dossier_role_not_allowed"],
    ["a refusal without a reason", () => nextState({ state: "appraising", action: "refuse", role: "approver", rules: standard, reason: " " }), "dossier_reason_required"],
    ["a supplement request without a reason", () => nextState({ state: "received", action: "supplement", role: "receiver", rules: standard }), "dossier_reason_required"],
    ["anything after the result is returned", () => nextState({ state: "returned", action: "pause", role: "receiver", rules: standard, reason: "x" }), "dossier_step_not_allowed"],
    ["stopping by anyone but the approver", () => nextState({ state: "appraising", action: "stop", role: "appraiser", rules: standard, reason: "x" }), "dossier_role_not_allowed"],
    ["resuming a dossier that was not paused", () => nextState({ state: "appraising", action: "resume", role: "receiver", rules: standard, previous: "received" }), "dossier_step_not_allowed"],
  ])("%s", (_name, attempt, code) => {
    const refused = refusal(attempt);
    expect(refused?.code).toBe(code);
    expect(refused?.message).toMatch(/[\u00C0-\u1EF9]/);
  });

  it("nothing outside the table is allowed", () => {
    const allowed = new Set(ALLOWED.map(([s, a, r, rules]) => `${s}|${a}|${r}|${rules.needsAppraisal}`));
    for (const rules of [standard, onTheSpot]) {
      for (const state of DOSSIER_STATES) {
        for (const action of DOSSIER_ACTIONS) {
          if (["pause", "resume", "stop"].includes(action)) continue;
          for (const role of ["receiver", "appraiser", "approver"] as const) {
            const ok = refusal(() => nextState({ state, action, role, rules, reason: "Lý do" })) === null;
            const expected = allowed.has(`${state}|${action}|${role}|${rules.needsAppraisal}`) ||
              // An on-the-spot procedure's table is the standard one plus approval from receipt.
              (rules === onTheSpot && allowed.has(`${state}|${action}|${role}|true`));
            expect(ok, `${state} ${action} ${role} (${rules.needsAppraisal ? "appraisal" : "on the spot"})`).toBe(expected);
          }
        }
      }
    }
  });

  it("offers each console only its own buttons", () => {
    expect(actionsFor("received", "appraiser", standard)).toEqual(["appraise", "refuse", "supplement", "pause"]);
    expect(actionsFor("received", "approver", onTheSpot)).toEqual(["approve", "refuse", "pause", "stop"]);
    expect(actionsFor("result_ready", "receiver", standard)).toEqual(["return", "pause"]);
  });
});
