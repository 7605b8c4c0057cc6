-- SQLite form of mysql/V9: only one instance serves a SQLite file (org.mlpages.system.SqliteSingleInstance), so
-- sessions stay in its memory; the scheduled jobs still take ShedLock's lock, as on a shared database, so that
-- both run the same code. The driver writes times as milliseconds since 1970.
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
