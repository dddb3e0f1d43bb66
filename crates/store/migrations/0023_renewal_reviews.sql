-- Schema version 23: renewal reviews of fixed-term contracts (husly_domain::cases::renewal).
--
-- A review is a case of type `tenancy_renewal`, opened by the scheduler before the present
-- period ends; the period names its review, so each period is reviewed once however often the
-- job runs and however many servers run it. The decision keeps what it decides (the new term's
-- last day, or the plan when not renewed) as JSON beside its outcome.
ALTER TABLE tenancy_period ADD COLUMN review_case_id TEXT REFERENCES application_case (id);
CREATE UNIQUE INDEX tenancy_period_review ON tenancy_period (review_case_id) WHERE review_case_id IS NOT NULL;
ALTER TABLE case_decision ADD COLUMN renewal TEXT;
-- The day a review's decision should be sent by (its deadline in the work queue).
ALTER TABLE application_case ADD COLUMN decide_by TEXT;
