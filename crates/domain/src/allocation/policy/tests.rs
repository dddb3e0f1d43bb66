use super::*;
use time::macros::date;

fn errors(text: &str) -> Vec<(String, &'static str)> {
    PriorityPolicy::parse(text)
        .expect_err("the policy should be refused")
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn has(errors: &[(String, &'static str)], field: &str, code: &str) -> bool {
    errors.iter().any(|(f, c)| f == field && *c == code)
}

#[test]
fn the_shipped_drammen_policy_parses_and_is_cited() {
    let p = PriorityPolicy::parse(EMBEDDED).unwrap();
    assert_eq!(p.municipality, "3301");
    assert_eq!(p.effective_from, date!(2020 - 02 - 04));
    assert_eq!(
        p.tie_breakers,
        [TieBreaker::ApprovalDate, TieBreaker::ReceivedDate, TieBreaker::Draw]
    );
    assert_eq!(p.criteria.len(), 7);
    for c in &p.criteria {
        assert!(
            p.source(&c.provenance.source).is_some(),
            "{} cites a listed source",
            c.id
        );
        // Drammen publishes an order, not points.
        assert!(c.provenance.unverified, "{} is marked unverified", c.id);
    }
    assert!(matches!(p.access(DwellingType::Emergency), Access::Never));
    assert!(matches!(p.access(DwellingType::Temporary), Access::Never));
    assert!(matches!(p.access(DwellingType::OrdinaryRental), Access::Always));
    assert_eq!(p.fingerprint().len(), 64);
    assert_eq!(PriorityPolicy::embedded(), &p);
}

#[test]
fn the_drammen_order_holds_whatever_else_applies() {
    // Group 3 at most, plus waiting time at its cap, stays below group 2; group 2 and below
    // stay below one group-1 criterion.
    let p = PriorityPolicy::embedded();
    let points = |id: &str| p.criteria.iter().find(|c| c.id == id).unwrap().points;
    let group3 = points("economic_situation") + points("health_situation") + points("social_situation");
    let waiting = p.waiting_time.max_points;
    assert!(group3 + waiting < points("families_with_children"));
    for group1 in ["homeless_with_children", "refugee", "leaving_institution"] {
        assert!(points("families_with_children") + group3 + waiting < points(group1));
    }
}

#[test]
fn the_fingerprint_ignores_line_endings_and_trailing_spaces_but_not_content() {
    let p = PriorityPolicy::parse(EMBEDDED).unwrap();
    let crlf = PriorityPolicy::parse(&EMBEDDED.replace('\n', "  \r\n")).unwrap();
    assert_eq!(p.fingerprint(), crlf.fingerprint());
    let changed = PriorityPolicy::parse(&EMBEDDED.replace("max_points = 36", "max_points = 30")).unwrap();
    assert_ne!(p.fingerprint(), changed.fingerprint());
}

#[test]
fn a_policy_without_effective_from_is_refused() {
    let text = EMBEDDED.replace("effective_from = 2020-02-04\n", "");
    assert!(has(&errors(&text), "effective_from", "policy_effective_from"));
    let text = EMBEDDED.replace("effective_from = 2020-02-04", "effective_from = \"1. januar\"");
    assert!(has(&errors(&text), "effective_from", "policy_date"));
    let text = EMBEDDED.replace("effective_from = 2020-02-04", "effective_from = \"2027-02-30\"");
    assert!(has(&errors(&text), "effective_from", "policy_date"));
    // A quoted ISO date is accepted as well.
    let text = EMBEDDED.replace("effective_from = 2020-02-04", "effective_from = \"2027-02-01\"");
    assert_eq!(
        PriorityPolicy::parse(&text).unwrap().effective_from,
        date!(2027 - 02 - 01)
    );
}

#[test]
fn an_unknown_fact_is_refused_with_its_path() {
    let text = EMBEDDED.replace("when = \"refugee\"", "when = \"asylum_seeker\"");
    assert!(has(&errors(&text), "criteria[1].when", "unknown_value"));
    let text = EMBEDDED.replace(
        "when = { all = [\"homeless\", \"has_children\"] }",
        "when = { all = [\"homeless\", \"has_kids\"] }",
    );
    assert!(has(&errors(&text), "criteria[0].when.all[1]", "unknown_value"));
    let text = EMBEDDED.replace("when = { reason = \"economy\" }", "when = { reason = \"poverty\" }");
    assert!(has(&errors(&text), "criteria[4].when.reason", "unknown_value"));
}

#[test]
fn negative_zero_or_huge_points_are_refused() {
    for bad in ["-5", "0", "1001"] {
        let text = EMBEDDED.replacen("points = 200", &format!("points = {bad}"), 1);
        assert!(has(&errors(&text), "criteria[0].points", "out_of_range"), "{bad}");
    }
    let text = EMBEDDED.replacen("points = 200", "points = \"200\"", 1);
    assert!(has(&errors(&text), "criteria[0].points", "policy_wrong_type"));
    let text = EMBEDDED.replace("max_points = 36", "max_points = -1");
    assert!(has(&errors(&text), "waiting_time.max_points", "out_of_range"));
}

#[test]
fn an_unknown_or_repeated_tie_breaker_is_refused() {
    let text = EMBEDDED.replace("\"received_date\", \"draw\"", "\"received_date\", \"coin_toss\"");
    assert!(has(&errors(&text), "tie_breakers[2]", "unknown_value"));
    let text = EMBEDDED.replace("\"received_date\", \"draw\"", "\"received_date\", \"approval_date\"");
    assert!(has(&errors(&text), "tie_breakers[2]", "policy_duplicate"));
}

#[test]
fn an_unknown_or_missing_dwelling_type_is_refused() {
    let text = EMBEDDED.replace("ordinary_rental = true", "ordinary_rental = true\ncastle = true");
    assert!(has(&errors(&text), "dwelling_types.castle", "unknown_value"));
    let text = EMBEDDED.replace("emergency = false\n", "");
    assert!(has(&errors(&text), "dwelling_types.emergency", "required"));
    let text = EMBEDDED.replace(
        "youth_dwelling = { main_applicant_age = [18, 25] }",
        "youth_dwelling = { main_applicant_age = [25, 18] }",
    );
    assert!(has(
        &errors(&text),
        "dwelling_types.youth_dwelling.main_applicant_age",
        "policy_age_range"
    ));
}

#[test]
fn text_that_is_not_toml_names_its_line() {
    let text = EMBEDDED.replace("municipality = \"3301\"", "municipality = \"3301");
    let line = EMBEDDED.lines().position(|l| l.starts_with("municipality")).unwrap() + 1;
    let errors = PriorityPolicy::parse(&text).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "policy_syntax");
    assert_eq!(errors[0].field, format!("line {line}"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = EMBEDDED
        .replace("effective_from = 2020-02-04\n", "")
        .replace("when = \"refugee\"", "when = { refugee = true, homeless = true }")
        .replace(
            "source = \"husly\"\nunverified = true\nnote = \"Drammen",
            "source = \"nowhere\"\nnote = \"Drammen",
        )
        .replace("id = \"economic_situation\"", "id = \"refugee\"")
        .replace("version = ", "colour = \"red\"\nversion = ");
    let e = errors(&text);
    assert!(has(&e, "effective_from", "policy_effective_from"));
    assert!(has(&e, "criteria[1].when", "policy_condition_shape"));
    assert!(has(&e, "waiting_time.source", "policy_unknown_source"));
    assert!(has(&e, "criteria[4].id", "policy_duplicate"));
    assert!(has(&e, "colour", "policy_unknown_field"));
}

#[test]
fn conditions_nested_too_deep_are_refused() {
    let mut when = "\"homeless\"".to_string();
    for _ in 0..=MAX_CONDITION_DEPTH {
        when = format!("{{ not = {when} }}");
    }
    let text = EMBEDDED.replace("when = \"refugee\"", &format!("when = {when}"));
    assert!(errors(&text).iter().any(|(_, c)| *c == "policy_condition_depth"));
}

#[test]
fn the_version_in_force_is_the_latest_that_has_started() {
    let v1 = PriorityPolicy::parse(EMBEDDED).unwrap();
    let v2 = PriorityPolicy::parse(
        &EMBEDDED
            .replace("effective_from = 2020-02-04", "effective_from = 2027-06-01")
            .replace("drammen-2020.1", "drammen-2020.2"),
    )
    .unwrap();
    let versions = [v2, v1];
    assert_eq!(in_force(&versions, date!(2020 - 02 - 03)), None);
    assert_eq!(
        in_force(&versions, date!(2027 - 05 - 31)).unwrap().version,
        "drammen-2020.1"
    );
    assert_eq!(
        in_force(&versions, date!(2027 - 06 - 01)).unwrap().version,
        "drammen-2020.2"
    );
}

#[test]
fn codes_round_trip() {
    for f in Fact::ALL {
        assert_eq!(Fact::from_code(f.code()), Some(f));
    }
    for t in TieBreaker::ALL {
        assert_eq!(TieBreaker::from_code(t.code()), Some(t));
    }
}

#[test]
fn a_huge_text_is_refused_before_it_is_read() {
    let text = format!("{EMBEDDED}\n#{}", "x".repeat(MAX_POLICY_BYTES));
    assert!(has(&errors(&text), "policy", "too_long"));
}
