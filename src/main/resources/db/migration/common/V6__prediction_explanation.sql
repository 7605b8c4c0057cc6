-- Why a tabular model decided as it did, stored with its decision so that the result page shows what was
-- computed then and never decides again: each answer's contribution, as JSON.
ALTER TABLE prediction ADD COLUMN explanation_json TEXT;
