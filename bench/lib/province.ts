/**
 * A province in a throwaway database: centres, each with its fields, counters, officers (one per
 * counter), a reception desk, a kiosk and waiting-room screens; and today's waiting tickets.
 *
 * Written in bulk (a few statements, whatever the size) rather than through the services, which
 * would take minutes for a province. What the services keep true is kept here too: numbers are
 * gapless per field and day with their ticket_numbers row, codes come from ticketCode, each
 * ticket has its `issued` event, a centre's events take consecutive sequence numbers in issue
 * order and centres.event_seq ends at the last (server/queue/issuing.ts, server/demo/history.ts).
 * Devices are written paired (their token's hash), as pairDevice leaves them. Signing officers in
 * to their counters is left to the API (bench/lib/staff.ts), as the product's own step.
 *
 * If the call path comes to keep more state per field and day (counters, streaks) in rows the
 * issuing transaction maintains, topUpQueues must write it as issueTicket does.
 */
import type postgres from "postgres";
import { hashPassword } from "../../server/auth/password";
import { generateToken, hashToken } from "../../server/auth/token";
import { DEFAULT_PRIORITY_CLASSES } from "../../server/queue/priority-classes";
import { ticketCode } from "../../server/queue/rules";
import { serviceDate } from "../../server/time";
import { setting } from "./report";

/**
 * The province that bench/province.ts and bench/screens.ts build, and how long each of their
 * runs lasts: BENCH_CENTRES, BENCH_OFFICERS (counters a centre), BENCH_FIELDS, BENCH_SECONDS and
 * BENCH_WARMUP, else the full-run or the smoke-run size.
 */
export const provinceSettings = () => ({
  centres: setting("BENCH_CENTRES", 200, 4),
  officers: setting("BENCH_OFFICERS", 8, 2),
  fields: setting("BENCH_FIELDS", 4, 2),
  seconds: setting("BENCH_SECONDS", 20, 1.5),
  warmup: setting("BENCH_WARMUP", 3, 0.3),
});

export const BENCH_PASSWORD = "Bench@Password1";

const FIELD_TEMPLATES = [
  { code: "HT", name: "Hộ tịch", prefix: "A" },
  { code: "CT", name: "Chứng thực", prefix: "B" },
  { code: "DD", name: "Đất đai", prefix: "C" },
  { code: "DKKD", name: "Đăng ký kinh doanh", prefix: "D" },
  { code: "XD", name: "Xây dựng", prefix: "E" },
  { code: "LDTBXH", name: "Lao động – Thương binh và Xã hội", prefix: "F" },
  { code: "GTVT", name: "Giao thông vận tải", prefix: "G" },
  { code: "TP", name: "Tư pháp", prefix: "H" },
];

export type BenchField = { id: number; code: string; prefix: string };
export type BenchCounter = { id: number; number: number; fieldIds: number[] };
export type BenchUser = { id: number; username: string };
export type BenchDevice = { id: number; centreId: number; token: string };
export type BenchCentre = {
  index: number;
  id: number;
  code: string;
  fields: BenchField[];
  counters: BenchCounter[];
  /** officers[k] works at counters[k]. */
  officers: BenchUser[];
  reception: BenchUser;
  kiosk: BenchDevice;
  screens: BenchDevice[];
  priorityClassId: number;
};
export type Province = {
  day: string;
  centres: BenchCentre[];
  /** Ids are consecutive, centre-major (pgbench computes a client's counter from them). */
  firstCentreId: number;
  firstCounterId: number;
  officersPerCentre: number;
};

export type ProvinceShape = {
  centres: number;
  /** Counters per centre, each with its officer. */
  officers: number;
  fields: number;
  /** Waiting-room screens (paired display devices) of the centre at each index. */
  screens?: (centreIndex: number) => number;
};

/** Counter k serves fields k and k+1 (of the centre's F): each field is served by two counters per F counters, or more. */
const servedBy = (k: number, fields: number) => (fields === 1 ? [0] : [k % fields, (k + 1) % fields]);

