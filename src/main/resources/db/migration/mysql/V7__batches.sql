-- Many cases scored at once from a file: MySQL and MariaDB form of sqlite/V7__batches.sql.
CREATE TABLE batch (
    id             VARCHAR(36)  NOT NULL,
    created_at     DATETIME(3)  NOT NULL,
    finished_at    DATETIME(3),
    model_name     VARCHAR(128) NOT NULL,
    channel        VARCHAR(16)  NOT NULL,
    original_name  VARCHAR(255),
    columns_json   MEDIUMTEXT   NOT NULL,
    total          INTEGER      NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    failure        VARCHAR(255),
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE INDEX batch_state ON batch (state, created_at);

CREATE TABLE batch_row (
    batch_id       VARCHAR(36)  NOT NULL,
    position       INTEGER      NOT NULL,
    cells_json     MEDIUMTEXT   NOT NULL,
    errors_json    MEDIUMTEXT,
    PRIMARY KEY (batch_id, position)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

ALTER TABLE prediction ADD COLUMN batch_id VARCHAR(36);
ALTER TABLE prediction ADD COLUMN batch_row INTEGER;
CREATE INDEX prediction_batch ON prediction (batch_id, batch_row);
