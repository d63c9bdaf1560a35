/**
 * What the database must show after the load, checked from its rows (server/queue/issuing.ts:
 * one gapless number a field a day, from the ticket_numbers row incremented in the issuing
 * transaction): per field and day the numbers are exactly 1..last_number, each once, and the
 * codes are unique; every ticket has its `issued` event; a centre's event sequence numbers are
 * unique and never past centres.event_seq.
 */
import type postgres from "postgres";

export type NumberCheck = {
  fields: number;
  tickets: number;
  /** Fields whose numbers skip one (a number below last_number missing). */
  fieldsWithGaps: number;
  /** Numbers given twice in a field, and codes twice in a centre. */
  duplicateNumbers: number;
  duplicateCodes: number;
  /** Fields whose highest number is not their ticket_numbers.last_number. */
  counterMismatches: number;
  ticketsWithoutIssuedEvent: number;
  duplicateSeqs: number;
  seqsPastCentre: number;
  ok: boolean;
};

export async function checkNumbers(sql: postgres.Sql, day: string): Promise<NumberCheck> {
  const [fields] = await sql<Array<{ fields: number; tickets: number; gaps: number; dup_numbers: number; mismatches: number }>>`
    with per_field as (
      select t.field_id, count(*) as n, count(distinct t.number) as distinct_numbers, min(t.number) as lo, max(t.number) as hi, max(tn.last_number) as last
      from tickets t left join ticket_numbers tn on tn.field_id = t.field_id and tn.service_date = t.service_date
      where t.service_date = ${day}::date
      group by t.field_id
    )
    select count(*)::int as fields, coalesce(sum(n), 0)::int as tickets,
      count(*) filter (where distinct_numbers <> hi or lo <> 1)::int as gaps,
      coalesce(sum(n - distinct_numbers), 0)::int as dup_numbers,
      count(*) filter (where last is distinct from hi)::int as mismatches
    from per_field`;
  const [codes] = await sql<Array<{ n: number }>>`
    select coalesce(sum(n - 1), 0)::int as n from (select count(*) as n from tickets where service_date = ${day}::date group by centre_id, code having count(*) > 1) d`;
  const [orphans] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from tickets t
    where t.service_date = ${day}::date and not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'issued')`;
  const [seqs] = await sql<Array<{ dup: number; past: number }>>`
    select coalesce(sum(n - distinct_seqs), 0)::int as dup, count(*) filter (where top > event_seq)::int as past
    from (select e.centre_id, count(*) as n, count(distinct e.seq) as distinct_seqs, max(e.seq) as top, max(c.event_seq) as event_seq
          from ticket_events e join centres c on c.id = e.centre_id group by e.centre_id) s`;
  const result = {
    fields: fields!.fields,
    tickets: fields!.tickets,
    fieldsWithGaps: fields!.gaps,
    duplicateNumbers: fields!.dup_numbers,
    duplicateCodes: codes!.n,
    counterMismatches: fields!.mismatches,
    ticketsWithoutIssuedEvent: orphans!.n,
    duplicateSeqs: seqs!.dup,
    seqsPastCentre: seqs!.past,
  };
  return { ...result, ok: Object.entries(result).every(([k, v]) => k === "fields" || k === "tickets" || v === 0) };
}
