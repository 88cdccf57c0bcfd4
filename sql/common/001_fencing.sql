-- Fencing for writers: every flush/backfill transaction presents the leader's fencing token and
-- upserts it here (row-locked until commit). A token lower than the highest one seen updates no
-- row, and the writer rolls back: a paused or deposed leader cannot write.
CREATE TABLE oracle_fencing (
  name       text PRIMARY KEY,
  token      bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
