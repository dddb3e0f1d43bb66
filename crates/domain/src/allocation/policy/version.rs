//! A municipality's new version of the priority policy, checked before it is simulated or saved.
//!
//! A leader gives the policy text, a version label and an effective date. Decisions, all pure:
//!
//! - **The header follows the form.** The label, the date and the municipality's own number are
//!   written into the text's `version`, `effective_from` and `municipality` lines (replaced where
//!   the text has them, added before its first field where it does not), and only then is the
//!   text parsed. So the saved text, its fingerprint and the stored columns always agree, and a
//!   text copied from another municipality (or the shipped one, which names Drammen) is adjusted
//!   rather than refused.
//! - **Not before today.** A version takes effect today at the earliest: rankings already made
//!   under the version in force are never rewritten.
//! - **A label is used once** per municipality, nor may it be the shipped policy's label.
//! - **Simulated first.** A version is saved only when the very text (by fingerprint) was
//!   simulated on today's waiting list.
//!
//! Every problem is a [`FieldError`]: `version`, `effective_from`, `reason`, `simulated`, or
//! `policy` and `policy.<path in the text>` (`policy.criteria[2].points`) for the text itself.

use time::Date;

use super::PriorityPolicy;
use crate::validation::{FieldError, parse_date};

/// Longest version label (as the policy's own `version`).
pub const MAX_VERSION_LEN: usize = 50;
/// Longest reason for a change.
pub const MAX_REASON_LEN: usize = 2_000;

/// What a leader typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct DraftInput<'a> {
    pub text: &'a str,
    pub version: &'a str,
    /// `dd.mm.yyyy` or `yyyy-mm-dd`.
    pub effective_from: &'a str,
}

/// The facts a draft is checked against.
#[derive(Debug, Clone, Copy)]
pub struct DraftContext<'a> {
    /// The municipality's kommunenummer.
    pub municipality: &'a str,
    pub today: Date,
    /// Labels the municipality has used.
    pub taken: &'a [&'a str],
}

/// The header keys the form decides.
const HEADER: [&str; 3] = ["version", "municipality", "effective_from"];

/// The text with its top-level `version`, `municipality` and `effective_from` set to these
/// values: lines with those keys before the first `[table]` are replaced, missing keys are added
/// before the first key or table (after leading comments), in that order.
pub fn with_header(text: &str, version: &str, municipality: &str, effective_from: Date) -> String {
    let values = [
        format!("version = {}", toml_string(version)),
        format!("municipality = {}", toml_string(municipality)),
        format!("effective_from = {effective_from}"),
    ];
    let mut seen = [false; 3];
    let mut lines: Vec<String> = Vec::new();
    let mut top_level = true;
    let mut first_content: Option<usize> = None;
    for line in text.replace("\r\n", "\n").lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            top_level = false;
        }
        let is_content = !trimmed.is_empty() && !trimmed.starts_with('#');
        if is_content && first_content.is_none() {
            first_content = Some(lines.len());
        }
        if top_level && let Some(i) = HEADER.iter().position(|key| assigns(trimmed, key)) {
            if !seen[i] {
                seen[i] = true;
                lines.push(values[i].clone());
            }
            // A repeated key would not parse; the form's value stands once.
            continue;
        }
        lines.push(line.to_string());
    }
    let missing: Vec<String> = (0..3).filter(|&i| !seen[i]).map(|i| values[i].clone()).collect();
    let at = first_content.unwrap_or(lines.len());
    lines.splice(at..at, missing);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Whether a line assigns the bare key `key` (`key = …`, `key=…`).
