-- Liaison officials (定人联船, issue 14 §4) sign in with the role `liaison`: they read the alerts
-- on the vessels the registry names them for (column liaisonUser), nothing else.
alter table users drop constraint users_role_check;
alter table users add constraint users_role_check check (role in ('officer', 'fleet_leader', 'analyst', 'admin', 'liaison'));
