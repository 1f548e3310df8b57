-- seagrid TimescaleDB layout (TimescaleDB >= 2.13). Applied only where the extension is available,
-- after `CREATE EXTENSION IF NOT EXISTS timescaledb`, inside the migrator's transaction: nothing
-- here materialises data (the continuous aggregate is created WITH NO DATA; its policy fills it).
-- Retention is configurable, so it is not here: store/timescale-policies.ts returns its statements.

-- positions as a hypertable of 1-day chunks. 001 created it as a plain table that may already hold
-- rows (a store that ran before the extension was installed), hence migrate_data. No default
-- index on `at`: the primary key (vessel_id, at, source) serves per-vessel reads and 001's BRIN
-- index serves time windows; a third index would only slow the writer.
select create_hypertable('positions', by_range('at', interval '1 day'),
  create_default_indexes => false, migrate_data => true);

-- Chunks older than 7 days are compressed, one segment per vessel, newest first: a replay reads
-- one vessel's segment of each day. Late rows into a compressed chunk still meet the primary key,
-- so a replayed spool stays idempotent.
alter table positions set (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'vessel_id',
  timescaledb.compress_orderby = 'at desc'
);
select add_compression_policy('positions', compress_after => interval '7 days', if_not_exists => true);

-- 1-minute track points for long replays: the last fix of each vessel in each minute (`last(x, at)`),
-- and how many fixes the minute held. Real-time (materialized_only = false, off by default since
-- 2.13) so a replay that reaches the present includes the minutes not yet materialised.
create materialized view positions_1m
  with (timescaledb.continuous, timescaledb.materialized_only = false) as
select vessel_id,
       time_bucket(interval '1 minute', at) as bucket,
       last(lat, at) as lat,
       last(lon, at) as lon,
       last(sog_kn, at) as sog_kn,
       last(cog_deg, at) as cog_deg,
       count(*) as n
  from positions
 group by vessel_id, time_bucket(interval '1 minute', at)
  with no data;

-- Refresh the last 3 days every 5 minutes, leaving out the minute still being written. Raw
-- retention must stay longer than the 3-day window, or a refresh would empty aggregated minutes
-- whose raw rows were dropped (timescale-policies.ts enforces it).
select add_continuous_aggregate_policy('positions_1m',
  start_offset => interval '3 days',
  end_offset => interval '1 minute',
  schedule_interval => interval '5 minutes',
  if_not_exists => true);