fn assigns(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// Checks a draft and parses it with the header set from the form: the policy to simulate or
/// save, or every problem found.
pub fn check_draft(input: &DraftInput<'_>, context: &DraftContext<'_>) -> Result<PriorityPolicy, Vec<FieldError>> {
    let mut errors = Vec::new();
    let version = input.version.trim();
    if version.is_empty() {
        errors.push(FieldError::required("version"));
    } else if version.chars().count() > MAX_VERSION_LEN {
        errors.push(FieldError::too_long("version", MAX_VERSION_LEN));
    } else if version.chars().any(char::is_control) {
        errors.push(crate::validation::control_character("version"));
    } else if context.taken.contains(&version) || version == PriorityPolicy::embedded().version {
        errors.push(
            FieldError::new("version", "policy_version_taken", "error.policy.version_taken").arg("version", version),
        );
    }
    let effective_from = match input.effective_from.trim() {
        "" => {
            errors.push(FieldError::new(
                "effective_from",
                "required",
                "error.policy.effective_from_required",
            ));
            None
        }
        typed => match parse_date(typed) {
            None => {
                errors.push(FieldError::invalid_date("effective_from"));
                None
            }
            Some(date) if date < context.today => {
                errors.push(
                    FieldError::new("effective_from", "policy_in_the_past", "error.policy.in_the_past")
                        .arg("today", crate::validation::format_date(context.today)),
                );
                None
            }
            Some(date) => Some(date),
        },
    };
    if input.text.trim().is_empty() {
        errors.push(FieldError::required("policy"));
        return Err(errors);
    }
    // The text is checked even when the label or date has a problem, so every error shows at once;
    // a placeholder date stands in for a missing one.
    let header_date = effective_from.unwrap_or(context.today);
    let header_version = if version.is_empty() || version.chars().count() > MAX_VERSION_LEN {
        "draft"
    } else {
        version
    };
    let text = with_header(input.text, header_version, context.municipality, header_date);
    match PriorityPolicy::parse(&text) {
        Ok(policy) if errors.is_empty() => Ok(policy),
        Ok(_) => Err(errors),
        Err(found) => {
            errors.extend(found.into_iter().map(in_text));
            Err(errors)
        }
    }
}

/// A problem of the parsed text, named under `policy`: `policy.criteria[2].points`; one that is
/// not on a field (the text is not TOML: `line 3`) is on `policy` itself.
fn in_text(mut error: FieldError) -> FieldError {
    error.field = if error.field.starts_with("line ") || error.field == "policy" {
        "policy".to_string()
    } else {
        format!("policy.{}", error.field)
    };
    error
}

/// The save's guard: the text being saved is the text that was simulated.
pub fn check_simulated(policy: &PriorityPolicy, simulated: &str) -> Result<(), FieldError> {
    if simulated.trim().eq_ignore_ascii_case(&policy.fingerprint()) {
        Ok(())
    } else {
        Err(FieldError::new(
            "simulated",
            "policy_not_simulated",
            "error.policy.not_simulated",
        ))
    }
}

/// Checks the reason for a change: required, not too long.
pub fn check_reason(reason: &str) -> Result<String, FieldError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(FieldError::required("reason"))
    } else if reason.chars().count() > MAX_REASON_LEN {
        Err(FieldError::too_long("reason", MAX_REASON_LEN))
    } else {
        Ok(reason.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);

    fn context<'a>(taken: &'a [&'a str]) -> DraftContext<'a> {
        DraftContext {
            municipality: "3301",
            today: TODAY,
            taken,
        }
    }

    fn input<'a>(text: &'a str, version: &'a str, effective_from: &'a str) -> DraftInput<'a> {
        DraftInput {
            text,
            version,
            effective_from,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn the_header_follows_the_form_and_the_rest_is_kept() {
        let text = PriorityPolicy::embedded_text();
        let policy = check_draft(&input(text, "2027.1", "01.01.2027"), &context(&[])).unwrap();
        assert_eq!(policy.version, "2027.1");
        assert_eq!(policy.municipality, "3301");
        assert_eq!(policy.effective_from, date!(2027 - 01 - 01));
        assert_eq!(policy.criteria, PriorityPolicy::embedded().criteria);
        // Comments and order are kept; the header lines are replaced in place.
        let canonical = policy.canonical_text();
        assert!(canonical.starts_with("# Priority policy"));
        assert_eq!(canonical.matches("\nversion = ").count(), 1);
        assert!(canonical.contains("\nversion = \"2027.1\"\nmunicipality = \"3301\"\neffective_from = 2027-01-01\n"));
        // The same input gives the same fingerprint: a simulation's text is the saved text.
        let again = check_draft(&input(text, "2027.1", "2027-01-01"), &context(&[])).unwrap();
        assert_eq!(again.fingerprint(), policy.fingerprint());
    }

    #[test]
    fn a_text_without_a_header_gets_one_before_its_first_field() {
        let body: String = PriorityPolicy::embedded_text()
            .lines()
            .filter(|l| {
                !["version", "municipality", "effective_from"]
                    .iter()
                    .any(|k| assigns(l, k))
            })
            .collect::<Vec<_>>()
            .join("\n");
        let with = with_header(&body, "a \"quoted\" label", "0301", date!(2027 - 02 - 01));
        let policy = PriorityPolicy::parse(&with).unwrap();
        assert_eq!(policy.version, "a \"quoted\" label");
        assert_eq!(policy.municipality, "0301");
        assert!(with.starts_with("# Priority policy"));
        // A key inside a table is not the header's.
        let nested = "[waiting_time]\nversion = 1\n";
        assert_eq!(
            with_header(nested, "v", "3301", TODAY),
            "version = \"v\"\nmunicipality = \"3301\"\neffective_from = 2026-12-03\n[waiting_time]\nversion = 1\n"
        );
    }

    #[test]
    fn a_missing_or_past_effective_date_is_refused() {
        let text = PriorityPolicy::embedded_text();
        let missing = check_draft(&input(text, "2027.1", " "), &context(&[])).unwrap_err();
        assert_eq!(fields(&missing), ["effective_from"]);
        assert_eq!(missing[0].message.key, "error.policy.effective_from_required");
        let past = check_draft(&input(text, "2027.1", "02.12.2026"), &context(&[])).unwrap_err();
        assert_eq!(past[0].code, "policy_in_the_past");
        let garbled = check_draft(&input(text, "2027.1", "31.02.2027"), &context(&[])).unwrap_err();
        assert_eq!(garbled[0].code, "invalid_date");
        // Today is the earliest day allowed.
        assert!(check_draft(&input(text, "2027.1", "03.12.2026"), &context(&[])).is_ok());
    }

    #[test]
    fn a_label_is_used_once_and_never_the_shipped_one() {
        let text = PriorityPolicy::embedded_text();
        let taken = check_draft(&input(text, " 2027.1 ", "01.01.2027"), &context(&["2027.1"])).unwrap_err();
        assert_eq!(
            (fields(&taken), taken[0].code),
            (vec!["version"], "policy_version_taken")
        );
        let shipped = PriorityPolicy::embedded().version.clone();
        let err = check_draft(&input(text, &shipped, "01.01.2027"), &context(&[])).unwrap_err();
        assert_eq!(err[0].code, "policy_version_taken");
        let empty = check_draft(&input(text, "", "01.01.2027"), &context(&[])).unwrap_err();
        assert_eq!(empty[0].code, "required");
        let long = "x".repeat(MAX_VERSION_LEN + 1);
        assert_eq!(
            check_draft(&input(text, &long, "01.01.2027"), &context(&[])).unwrap_err()[0].code,
            "too_long"
        );
    }

    #[test]
    fn problems_in_the_text_are_named_under_policy_with_the_form_problems() {
        let text = PriorityPolicy::embedded_text().replacen("points = 200", "points = 5000", 1);
        let errors = check_draft(&input(&text, "", "01.01.2027"), &context(&[])).unwrap_err();
        assert_eq!(fields(&errors), ["version", "policy.criteria[0].points"]);
        let broken = check_draft(&input("criteria = [", "v1", "01.01.2027"), &context(&[])).unwrap_err();
        assert_eq!((fields(&broken), broken[0].code), (vec!["policy"], "policy_syntax"));
        let empty = check_draft(&input("  ", "v1", "01.01.2027"), &context(&[])).unwrap_err();
        assert_eq!((fields(&empty), empty[0].code), (vec!["policy"], "required"));
    }

    #[test]
    fn only_the_simulated_text_may_be_saved_with_a_reason() {
        let policy = check_draft(
            &input(PriorityPolicy::embedded_text(), "2027.1", "01.01.2027"),
            &context(&[]),
        )
        .unwrap();
        assert!(check_simulated(&policy, &policy.fingerprint()).is_ok());
        assert!(check_simulated(&policy, &policy.fingerprint().to_uppercase()).is_ok());
        assert_eq!(check_simulated(&policy, "").unwrap_err().field, "simulated");
        assert_eq!(
            check_simulated(&policy, &PriorityPolicy::embedded().fingerprint())
                .unwrap_err()
                .code,
            "policy_not_simulated"
        );
        assert_eq!(check_reason("  Nye retningslinjer ").unwrap(), "Nye retningslinjer");
        assert_eq!(check_reason(" ").unwrap_err().code, "required");
        assert_eq!(
            check_reason(&"x".repeat(MAX_REASON_LEN + 1)).unwrap_err().code,
            "too_long"
        );
    }
}
