-- Every prediction the app makes, from a page or from the API.
CREATE TABLE prediction (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        TIMESTAMP    NOT NULL,
    channel           VARCHAR(16)  NOT NULL,
    model_name        VARCHAR(128) NOT NULL,
    model_sha256      VARCHAR(64)  NOT NULL,
    stored_file       VARCHAR(64),
    original_name     VARCHAR(255),
    image_width       INTEGER,
    image_height      INTEGER,
    label             VARCHAR(128) NOT NULL,
    probabilities     TEXT         NOT NULL,
    inference_ms      DOUBLE       NOT NULL,
    latency_ms        DOUBLE       NOT NULL
);

CREATE INDEX prediction_created_at ON prediction (created_at);
CREATE INDEX prediction_model_name ON prediction (model_name, created_at);
