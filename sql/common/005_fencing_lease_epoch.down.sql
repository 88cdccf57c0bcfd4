ALTER TABLE IF EXISTS oracle_fencing DROP COLUMN IF EXISTS lease_epoch;
