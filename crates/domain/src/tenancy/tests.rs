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
