use super::*;
use proptest::prelude::*;

fn month(m: u8) -> YearMonth {
    YearMonth::new(2026, m).unwrap()
}

fn line(m: u8, due_kr: i64, paid_kr: i64) -> LedgerMonth {
    LedgerMonth {
        period: month(m),
        due_ore: due_kr * 100,
        paid_ore: paid_kr * 100,
    }
}

fn threshold(months_of_rent: Option<&str>, amount_kr: Option<i64>, months_behind: Option<u32>) -> ArrearsThreshold {
    ArrearsThreshold {
        months_of_rent: months_of_rent.map(|t| toml::Value::String(t.into()).try_into().unwrap()),
        amount_kr,
        months_behind,
    }
}

#[test]
fn arrears_as_a_table() {
    // (months, balance kr, unpaid months, oldest unpaid)
    let cases: Vec<(Vec<LedgerMonth>, i64, u32, Option<u8>)> = vec![
        // Nothing on the ledger.
        (vec![], 0, 0, None),
        // Paid as due.
        (vec![line(1, 8_100, 8_100), line(2, 8_100, 8_100)], 0, 0, None),
        // March unpaid.
        (
            vec![line(1, 8_100, 8_100), line(2, 8_100, 8_100), line(3, 8_100, 0)],
            8_100,
            1,
            Some(3),
        ),
        // January's rent paid late in February: nothing owed.
        (vec![line(1, 8_100, 0), line(2, 8_100, 16_200)], 0, 0, None),
        // Part of January unpaid, and all of February: the payments settle January first, so
        // January still has 100 kr unpaid and is the oldest.
        (vec![line(1, 8_100, 8_000), line(2, 8_100, 0)], 8_200, 2, Some(1)),
        // Paid in advance: a credit, no arrears.
        (vec![line(1, 8_100, 10_000), line(2, 8_100, 8_100)], -1_900, 0, None),
        // An overpayment in one month carries: January overpaid covers February's shortfall.
        (vec![line(1, 8_100, 9_100), line(2, 8_100, 7_100)], 0, 0, None),
        // Only the latest months are unpaid once payments reach the oldest first.
        (
            vec![
                line(1, 8_100, 0),
                line(2, 8_100, 0),
                line(3, 8_100, 16_200),
                line(4, 8_100, 0),
            ],
            16_200,
            2,
            Some(3),
        ),
        // A month with nothing due is never unpaid.
        (vec![line(1, 8_100, 0), line(2, 0, 0)], 8_100, 1, Some(1)),
    ];
    for (months, balance_kr, unpaid, oldest) in cases {
        let a = arrears(&months);
        assert_eq!(a.balance_ore, balance_kr * 100, "{months:?}");
        assert_eq!(a.arrears_ore, (balance_kr * 100).max(0), "{months:?}");
        assert_eq!(a.unpaid_months, unpaid, "{months:?}");
        assert_eq!(a.oldest_unpaid, oldest.map(month), "{months:?}");
    }
}

#[test]
fn a_signal_when_any_threshold_is_reached() {
    let rent = 810_000;
    let behind_one = arrears(&[line(1, 8_100, 8_100), line(2, 8_100, 0)]);
    // A reduced rent for two months, neither paid: 4 000 kr over two months.
    let behind_two = arrears(&[line(1, 8_100, 8_100), line(2, 2_000, 0), line(3, 2_000, 0)]);
    let one_month = threshold(Some("1"), None, Some(2));
    assert_eq!(
        signal(&behind_one, rent, &one_month),
        vec![SignalReason::RentMonths {
            months: RentMonths(100),
            threshold_ore: 810_000
        }]
    );
    // Not a month's rent, but two months behind.
    assert_eq!(behind_two.unpaid_months, 2);
    assert_eq!(
        signal(&behind_two, rent, &one_month),
        vec![SignalReason::MonthsBehind { months: 2 }]
    );
    // A part of a month's rent, or an amount.
    assert!(signal(&behind_two, rent, &threshold(Some("0.5"), None, None)).is_empty());
    assert_eq!(
        signal(&behind_two, rent, &threshold(Some("0.4"), None, None)),
        vec![SignalReason::RentMonths {
            months: RentMonths(40),
            threshold_ore: 324_000
        }]
    );
    assert_eq!(
        signal(&behind_two, rent, &threshold(None, Some(4_000), None)),
        vec![SignalReason::Amount { threshold_ore: 400_000 }]
    );
    assert!(signal(&behind_two, rent, &threshold(None, Some(4_001), None)).is_empty());
    // No arrears, no signal, whatever the thresholds.
    let paid = arrears(&[line(1, 8_100, 8_100)]);
    assert!(signal(&paid, rent, &threshold(Some("0.01"), Some(1), Some(1))).is_empty());
    assert_eq!(SignalReason::MonthsBehind { months: 2 }.code(), "months_behind");
}

