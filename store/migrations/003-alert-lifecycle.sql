-- The alert lifecycle (alerts/lifecycle.ts, issue 12 §7): what a restarted service needs to
-- continue its open alerts from this table alone, and what a fleet leader's query filters on.
--   alert_key: the condition (signal key) the alert is about, so new signals find their open alert;
--   cleared:   the condition ended, the alert waits for a person to resolve it;
--   fleet_ids: every fleet the alert concerns (fleet_id keeps the first, for the first readers).
alter table alerts
  add column alert_key text,
  add column cleared   boolean not null default false,
  add column fleet_ids text[];
create index alerts_fleets_gin on alerts using gin (fleet_ids);
