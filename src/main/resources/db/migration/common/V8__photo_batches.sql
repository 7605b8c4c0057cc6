-- A batch is a file of cases for a tabular model (CASES) or photos for an image model (PHOTOS); the batches
-- kept from before were all files of cases. A photo batch's rows hold each photo's name; the photos themselves wait
-- in the batch folder (mlpages.batch.work-dir) until they are scored.
ALTER TABLE batch ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'CASES';
