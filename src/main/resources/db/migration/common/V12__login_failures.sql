-- Failed admin logins of the last minute, by client address (org.mlpages.security.LoginThrottle): counted in the
-- database, every instance sharing it refuses an address that failed too often on any of them. Rows older than
-- the minute are deleted as new ones come.
CREATE TABLE login_failure (
    address   VARCHAR(64) NOT NULL,
    failed_at BIGINT      NOT NULL
);
CREATE INDEX login_failure_address ON login_failure (address, failed_at);
