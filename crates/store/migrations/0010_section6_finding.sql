-- What the assessment of the household's boligsosialloven § 6 needs found, kept with a refused or
-- partly granted decision on a municipal dwelling (husly_domain::cases::section6 codes; empty
-- for other decisions and for those proposed before the rule).
ALTER TABLE case_decision ADD COLUMN section6 TEXT;
