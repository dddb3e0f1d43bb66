//! Eligibility for municipal housing as data per municipality (`rules/eligibility.toml`), and the
//! automatic assessment that lists each rule, the facts it used and its result.

mod assess;
mod finance;
mod rules;

#[cfg(test)]
mod tests;

pub use assess::{
    Assessment, CHILDRENS_BEST_INTERESTS, Fact, Facts, Member, Override, RULES, RuleOutcome, RuleResult, StoredArg,
    StoredMessage, Text, Wording, assess, bedrooms_needed, rule_name_key,
};
pub use finance::AGE_OF_MAJORITY;
pub use rules::{AllocationRules, EligibilityRules, GMultiple, Grunnbelop, LetterSender, MunicipalityRules};
