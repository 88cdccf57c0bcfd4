DROP TABLE IF EXISTS oracle_fencing;
