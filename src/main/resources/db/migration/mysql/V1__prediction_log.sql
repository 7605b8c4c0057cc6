-- Every prediction the app makes, from a page or from the API. MySQL and MariaDB form of
-- sqlite/V1__prediction_log.sql: the same columns, in the types these servers need.
--  * created_at holds UTC (the driver is told so) with milliseconds, as SQLite keeps it.
--  * Text is utf8mb4, so any file name a browser sends fits; the binary collation keeps model names
--    and labels exact, as SQLite compares them.
--  * probabilities is MEDIUMTEXT: a model with many classes outgrows TEXT's 64 KB.
CREATE TABLE prediction (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    created_at        DATETIME(3)  NOT NULL,
    channel           VARCHAR(16)  NOT NULL,
    model_name        VARCHAR(128) NOT NULL,
    model_sha256      VARCHAR(64)  NOT NULL,
    stored_file       VARCHAR(64),
    original_name     VARCHAR(255),
    image_width       INTEGER,
    image_height      INTEGER,
    label             VARCHAR(128) NOT NULL,
    probabilities     MEDIUMTEXT   NOT NULL,
    inference_ms      DOUBLE       NOT NULL,
    latency_ms        DOUBLE       NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE INDEX prediction_created_at ON prediction (created_at);
CREATE INDEX prediction_model_name ON prediction (model_name, created_at);
