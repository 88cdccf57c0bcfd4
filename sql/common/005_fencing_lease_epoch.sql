-- A token is issued only to the lease holder: the election's claim carries the lease epoch Redis numbered
-- its grant with (oracle:leader:epoch, raised at every grant), and the UPDATE that issues the token
-- applies only when that epoch is above the last one served. A delayed request from an instance that has
-- since lost the lease (its grant is older than the new holder's) changes nothing, so it cannot raise the
-- token above the rightful leader's.
ALTER TABLE oracle_fencing ADD COLUMN lease_epoch bigint NOT NULL DEFAULT 0;
