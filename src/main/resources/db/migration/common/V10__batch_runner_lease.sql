-- Which instance runs a batch, and until when its claim holds unless renewed (milliseconds since 1970, UTC): several
-- instances sharing the database never score a batch together, and one whose instance died is taken over by another.
ALTER TABLE batch ADD COLUMN runner VARCHAR(255);
ALTER TABLE batch ADD COLUMN lease_until BIGINT;
