-- The ticket event log is the audit trail of the queue: nobody may rewrite it.
CREATE OR REPLACE FUNCTION ticket_events_reject_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only (% rejected)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ticket_events_append_only
  BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_reject_change();
--> statement-breakpoint
CREATE TRIGGER ticket_events_no_truncate
  BEFORE TRUNCATE ON ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_reject_change();
