-- Predictions of every kind share the table: an image classification keeps its photo's columns, a
-- tabular decision keeps the answers it was given (JSON) and the threshold it was held against.
ALTER TABLE prediction ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'image';
ALTER TABLE prediction ADD COLUMN input_json TEXT;
ALTER TABLE prediction ADD COLUMN threshold DOUBLE;
