-- Reports per grid, per fleet and per day (issue 15 §3): the service's daily rollup. Each row sums
-- one Beijing calendar day of one grid ('' = the whole sea) for one fleet ('' = in no fleet), so a
-- month of reports reads a few thousand rows, never the raw fixes. The service writes a day once it
-- is over (app/report.ts); the rollup reads 1-minute track points: positions_1m (TimescaleDB's
-- continuous aggregate, 002) where it exists, the same points by plain SQL elsewhere. Plain
-- tables, no extension: the app role only inserts and deletes rows here (no DDL at run time).
create table report_days (
  day         date primary key,
  computed_at timestamptz not null,
  -- 1-minute track points the day was made of (a check that a rollup saw the day's data).
  points      bigint not null
);

create table report_rows (
  day          date not null references report_days (day) on delete cascade,
  grid_id      text collate "C" not null,
  fleet_id     text collate "C" not null,
  vessels      integer not null,
  at_sea_s     double precision not null,
  distance_m   double precision not null,
  moratorium_s double precision not null,
  primary key (day, grid_id, fleet_id)
);
