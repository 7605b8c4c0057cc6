-- "This is wrong": the answer a person says the model should have given, kept with the prediction so the
-- data person can collect cases to retrain on.
ALTER TABLE prediction ADD COLUMN feedback_label VARCHAR(128);