export async function seedProvince(sql: postgres.Sql, shape: ProvinceShape): Promise<Province> {
  const fieldCount = Math.min(shape.fields, FIELD_TEMPLATES.length);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const pad = (n: number) => String(n + 1).padStart(3, "0");
  return sql.begin(async (tx) => {
    const centreRows = await tx<Array<{ id: number; code: string }>>`
      insert into centres ${tx(
        Array.from({ length: shape.centres }, (_, c) => ({
          code: `BENCH${pad(c)}`,
          name: c === 0 ? "Trung tâm Phục vụ hành chính công tỉnh (đo tải)" : `Bộ phận một cửa xã ${pad(c)} (đo tải)`,
          level: c === 0 ? "province" : "commune",
          // Open all day: the end-of-day sweep never closes the counters in the middle of a run.
          opens_at: "00:00",
          closes_at: "23:59",
        })),
      )} returning id, code`;
    centreRows.sort((a, b) => a.code.localeCompare(b.code));

    const fieldRows = await tx<Array<{ id: number; centre_id: number; code: string; prefix: string }>>`
      insert into fields ${tx(
        centreRows.flatMap((c) =>
          FIELD_TEMPLATES.slice(0, fieldCount).map((f, i) => ({ centre_id: c.id, code: f.code, name: f.name, prefix: f.prefix, sort_order: i + 1 })),
        ),
      )} returning id, centre_id, code, prefix`;

    const counterRows = await tx<Array<{ id: number; centre_id: number; number: number }>>`
      insert into counters ${tx(
        centreRows.flatMap((c) => Array.from({ length: shape.officers }, (_, k) => ({ centre_id: c.id, number: k + 1, name: `Quầy ${k + 1}` }))),
      )} returning id, centre_id, number`;

    const fieldsOf = new Map<number, BenchField[]>();
    for (const c of centreRows) {
      fieldsOf.set(
        c.id,
        FIELD_TEMPLATES.slice(0, fieldCount).map((t) => {
          const f = fieldRows.find((r) => r.centre_id === c.id && r.code === t.code)!;
          return { id: f.id, code: f.code, prefix: f.prefix };
        }),
      );
    }
    const links = counterRows.flatMap((k) => servedBy(k.number - 1, fieldCount).map((i) => ({ counter_id: k.id, field_id: fieldsOf.get(k.centre_id)![i]!.id })));
    await tx`insert into counter_fields ${tx(links)}`;

    const classRows = await tx<Array<{ id: number; centre_id: number; code: string }>>`
      insert into priority_classes ${tx(centreRows.flatMap((c) => DEFAULT_PRIORITY_CLASSES.map((p, i) => ({ centre_id: c.id, code: p.code, name: p.name, sort_order: i + 1 }))))}
      returning id, centre_id, code`;

    const userRows = await tx<Array<{ id: number; username: string }>>`
      insert into users ${tx(
        centreRows.flatMap((c, ci) => [
          ...Array.from({ length: shape.officers }, (_, k) => ({
            centre_id: c.id,
            username: `bench${pad(ci)}_quay${k + 1}`,
            full_name: `Cán bộ quầy ${k + 1} – ${c.code}`,
            role: "officer",
            password_hash: passwordHash,
          })),
          { centre_id: c.id, username: `bench${pad(ci)}_letan`, full_name: `Cán bộ lễ tân – ${c.code}`, role: "officer", password_hash: passwordHash },
        ]),
      )} returning id, username`;
    const userId = new Map(userRows.map((u) => [u.username, u.id]));

    // Devices paired as pairDevice leaves them: the token's hash, paired and seen now.
    const deviceSpecs = centreRows.flatMap((c, ci) => [
      { centreId: c.id, kind: "kiosk", name: "Máy lấy số (đo tải)", token: generateToken() },
      ...Array.from({ length: shape.screens?.(ci) ?? 0 }, (_, s) => ({ centreId: c.id, kind: "display", name: `Màn hình chờ ${s + 1} (đo tải)`, token: generateToken() })),
    ]);
    const now = new Date();
    const deviceRows = await tx<Array<{ id: number; token_hash: string }>>`
      insert into devices ${tx(deviceSpecs.map((d) => ({ centre_id: d.centreId, kind: d.kind, name: d.name, token_hash: hashToken(d.token), paired_at: now, last_seen_at: now })))}
      returning id, token_hash`;
    const deviceId = new Map(deviceRows.map((d) => [d.token_hash, d.id]));

    const centres: BenchCentre[] = centreRows.map((c, ci) => {
      const mine = counterRows.filter((k) => k.centre_id === c.id).sort((a, b) => a.number - b.number);
      const fields = fieldsOf.get(c.id)!;
      const devicesOf = deviceSpecs.filter((d) => d.centreId === c.id).map((d) => ({ id: deviceId.get(hashToken(d.token))!, centreId: c.id, token: d.token, kind: d.kind }));
      return {
        index: ci,
        id: c.id,
        code: c.code,
        fields,
        counters: mine.map((k) => ({ id: k.id, number: k.number, fieldIds: servedBy(k.number - 1, fieldCount).map((i) => fields[i]!.id) })),
        officers: mine.map((k) => {
          const username = `bench${pad(ci)}_quay${k.number}`;
          return { id: userId.get(username)!, username };
        }),
        reception: { id: userId.get(`bench${pad(ci)}_letan`)!, username: `bench${pad(ci)}_letan` },
        kiosk: devicesOf.find((d) => d.kind === "kiosk")!,
        screens: devicesOf.filter((d) => d.kind === "display"),
        priorityClassId: classRows.find((p) => p.centre_id === c.id && p.code === DEFAULT_PRIORITY_CLASSES[0].code)!.id,
      };
    });

    // pgbench finds a client's centre and counter by arithmetic on the first ids.
    const firstCentreId = centres[0]!.id;
    const firstCounterId = centres[0]!.counters[0]!.id;
    centres.forEach((c, ci) => {
      if (c.id !== firstCentreId + ci) throw new Error("centre ids are not consecutive");
      c.counters.forEach((k, ki) => {
        if (k.id !== firstCounterId + ci * shape.officers + ki) throw new Error("counter ids are not consecutive, centre-major");
      });
    });
    return { day: serviceDate(now), centres, firstCentreId, firstCounterId, officersPerCentre: shape.officers };
  });
}

