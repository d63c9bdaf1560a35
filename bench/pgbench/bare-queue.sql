-- The bare queue: pick the head of a counter's queues with SKIP LOCKED and update it, nothing
-- else (no counter lock, no turn, no sequence, no event): the ceiling of any queue on this box.
-- Run by bench/province.ts with the same variables as call-finish.sql. The ticket is marked
-- done at once (a "called" one would hold the counter), without events: this script's tickets
-- are the only ones in the bench database whose log does not replay to their state.
\set c :client_id % :centres
\set centre :centre0 + :c
\set counter :counter0 + :c * :officers + (:client_id / :centres) % :officers
BEGIN;
SELECT coalesce(max(id), 0) AS ticket FROM (SELECT id FROM tickets WHERE centre_id = :centre AND service_date = :day AND status = 'waiting' AND field_id IN (SELECT field_id FROM counter_fields WHERE counter_id = :counter) AND target_counter_id IS NULL AND target_officer_id IS NULL ORDER BY priority DESC, issued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) head \gset
\if :ticket > 0
UPDATE tickets SET status = 'done', finished_at = now(), outcome = 'done', note = 'pgbench: bare queue' WHERE id = :ticket;
\endif
COMMIT;
