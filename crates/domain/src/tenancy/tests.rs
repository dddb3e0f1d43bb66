use super::*;
use time::macros::date;

fn input<'a>() -> ContractInput<'a> {
    ContractInput {
        start: "01.02.2027",
        term: "fixed",
        term_end: "31.01.2030",
        monthly_rent_kr: "9 500",
        security_kind: "deposit",
        security_kr: "28 500",
        notice_11_1_on: "",
    }
}

fn codes(result: Result<NewContract, Vec<FieldError>>) -> Vec<(String, &'static str)> {
    match result {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

#[test]
fn a_three_year_contract_with_a_deposit_is_written_in_ore() {
    let contract = check_contract(&input()).unwrap();
    assert_eq!(contract.start, date!(2027 - 02 - 01));
    assert_eq!(contract.term_end, Some(date!(2030 - 01 - 31)));
    assert_eq!(contract.monthly_rent_ore, 950_000);
    assert_eq!(contract.security_ore, 2_850_000);
    assert_eq!(contract.notice_11_1_on, None, "three years need no § 11-1 notice");
}

/// Each row: what changes from the valid input, and the problems expected (field, code).
#[test]
fn each_rule_names_its_field() {
    type Edit = fn(&mut ContractInput<'static>);
    type Expected = &'static [(&'static str, &'static str)];
    let rows: &[(&str, Edit, Expected)] = &[
        ("no start", |i| i.start = "", &[("start", "required")]),
        (
            "a start that is no date",
            |i| i.start = "31.02.2027",
            &[("start", "invalid_date")],
        ),
        ("an unknown term", |i| i.term = "forever", &[("term", "unknown_value")]),
        (
            "a fixed term without an end",
            |i| i.term_end = "",
            &[("term_end", "required")],
        ),
        (
            "an end before the start",
            |i| i.term_end = "31.01.2027",
            &[("term_end", "tenancy.end_before_start")],
        ),
        (
            "an end on the start day",
            |i| i.term_end = "01.02.2027",
            &[("term_end", "tenancy.end_before_start")],
        ),
        (
            "an indefinite contract with an end",
            |i| i.term = "indefinite",
            &[("term_end", "tenancy.end_with_indefinite")],
        ),
        (
            // § 9-3: one day short of three years needs the § 11-1 notice.
            "two years without the § 11-1 notice",
            |i| i.term_end = "30.01.2030",
            &[("notice_11_1_on", "tenancy.notice_required")],
        ),
        (
            "a notice given after the start",
            |i| {
                i.term_end = "31.01.2028";
                i.notice_11_1_on = "02.02.2027";
            },
            &[("notice_11_1_on", "tenancy.notice_after_start")],
        ),
        (
            "no rent",
            |i| i.monthly_rent_kr = "",
            &[("monthly_rent_kr", "required")],
        ),
        (
            "a rent of nothing",
            |i| i.monthly_rent_kr = "0",
            &[("monthly_rent_kr", "rent_zero")],
        ),
        (
            "a rent in øre by mistake",
            |i| i.monthly_rent_kr = "950000",
            &[("monthly_rent_kr", "amount_too_large")],
        ),
        (
            "a negative rent",
            |i| i.monthly_rent_kr = "-9500",
            &[("monthly_rent_kr", "negative_amount")],
        ),
        (
            "a rent that is no amount",
            |i| i.monthly_rent_kr = "ni tusen",
            &[("monthly_rent_kr", "not_an_amount")],
        ),
        (
            // § 3-5: six months' rent at most (9 500 × 6 = 57 000).
            "a deposit of more than six months' rent",
            |i| i.security_kr = "57 001",
            &[("security_kr", "tenancy.deposit_too_large")],
        ),
        (
            "a deposit without an amount",
            |i| i.security_kr = "",
            &[("security_kr", "tenancy.security_amount_required")],
        ),
        (
            "an amount without a security",
            |i| i.security_kind = "none",
            &[("security_kr", "tenancy.security_without_kind")],
        ),
        (
            "no security chosen",
            |i| i.security_kind = "",
            &[("security_kind", "required")],
        ),
    ];
    for (what, edit, expected) in rows {
        let mut typed = input();
        edit(&mut typed);
        let found = codes(check_contract(&typed));
        let expected: Vec<(String, &str)> = expected.iter().map(|(f, c)| (f.to_string(), *c)).collect();
        assert_eq!(found, expected, "{what}");
    }
}

#[test]
fn the_edges_that_are_allowed() {
    // Exactly six months' deposit; a guarantee may exceed it (§ 3-5 caps deposits).
    let mut i = input();
    i.security_kr = "57 000";
    assert!(check_contract(&i).is_ok());
    i.security_kind = "guarantee";
    i.security_kr = "100 000";
    assert!(check_contract(&i).is_ok());
    // A short term with the notice given on the start day; no security at all.
    let mut i = input();
    i.term_end = "31.01.2029";
    i.notice_11_1_on = "01.02.2027";
    i.security_kind = "none";
    i.security_kr = "";
    let contract = check_contract(&i).unwrap();
    assert_eq!((contract.security_kind, contract.security_ore), (SecurityKind::None, 0));
    // Indefinite, from a leap day.
    let mut i = input();
    i.start = "2028-02-29";
    i.term = "indefinite";
    i.term_end = "";
    assert_eq!(check_contract(&i).unwrap().term_end, None);
}

#[test]
fn the_shortest_ordinary_term_ends_the_day_before_three_years_on() {
    assert_eq!(ordinary_term_end(date!(2027 - 02 - 01)), date!(2030 - 01 - 31));
    // From a leap day: three years cover up to 28 February 2031 (there is no 29th).
    assert_eq!(ordinary_term_end(date!(2028 - 02 - 29)), date!(2031 - 02 - 28));
    // From the day after a leap day, and from a month's last day.
    assert_eq!(ordinary_term_end(date!(2028 - 03 - 01)), date!(2031 - 02 - 28));
    assert_eq!(ordinary_term_end(date!(2027 - 01 - 31)), date!(2030 - 01 - 30));
}

#[test]
fn an_end_needs_a_reason_and_sensible_days() {
    let start = date!(2027 - 02 - 01);
    let end = |ended_on, reason, notice_on, note| {
        check_end(
            &EndInput {
                ended_on,
                reason,
                notice_on,
                note,
                move_on_case_id: "",
            },
            start,
        )
        .map_err(|e| e.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>())
    };
    let ok = end("30.06.2028", "tenant_notice", "31.03.2028", "").unwrap();
    assert_eq!(ok.reason, EndReason::TenantNotice);
    assert_eq!(ok.notice_on, Some(date!(2028 - 03 - 31)));
    assert_eq!(
        end("", "", "", "").unwrap_err(),
        vec![("ended_on".to_string(), "required"), ("reason".to_string(), "required")]
    );
    assert_eq!(
        end("31.01.2027", "tenant_notice", "", "").unwrap_err(),
        vec![("ended_on".to_string(), "tenancy.ended_before_start")]
    );
    assert_eq!(
        end("30.06.2028", "tenant_notice", "01.07.2028", "").unwrap_err(),
        vec![("notice_on".to_string(), "tenancy.notice_after_end")]
    );
    assert_eq!(
        end("30.06.2028", "other", "", " ").unwrap_err(),
        vec![("note".to_string(), "tenancy.note_required")]
    );
    assert!(end("01.02.2027", "deceased", "", "").is_ok(), "the start day itself");
}

#[test]
fn a_move_on_case_goes_only_with_bought_own_home() {
    let start = date!(2027 - 02 - 01);
    let case = crate::CaseId::new();
    let id = case.to_string();
    let end = |reason: &str, move_on: &str| {
        check_end(
            &EndInput {
                ended_on: "30.06.2028",
                reason,
                move_on_case_id: move_on,
                ..Default::default()
            },
            start,
        )
        .map(|e| e.move_on_case)
        .map_err(|e| e.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>())
    };
    let refused = |code: &'static str| Err(vec![("move_on_case_id".to_string(), code)]);
    // (reason, case typed, the case kept or the refusal)
    let cases = [
        ("bought_own_home", id.as_str(), Ok(Some(case))),
        ("bought_own_home", "", Ok(None)),
        ("bought_own_home", "  ", Ok(None)),
        ("tenant_notice", "", Ok(None)),
        ("tenant_notice", id.as_str(), refused("tenancy.move_on_case_reason")),
        (
            "moved_to_private_rental",
            id.as_str(),
            refused("tenancy.move_on_case_reason"),
        ),
        (
            "bought_own_home",
            "2026-000123",
            refused("tenancy.move_on_case_not_startlan"),
        ),
    ];
    for (reason, typed, expected) in cases {
        assert_eq!(end(reason, typed), expected, "{reason} {typed:?}");
    }
}

#[test]
fn the_move_on_case_is_a_startlan_case_of_the_same_household() {
    use crate::cases::CaseType;
    let household = crate::HouseholdId::new();
    let other = crate::HouseholdId::new();
    let ok = check_move_on_case(Some((household, CaseType::Startlan)), household);
    assert!(ok.is_ok());
    for found in [
        None,
        Some((other, CaseType::Startlan)),
        Some((household, CaseType::MunicipalHousing)),
        Some((household, CaseType::EstablishmentGrant)),
    ] {
        let refused = check_move_on_case(found, household).unwrap_err();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("move_on_case_id", "tenancy.move_on_case_not_startlan"),
            "{found:?}"
        );
    }
}

#[test]
fn expiry_against_today_and_a_horizon() {
    let today = date!(2027 - 08 - 31);
    assert_eq!(expiry(None, today, 6), Expiry::NotSoon);
    assert_eq!(expiry(Some(date!(2027 - 08 - 30)), today, 6), Expiry::Lapsed);
    assert_eq!(expiry(Some(today), today, 6), Expiry::Soon);
    // Six months from 31 August 2027 is 29 February 2028, the month's last day.
    assert_eq!(expiry(Some(date!(2028 - 02 - 29)), today, 6), Expiry::Soon);
    assert_eq!(expiry(Some(date!(2028 - 03 - 01)), today, 6), Expiry::NotSoon);
    assert_eq!(
        expiry(Some(date!(2027 - 02 - 28)), date!(2026 - 08 - 31), 6),
        Expiry::Soon
    );
    assert_eq!(
        expiry(Some(date!(2027 - 03 - 01)), date!(2026 - 08 - 31), 6),
        Expiry::NotSoon
    );
}