#[test]
fn the_embedded_file_loads_with_a_default_and_overrides_win() {
    let rules = embedded_rules();
    let default = rules.in_force("rent_arrears", "3301", month(3)).unwrap();
    assert_eq!(default.values.months_of_rent, Some(RentMonths(100)));
    assert_eq!(default.values.months_behind, Some(2));
    assert!(!default.is_verified("months_of_rent"));
    assert!(rules.source(&default.meta.source).is_some());
    assert_eq!(RentMonths(150).text(), "1.5");

    let with_drammen = format!(
        "{}\n[[municipalities]]\nnumber = \"3301\"\nname = \"Drammen\"\n[[municipalities.periods]]\nfrom = \"2027-01\"\nsource = \"husly-proposal\"\namount_kr = 3000\n",
        include_str!("../../../../../rules/rent_arrears.toml")
    );
    let rules = rules_from_toml(&with_drammen).unwrap();
    let drammen = rules
        .in_force("rent_arrears", "3301", YearMonth::new(2027, 2).unwrap())
        .unwrap();
    assert_eq!(drammen.values, threshold(None, Some(3_000), None));
    // Before its own period begins, Drammen has none in force.
    assert!(rules.in_force("rent_arrears", "3301", month(12)).is_err());
    assert_eq!(
        rules
            .in_force("rent_arrears", "0301", month(12))
            .unwrap()
            .values
            .months_behind,
        Some(2)
    );
}

#[test]
fn broken_rule_files_are_refused() {
    let file = include_str!("../../../../../rules/rent_arrears.toml");
    for (from, to, complaint) in [
        ("number = \"default\"", "number = \"9998\"", "default"),
        ("months_of_rent = \"1\"\nmonths_behind = 2", "", "at least one"),
        ("months_behind = 2", "months_behind = 0", "at least 1"),
        ("months_of_rent = \"1\"", "months_of_rent = \"1 %\"", "number of months"),
        ("source = \"husly-proposal\"", "source = \"nowhere\"", "unknown source"),
    ] {
        let broken = file.replace(from, to);
        let error = rules_from_toml(&broken).unwrap_err();
        assert!(error.contains(complaint), "{from} → {to}: {error}");
    }
}

fn ledger() -> impl Strategy<Value = Vec<LedgerMonth>> {
    prop::collection::btree_map(1u8..=12, (0i64..2_000_000, 0i64..2_000_000), 0..12).prop_map(|months| {
        months
            .into_iter()
            .map(|(m, (due_ore, paid_ore))| LedgerMonth {
                period: month(m),
                due_ore,
                paid_ore,
            })
            .collect()
    })
}

proptest! {
    /// The order the rows come in does not change the arrears.
    #[test]
    fn reordering_the_months_changes_nothing(months in ledger(), seed in any::<u64>()) {
        let mut shuffled = months.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(arrears(&months), arrears(&shuffled));
    }

    /// Paying exactly what falls due leaves nothing owed.
    #[test]
    fn paying_the_rent_leaves_no_arrears(months in ledger()) {
        let paid: Vec<LedgerMonth> = months.iter().map(|m| LedgerMonth { paid_ore: m.due_ore, ..*m }).collect();
        prop_assert_eq!(arrears(&paid), Arrears::default());
    }

    /// The balance is what fell due less what was paid; arrears come with unpaid months whose
    /// rent covers them, and paying more never raises them.
    #[test]
    fn arrears_hold_together(months in ledger(), extra in 0i64..1_000_000) {
        let a = arrears(&months);
        let due: i64 = months.iter().map(|m| m.due_ore).sum();
        let paid: i64 = months.iter().map(|m| m.paid_ore).sum();
        prop_assert_eq!(a.balance_ore, due - paid);
        prop_assert_eq!(a.arrears_ore, (due - paid).max(0));
        prop_assert_eq!(a.arrears_ore > 0, a.unpaid_months > 0);
        prop_assert_eq!(a.unpaid_months > 0, a.oldest_unpaid.is_some());
        if let Some(oldest) = a.oldest_unpaid {
            let from_oldest: i64 = months.iter().filter(|m| m.period >= oldest).map(|m| m.due_ore).sum();
            prop_assert!(from_oldest >= a.arrears_ore);
        }
        if let Some(first) = months.first() {
            let mut more = months.clone();
            more[0] = LedgerMonth { paid_ore: first.paid_ore + extra, ..*first };
            let after = arrears(&more);
            prop_assert!(after.arrears_ore <= a.arrears_ore);
            prop_assert!(after.unpaid_months <= a.unpaid_months);
        }
    }
}
