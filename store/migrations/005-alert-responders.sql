-- Rapid response (快响指挥, issue 14 §4): the vessels dispatched to an alert and when each arrived,
-- as the alert carries them (`[{vesselId, dispatchedAtMs, by, arrivedAtMs?}]`), so a restarted
-- service still knows who is on the way. Null: nobody dispatched.
alter table alerts add column responders jsonb;