/** A timestamp `us` microseconds after the epoch, as PostgreSQL reads it. */
const isoMicros = (us: number) => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, "0")}Z`;

/**
 * Tops up today's waiting tickets of `centres` to `perField` in every field, as kiosk tickets
 * (numbers continuing the day's, events continuing the centre's sequence), in one transaction
 * that locks the centres' rows. Returns how many were added.
 */
export async function topUpQueues(sql: postgres.Sql, day: string, centres: readonly BenchCentre[], perField: number): Promise<number> {
  const centreIds = centres.map((c) => c.id);
  const fieldIds = centres.flatMap((c) => c.fields.map((f) => f.id));
  return sql.begin(async (tx) => {
    await tx`select id from centres where id = any(${centreIds}::int[]) order by id for update`;
    const waiting = new Map(
      (await tx<Array<{ field_id: number; n: number }>>`
        select field_id, count(*)::int as n from tickets
        where centre_id = any(${centreIds}::int[]) and service_date = ${day}::date and status = 'waiting' group by field_id`).map((r) => [r.field_id, r.n]),
    );
    const last = new Map(
      (await tx<Array<{ field_id: number; last_number: number }>>`
        select field_id, last_number from ticket_numbers where field_id = any(${fieldIds}::int[]) and service_date = ${day}::date for update`).map((r) => [r.field_id, r.last_number]),
    );

    const cols = { centre: [] as number[], field: [] as number[], number: [] as number[], code: [] as string[], priority: [] as number[], klass: [] as Array<number | null>, issued: [] as string[], device: [] as number[], token: [] as string[] };
    const numbers: Array<{ field_id: number; service_date: string; last_number: number }> = [];
    const startUs = Date.now() * 1000;
    for (const c of centres) {
      // Fields interleaved, one microsecond apart: the centre's issue order is its sequence order.
      const need = c.fields.map((f) => Math.max(0, perField - (waiting.get(f.id) ?? 0)));
      let step = 0;
      for (let round = 0; round < Math.max(0, ...need); round++) {
        c.fields.forEach((f, i) => {
          if (round >= need[i]!) return;
          const number = (last.get(f.id) ?? 0) + round + 1;
          const priority = number % 10 === 0;
          cols.centre.push(c.id);
          cols.field.push(f.id);
          cols.number.push(number);
          cols.code.push(ticketCode(f.prefix, number));
          cols.priority.push(priority ? 1 : 0);
          cols.klass.push(priority ? c.priorityClassId : null);
          cols.issued.push(isoMicros(startUs + step++));
          cols.device.push(c.kiosk.id);
          cols.token.push(generateToken());
        });
      }
      c.fields.forEach((f, i) => need[i]! > 0 && numbers.push({ field_id: f.id, service_date: day, last_number: (last.get(f.id) ?? 0) + need[i]! }));
    }
    const total = cols.centre.length;
    if (total === 0) return 0;

    const BATCH = 20_000;
    for (let from = 0; from < total; from += BATCH) {
      const part = <T>(xs: T[]) => xs.slice(from, from + BATCH);
      await tx`
        with issued as (
          insert into tickets (centre_id, field_id, service_date, number, code, priority, priority_class_id, channel, status, issued_at, device_id, tracking_token)
          select centre_id, field_id, ${day}::date, number, code, priority, class_id, 'kiosk', 'waiting', issued_at, device_id, token
          from unnest(${part(cols.centre)}::int[], ${part(cols.field)}::int[], ${part(cols.number)}::int[], ${part(cols.code)}::text[],
                      ${part(cols.priority)}::smallint[], ${part(cols.klass)}::int[], ${part(cols.issued)}::timestamptz[], ${part(cols.device)}::int[], ${part(cols.token)}::text[])
            as t(centre_id, field_id, number, code, priority, class_id, issued_at, device_id, token)
          returning id, centre_id, field_id, issued_at, device_id
        )
        insert into ticket_events (ticket_id, centre_id, seq, type, field_id, from_status, to_status, actor_device_id, created_at)
        select i.id, i.centre_id, c.event_seq + row_number() over (partition by i.centre_id order by i.issued_at, i.id), 'issued', i.field_id, null, 'waiting', i.device_id, i.issued_at
        from issued i join centres c on c.id = i.centre_id`;
      await tx`
        update centres c set event_seq = c.event_seq + n.added
        from (select centre_id, count(*)::int as added from unnest(${part(cols.centre)}::int[]) as x(centre_id) group by centre_id) n
        where c.id = n.centre_id`;
    }
    await tx`
      insert into ticket_numbers ${tx(numbers)}
      on conflict (field_id, service_date) do update set last_number = excluded.last_number`;
    return total;
  });
}
