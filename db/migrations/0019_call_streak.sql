ALTER TABLE "ticket_numbers" ADD COLUMN "priority_streak" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Each field's priority streak of every day, from the event log it used to be read from:
-- the length of the run of priority calls counted back from the latest call of the day.
WITH calls AS (
  SELECT e.field_id, t.service_date, t.priority > 0 AS priority,
         row_number() OVER (PARTITION BY e.field_id, t.service_date ORDER BY e.seq DESC) AS rn
  FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
  WHERE e.type IN ('called', 'called_out_of_order') AND e.field_id IS NOT NULL
), streaks AS (
  SELECT field_id, service_date, coalesce(min(rn) FILTER (WHERE NOT priority) - 1, count(*))::int AS streak
  FROM calls GROUP BY field_id, service_date
)
INSERT INTO ticket_numbers (field_id, service_date, last_number, priority_streak)
SELECT field_id, service_date, 0, streak FROM streaks
ON CONFLICT (field_id, service_date) DO UPDATE SET priority_streak = excluded.priority_streak;
