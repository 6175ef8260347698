-- Runs once, when the Postgres volume is first created: the settlement engine keeps its
-- state in a database of its own (its tables must not mix with the node's).
CREATE DATABASE tollgate_engine OWNER tollgate;
