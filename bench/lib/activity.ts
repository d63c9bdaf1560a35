/**
 * What the database's backends were doing during a run: pg_stat_activity sampled every 200 ms
 * (state and wait event of the bench database's client backends but our own, leaving out those
 * idle outside a transaction), as the average
 * number of backends in each. "idle in transaction" with ClientRead means a transaction waits
 * for its application; Lock:advisory / Lock:transactionid, for another transaction.
 */
import type postgres from "postgres";

export type Activity = { samples: number; backends: Array<{ what: string; average: number }> };

export function sampleActivity(sql: postgres.Sql, database: string, everyMs = 200) {
  const tally = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await sql<Array<{ what: string; n: number }>>`
        select concat_ws(' · ', state, nullif(concat_ws(':', wait_event_type, wait_event), '')) as what, count(*)::int as n
        from pg_stat_activity
        where datname = ${database} and backend_type = 'client backend' and pid <> pg_backend_pid() and state is not null and state <> 'idle'
        group by 1`;
      samples++;
      for (const r of rows) tally.set(r.what, (tally.get(r.what) ?? 0) + r.n);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop(): Promise<Activity> {
      stopped = true;
      await loop;
      const backends = [...tally.entries()]
        .map(([what, n]) => ({ what, average: Math.round((n / Math.max(samples, 1)) * 10) / 10 }))
        .sort((a, b) => b.average - a.average);
      return { samples, backends };
    },
  };
}

export const describeActivity = (a: Activity, top = 4) =>
  a.backends
    .slice(0, top)
    .map((b) => `${b.what} ${b.average}`)
    .join("; ");
