-- Sign-in (issue 14): users with their role, sessions by the SHA-256 of their token (never the
-- token, never a password), and the audit trail of sign-ins, user changes and alert actions.
create table users (
  username      text primary key,
  role          text not null check (role in ('officer', 'fleet_leader', 'analyst', 'admin')),
  fleet_ids     text[] not null default '{}',
  password_hash text not null check (password_hash like 'scrypt$%'),
  display_name  text,
  source        text not null default 'store' check (source in ('store', 'file')),
  updated_at    timestamptz not null default now()
);

create table sessions (
  token_sha256 text primary key,
  username     text not null references users (username) on delete cascade,
  kind         text not null check (kind in ('cookie', 'bearer')),
  created_at   timestamptz not null,
  expires_at   timestamptz not null
);
create index sessions_user_idx on sessions (username);

create table audit (
  id      bigserial primary key,
  at      timestamptz not null,
  actor   text not null,
  action  text not null,
  target  text,
  address text,
  outcome text not null check (outcome in ('ok', 'refused')),
  detail  text
);
create index audit_at_idx on audit (at desc);
