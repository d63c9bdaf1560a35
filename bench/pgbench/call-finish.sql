-- What the product does per call-next + finish, in raw SQL (server/queue/calling.ts, at-counter.ts):
-- two transactions, one pgbench "transaction" = one call + finish pair. Run by bench/province.ts:
--   pgbench -n -M prepared -c 50 -j 2 -T <s> -f call-finish.sql -D centre0=… -D counter0=… -D centres=… -D officers=… -D day=YYYY-MM-DD -D probe=1
-- probe=1 picks the head as the product reads it (index probes); probe=0 as this script did until
-- 2026-12-07, by sorting the counter's whole line (the form the issue's first baseline measured).
-- Client n works at counter (n / centres) of centre (n % centres); ids are consecutive, centre-major.
\set c :client_id % :centres
\set centre :centre0 + :c
\set counter :counter0 + :c * :officers + (:client_id / :centres) % :officers
-- The call: the counter locked (one call at a time per counter), no ticket active at it, the
-- centre's calls in turn, the head of the queues it serves claimed, marked called, the centre's
-- sequence bumped and the event appended.
BEGIN;
SELECT officer_id AS officer FROM counters WHERE id = :counter AND centre_id = :centre FOR NO KEY UPDATE \gset
SELECT count(*) AS active FROM tickets WHERE counter_id = :counter AND status = 'called' \gset
SELECT pg_advisory_xact_lock(4242, :centre);
\if :probe
-- The head as the product reads it: one probe of tickets_queue_heads_idx per field and kind (priority
-- or not), the earliest of those heads, priority first; then claimed if still waiting and not held.
SELECT coalesce(max(id), 0) AS ticket, coalesce(max(field_id), 0) AS field FROM (SELECT id, field_id FROM tickets WHERE id = (SELECT h.id FROM counter_fields cf CROSS JOIN LATERAL ((SELECT id, priority, issued_at FROM tickets WHERE field_id = cf.field_id AND service_date = :day AND status = 'waiting' AND priority > 0 AND target_counter_id IS NULL AND target_officer_id IS NULL ORDER BY issued_at, id LIMIT 1) UNION ALL (SELECT id, priority, issued_at FROM tickets WHERE field_id = cf.field_id AND service_date = :day AND status = 'waiting' AND (priority > 0) IS FALSE AND target_counter_id IS NULL AND target_officer_id IS NULL ORDER BY issued_at, id LIMIT 1)) h WHERE cf.counter_id = :counter ORDER BY h.priority > 0 DESC, h.issued_at, h.id LIMIT 1) AND status = 'waiting' FOR UPDATE SKIP LOCKED) head \gset
\else
-- The whole line of the counter's fields sorted, the first taken (SKIP LOCKED passes a held one).
SELECT coalesce(max(id), 0) AS ticket, coalesce(max(field_id), 0) AS field FROM (SELECT id, field_id FROM tickets WHERE centre_id = :centre AND service_date = :day AND status = 'waiting' AND field_id IN (SELECT field_id FROM counter_fields WHERE counter_id = :counter) AND target_counter_id IS NULL AND target_officer_id IS NULL ORDER BY priority DESC, issued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) head \gset
\endif
-- An empty queue (the top-up was too small) ends the pair here; bench/province.ts counts real pairs from the rows.
\if :ticket > 0
UPDATE tickets SET status = 'called', counter_id = :counter, officer_id = :officer, called_at = now(), first_called_at = coalesce(first_called_at, now()), announced_at = now(), recall_count = 0 WHERE id = :ticket;
UPDATE centres SET event_seq = event_seq + 1 WHERE id = :centre RETURNING event_seq AS seq \gset
INSERT INTO ticket_events (ticket_id, centre_id, seq, type, field_id, from_status, to_status, actor_user_id, counter_id) VALUES (:ticket, :centre, :seq, 'called', :field, 'waiting', 'called', :officer, :counter);
COMMIT;
-- The finish: the officer's counter locked, the ticket locked, marked done, sequence and event.
BEGIN;
SELECT id AS at_counter FROM counters WHERE officer_id = :officer FOR NO KEY UPDATE \gset
SELECT status AS before FROM tickets WHERE id = :ticket AND centre_id = :centre FOR UPDATE \gset
UPDATE tickets SET status = 'done', finished_at = now(), outcome = 'done' WHERE id = :ticket;
UPDATE centres SET event_seq = event_seq + 1 WHERE id = :centre RETURNING event_seq AS seq \gset
INSERT INTO ticket_events (ticket_id, centre_id, seq, type, field_id, from_status, to_status, actor_user_id, counter_id, details) VALUES (:ticket, :centre, :seq, 'finished', :field, 'called', 'done', :officer, :counter, '{"outcome":"done"}');
COMMIT;
\else
COMMIT;
\endif
