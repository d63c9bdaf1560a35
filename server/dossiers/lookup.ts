/**
 * The citizen's lookup (/tra-cuu): the tracking code and the last four digits of the phone given
 * at receipt show where a dossier stands — its procedure, state, dates, and what is missing when a
 * supplement is asked. Nothing else about the person. A wrong code and a wrong phone get the same
 * answer, and tries are throttled per address and per code, so codes cannot be harvested.
 */
import { and, desc, eq } from "drizzle-orm";
import { dossiers, dossierSteps, procedures } from "../../db/schema";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { securityLog } from "../security-log";
import { retrySeconds, type Bucket, type Limit, type ThrottleStore } from "../throttle/store";
import { stateLabel } from "./workflow";

export type LookupService = ReturnType<typeof createLookupService>;

export type PublicDossier = {
  code: string;
  procedure: string;
  state: string;
  stateLabel: string;
  receivedAt: string;
  dueDay: string;
  /** The new appointment the centre gave, with its apology, when the dossier is late. */
  extendedDueDay: string | null;
  /** What the centre asked for, when it waits for a supplement. */
  supplement: string | null;
  /** When the last step was taken. */
  updatedAt: string;
};

const CODE = /^[A-Z0-9_-]{2,20}-\d{6}-\d{4}$/;

const PER_ADDRESS: Limit = { name: "lookup.address", capacity: 20, refillMs: 30_000 };
const PER_CODE: Limit = { name: "lookup.code", capacity: 5, refillMs: 5 * 60_000 };

/** 20 wrong tries per address (one more every 30 s) and 5 per code (one more every 5 minutes), over all nodes. */
export function createLookupService(deps: Pick<ServiceDeps, "db" | "logger"> & { throttles: ThrottleStore }) {
  return {
    async lookup(input: { code: string; phoneLast4: string; address: string }): Promise<PublicDossier | null> {
      const code = input.code.trim().toUpperCase();
      const digits = input.phoneLast4.replace(/\D/g, "");
      if (!CODE.test(code) || digits.length !== 4) throw new AppError("lookup_invalid");
      const buckets: Bucket[] = [
        [PER_ADDRESS, input.address],
        [PER_CODE, code],
      ];
      const waitMs = await deps.throttles.waitFor(buckets);
      if (waitMs > 0) {
        const seconds = retrySeconds(waitMs);
        securityLog(deps, "lookup.throttled", { address: input.address, retryAfterSeconds: seconds });
        throw new AppError("lookup_throttled", { seconds });
      }
      const [row] = await deps.db
        .select({ dossier: dossiers, procedure: procedures.name })
        .from(dossiers)
        .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
        .where(eq(dossiers.code, code));
      if (!row || !row.dossier.applicantPhone.endsWith(digits)) {
        await deps.throttles.spend(buckets);
        return null;
      }
      const d = row.dossier;
      let supplement: string | null = null;
      if (d.state === "needs_supplement") {
        const [step] = await deps.db
          .select({ reason: dossierSteps.reason })
          .from(dossierSteps)
          .where(and(eq(dossierSteps.dossierId, d.id), eq(dossierSteps.toState, "needs_supplement")))
          .orderBy(desc(dossierSteps.id))
          .limit(1);
        supplement = step?.reason ?? null;
      }
      return {
        code: d.code,
        procedure: row.procedure,
        state: d.state,
        stateLabel: stateLabel(d.state),
        receivedAt: d.receivedAt.toISOString(),
        dueDay: d.dueDay,
        extendedDueDay: d.extendedDueDay,
        supplement,
        updatedAt: d.updatedAt.toISOString(),
      };
    },
  };
}
