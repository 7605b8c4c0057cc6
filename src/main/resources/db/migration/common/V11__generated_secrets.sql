-- Secrets the app makes for itself when the operator sets none, kept where every instance and every restart finds
-- them (the key that signs the API's links to a prediction's map: org.mlpages.history.PredictionAccess).
CREATE TABLE generated_secret (
    name   VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret VARCHAR(128) NOT NULL
);
