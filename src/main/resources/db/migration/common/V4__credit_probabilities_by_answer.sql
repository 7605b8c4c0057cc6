-- Credit decisions were logged with the model's classes ("good", "bad") as probability keys while their
-- label is the answer ("granted", "refused"): the history read the answer's probability as 0. The keys
-- become the answers, as the app now writes them. REPLACE is the same function in SQLite, MySQL and MariaDB.
UPDATE prediction
SET probabilities = REPLACE(REPLACE(probabilities, '"good":', '"granted":'), '"bad":', '"refused":')
WHERE kind = 'tabular' AND probabilities LIKE '%"good":%';
