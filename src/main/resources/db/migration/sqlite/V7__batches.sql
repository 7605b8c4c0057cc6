-- Many cases scored at once from a file (a CSV for a tabular model). A batch's rows are kept here from the moment
-- it is accepted, so that a restart resumes it; each scored row is a prediction with batch_id and batch_row set,
-- which is how a resumed batch knows what is done (a row is never scored twice).
CREATE TABLE batch (
    id             VARCHAR(36)  PRIMARY KEY,
    created_at     TIMESTAMP    NOT NULL,
    finished_at    TIMESTAMP,
    model_name     VARCHAR(128) NOT NULL,
    channel        VARCHAR(16)  NOT NULL,
    original_name  VARCHAR(255),
    columns_json   TEXT         NOT NULL,
    total          INTEGER      NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    failure        VARCHAR(255)
);

CREATE INDEX batch_state ON batch (state, created_at);

-- One row of a batch's file: its cells as sent, by column, and why it was refused, if it was.
CREATE TABLE batch_row (
    batch_id       VARCHAR(36)  NOT NULL,
    position       INTEGER      NOT NULL,
    cells_json     TEXT         NOT NULL,
    errors_json    TEXT,
    PRIMARY KEY (batch_id, position)
);

ALTER TABLE prediction ADD COLUMN batch_id VARCHAR(36);
ALTER TABLE prediction ADD COLUMN batch_row INTEGER;
CREATE INDEX prediction_batch ON prediction (batch_id, batch_row);
