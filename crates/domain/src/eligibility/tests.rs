//! Table tests from the rule file's values (domain brief § 1.5) and property tests.

use proptest::prelude::*;
use time::Date;
use time::macros::date;

use super::*;
use crate::bostotte::IncomeKind;
use crate::cases::application::{ApplicationForm, CurrentHousing, MemberEconomy, Reason};
use crate::cases::workflow::CaseType;
use crate::household::Relation;

fn rules() -> &'static EligibilityRules {
    EligibilityRules::embedded()
}

fn single(birth: Date) -> Vec<Member> {
    vec![Member {
        birth_date: birth,
        relation: Relation::MainApplicant,
    }]
}

/// A complete application of a household in temporary accommodation (so without a dwelling).
fn form(income_kr: i64) -> ApplicationForm {
    ApplicationForm {
        current_housing: Some(CurrentHousing::TemporaryAccommodation),
        reasons: vec![Reason::Economy],
        lawful_residence: Some(true),
        registered_in_municipality_since: Some(date!(2015 - 01 - 01)),
        rent_arrears: Some(false),
        economy: vec![MemberEconomy {
            incomes: vec![(IncomeKind::Wages, income_kr)],
            net_wealth_kr: 0,
        }],
        confirmed: true,
        ..Default::default()
    }
}

fn run(number: &str, members: &[Member], form: &ApplicationForm, date: Date, overrides: &[Override]) -> Assessment {
    assess(
        rules(),
        &Facts {
            case_type: CaseType::MunicipalHousing,
            municipality_number: number,
            date,
            members,
            form,
            finance: None,
            affordability: None,
        },
        overrides,
    )
    .unwrap()
}

/// The catalogue key of a text of the assessment.
fn key(wording: &Wording) -> &str {
    match wording {
        Wording::Message(m) => &m.key,
        other => panic!("not a catalogue message: {other:?}"),
    }
}

/// A plain argument of a text of the assessment.
fn arg<'a>(wording: &'a Wording, name: &str) -> &'a str {
    match wording {
        Wording::Message(m) => match m.args.get(name) {
            Some(StoredArg::Text(text) | StoredArg::Decimal(text)) => text,
            other => panic!("no plain `{name}` in {m:?}: {other:?}"),
        },
        other => panic!("not a catalogue message: {other:?}"),
    }
}

fn result<'a>(a: &'a Assessment, rule: &str) -> &'a RuleResult {
    a.results
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} in {a:?}"))
}

/// Oslo-like rules (2024): a single person's income cap is 4 G; G from May 2026 is 136 549.
#[test]
fn income_exactly_at_the_cap_is_within_it() {
    let members = single(date!(1980 - 01 - 01));
    let day = date!(2026 - 06 - 15);
    let cap = 4 * 136_549;
    let at = run("0301", &members, &form(cap), day, &[]);
    assert_eq!(result(&at, "income_cap").computed, RuleOutcome::Met);
    let above = run("0301", &members, &form(cap + 1), day, &[]);
    assert_eq!(result(&above, "income_cap").computed, RuleOutcome::NotMet);
    assert_eq!(above.overall, RuleOutcome::NotMet);
    assert!(
        matches!(&result(&above, "income_cap").facts[1].value, Wording::Value(v) if v.contains("4 G")),
        "{:?}",
        result(&above, "income_cap").facts[1]
    );
    assert!(
        above.unverified.iter().any(|u| u.table == "grunnbelop"),
        "the 2026 G is unverified"
    );
}

#[test]
fn oslo_does_not_count_members_under_20_from_2024() {
    let members = vec![
        Member {
            birth_date: date!(1980 - 01 - 01),
            relation: Relation::MainApplicant,
        },
        Member {
            birth_date: date!(2007 - 03 - 01),
            relation: Relation::Child,
        },
    ];
    let mut f = form(500_000);
    f.economy.push(MemberEconomy {
        incomes: vec![(IncomeKind::Wages, 200_000)],
        net_wealth_kr: 0,
    });
    let a = run("0301", &members, &f, date!(2026 - 06 - 15), &[]);
    // 5 G for two persons = 682 745; the 19-year-old's 200 000 does not count.
    assert_eq!(result(&a, "income_cap").computed, RuleOutcome::Met);
    let before = run("0301", &members, &f, date!(2023 - 06 - 15), &[]);
    assert_eq!(
        result(&before, "income_cap").computed,
        RuleOutcome::NotMet,
        "before 2024 everyone's income counted: 700 000 > 5 × 118 620"
    );
}

#[test]
fn botid_assets_and_refugees_in_oslo() {
    let members = single(date!(1990 - 01 - 01));
    let mut f = form(200_000);
    f.registered_in_municipality_since = Some(date!(2025 - 01 - 01));
    let a = run("0301", &members, &f, date!(2026 - 06 - 15), &[]);
    assert_eq!(result(&a, "botid").computed, RuleOutcome::NotMet);
    f.reasons.push(Reason::RefugeeBackground);
    let refugee = run("0301", &members, &f, date!(2026 - 06 - 15), &[]);
    assert_eq!(
        result(&refugee, "botid").computed,
        RuleOutcome::Manual,
        "settled refugees: an exception to consider"
    );
    f.economy[0].net_wealth_kr = 136_550;
    let wealthy = run("0301", &members, &f, date!(2026 - 06 - 15), &[]);
    assert_eq!(result(&wealthy, "asset_cap").computed, RuleOutcome::NotMet);
}

#[test]
fn drammen_has_no_fixed_caps_but_asks_for_judgement() {
    let a = run(
        "3301",
        &single(date!(1985 - 05 - 05)),
        &form(900_000),
        date!(2026 - 06 - 15),
        &[],
    );
    assert!(a.results.iter().all(|r| r.rule != "income_cap" && r.rule != "botid"));
    assert_eq!(result(&a, "other_instruments").computed, RuleOutcome::Manual);
    assert_eq!(a.overall, RuleOutcome::Manual);
    assert!(a.unverified.iter().any(|u| u.field == "children_per_bedroom"));
    assert!(a.rule_version.contains("3301 2020-02"), "{}", a.rule_version);
}

#[test]
fn age_and_its_exception_for_parents() {
    let young = date!(2009 - 01 - 01);
    let alone = run("3301", &single(young), &form(0), date!(2026 - 06 - 15), &[]);
    assert_eq!(result(&alone, "age").computed, RuleOutcome::NotMet);
    let with_child = vec![
        Member {
            birth_date: young,
            relation: Relation::MainApplicant,
        },
        Member {
            birth_date: date!(2025 - 10 - 01),
            relation: Relation::Child,
        },
    ];
    let parent = run("3301", &with_child, &form(0), date!(2026 - 06 - 15), &[]);
    assert_eq!(result(&parent, "age").computed, RuleOutcome::Manual);
}

/// Grunnloven § 104 and barnekonvensjonen art. 3: a household with children has their best
/// interests as a rule of its own, left to the caseworker's written assessment; it holds the
/// overall result open until assessed but is no condition the household fails.
#[test]
fn a_household_with_children_has_their_best_interests_to_assess() {
    let parent = date!(1985 - 01 - 01);
    let with_children = vec![
        Member {
            birth_date: parent,
            relation: Relation::MainApplicant,
        },
        Member {
            birth_date: date!(2019 - 03 - 01),
            relation: Relation::Child,
        },
        Member {
            birth_date: date!(2012 - 09 - 01),
            relation: Relation::Child,
        },
        Member {
            birth_date: date!(2006 - 09 - 01),
            relation: Relation::Child,
        },
    ];
    let judged = |outcome| Override {
        rule: "other_instruments".into(),
        outcome,
        reason: "Vurdert.".into(),
    };
    let children = |outcome| Override {
        rule: CHILDRENS_BEST_INTERESTS.into(),
        outcome,
        reason: "Barna går på skole i bydelen; flytting bør skje i nærområdet.".into(),
    };
    let day = date!(2026 - 06 - 15);
    let a = run("3301", &with_children, &form(150_000), day, &[judged(RuleOutcome::Met)]);
    let rule = result(&a, CHILDRENS_BEST_INTERESTS);
    assert_eq!(rule.computed, RuleOutcome::Manual);
    let ages = &rule.facts[0].value;
    assert_eq!(key(ages), "eligibility.list.and", "only those under 18, by age");
    assert_eq!((arg(ages, "rest"), arg(ages, "last")), ("7", "13"));
    assert_eq!(
        a.overall,
        RuleOutcome::Manual,
        "open until the children's interests are assessed"
    );
    for weighed in [RuleOutcome::Met, RuleOutcome::NotMet] {
        let a = run(
            "3301",
            &with_children,
            &form(150_000),
            day,
            &[judged(RuleOutcome::Met), children(weighed)],
        );
        assert_eq!(a.overall, RuleOutcome::Met, "weighed, not a condition: {weighed:?}");
    }
    let alone = run("3301", &single(parent), &form(150_000), day, &[]);
    assert!(alone.results.iter().all(|r| r.rule != CHILDRENS_BEST_INTERESTS));
}

#[test]
fn a_caseworker_override_counts_and_keeps_the_computed_result() {
    let members = single(date!(1980 - 01 - 01));
    let overrides = [Override {
        rule: "other_instruments".into(),
        outcome: RuleOutcome::Met,
        reason: "Har søkt startlån og fått avslag; bostøtte er innvilget, men dekker ikke behovet.".into(),
    }];
    let a = run("3301", &members, &form(150_000), date!(2026 - 06 - 15), &overrides);
    let r = result(&a, "other_instruments");
    assert_eq!(r.computed, RuleOutcome::Manual);
    assert_eq!(r.outcome(), RuleOutcome::Met);
    assert_eq!(a.overall, RuleOutcome::Met);
}

#[test]
fn section_6_cases_check_scope_and_need() {
    let members = single(date!(1980 - 01 - 01));
    let mut f = form(0);
    f.lawful_residence = Some(false);
    let a = assess(
        rules(),
        &Facts {
            case_type: CaseType::Section6Assistance,
            municipality_number: "3301",
            date: date!(2026 - 06 - 15),
            members: &members,
            form: &f,
            finance: None,
            affordability: None,
        },
        &[],
    )
    .unwrap();
    let rules: Vec<&str> = a.results.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(rules, ["lawful_residence", "need"]);
    assert_eq!(a.overall, RuleOutcome::NotMet);
}

#[test]
fn bedrooms_follow_the_household() {
    let day = date!(2026 - 06 - 15);
    let m = |birth: Date, relation| Member {
        birth_date: birth,
        relation,
    };
    let couple_three_children = [
        m(date!(1985 - 01 - 01), Relation::MainApplicant),
        m(date!(1986 - 01 - 01), Relation::Spouse),
        m(date!(2015 - 01 - 01), Relation::Child),
        m(date!(2018 - 01 - 01), Relation::Child),
        m(date!(2021 - 01 - 01), Relation::Child),
    ];
    assert_eq!(bedrooms_needed(&couple_three_children, day, 2), 3);
    let with_adult_child = [
        m(date!(1970 - 01 - 01), Relation::MainApplicant),
        m(date!(2004 - 01 - 01), Relation::Child),
    ];
    assert_eq!(
        bedrooms_needed(&with_adult_child, day, 2),
        2,
        "a 22-year-old needs a room of their own"
    );
}

proptest! {
    /// Needs, wishes and consents are not eligibility facts: no rule result moves with them.
    #[test]
    fn unrelated_facts_change_no_rule_result(
        income in 0i64..1_000_000,
        pets in any::<bool>(),
        wheelchair in any::<bool>(),
        areas in prop::collection::vec("[a-zæøå]{1,12}", 0..5),
        text in "[a-zA-Z ]{0,40}",
        number in prop::sample::select(vec!["0301", "3301", "1875"]),
    ) {
        let members = single(date!(1980 - 01 - 01));
        let base = form(income);
        let mut other = base.clone();
        other.pets = pets;
        other.wheelchair_access = wheelchair;
        other.preferred_areas = areas.clone();
        other.areas_to_avoid = areas;
        other.needs_text = text.clone();
        other.current_housing_text = text;
        let day = date!(2026 - 06 - 15);
        let a = run(number, &members, &base, day, &[]);
        let b = run(number, &members, &other, day, &[]);
        prop_assert_eq!(a, b);
    }

    /// More income never turns a met income rule into a better result.
    #[test]
    fn more_income_never_helps(income in 0i64..1_000_000, extra in 1i64..500_000) {
        let members = single(date!(1980 - 01 - 01));
        let day = date!(2026 - 06 - 15);
        let low = run("0301", &members, &form(income), day, &[]);
        let high = run("0301", &members, &form(income + extra), day, &[]);
        if result(&low, "income_cap").computed == RuleOutcome::NotMet {
            prop_assert_eq!(result(&high, "income_cap").computed, RuleOutcome::NotMet);
        }
    }
}

mod finance_cases {
    use super::*;
    use crate::finance::{CaseFinance, GrantCase, GrantType, LoanPurpose, MeansTestException, StartlanCase, Tenure};
    use crate::startlan::{ExtendedTermConditions, StartlanRules, assess as affordability};

    fn finance_run(case_type: CaseType, finance: Option<&CaseFinance>, with_result: bool) -> Assessment {
        let members = [Member {
            birth_date: date!(1985 - 04 - 02),
            relation: Relation::MainApplicant,
        }];
        let f = form(0);
        let result = match finance {
            Some(CaseFinance::Startlan(s)) if with_result => {
                Some(affordability(&s.affordability, StartlanRules::embedded()).unwrap())
            }
            _ => None,
        };
        assess(
            rules(),
            &Facts {
                case_type,
                municipality_number: "3301",
                date: date!(2026 - 06 - 15),
                members: &members,
                form: &f,
                finance,
                affordability: result.as_ref(),
            },
            &[],
        )
        .unwrap()
    }

    fn startlan(income_kr: i64, term_years: u32) -> CaseFinance {
        let mut input = crate::startlan::input::tests::example();
        input.income_after_tax_kr = income_kr;
        input.loans.startlan.term_years = term_years;
        if term_years > 30 {
            input.loans.startlan.extended_term_reason = Some("Varig lav inntekt".into());
            input.loans.startlan.extended_term_conditions = Some(ExtendedTermConditions {
                lasting_low_income: true,
                dwelling_suits_long_term: true,
                renting_unsuitable: true,
                shorter_term_not_responsible: true,
                ..Default::default()
            });
        }
        CaseFinance::Startlan(StartlanCase {
            purpose: LoanPurpose::Purchase,
            exception: None,
            affordability: input,
        })
    }

    fn outcomes(a: &Assessment) -> Vec<(&str, RuleOutcome)> {
        a.results.iter().map(|r| (r.rule.as_str(), r.outcome())).collect()
    }

    #[test]
    fn a_startlan_case_lists_the_means_test_the_affordability_and_the_dwelling() {
        use RuleOutcome::*;
        let ok = finance_run(CaseType::Startlan, Some(&startlan(60_000, 30)), true);
        assert_eq!(
            outcomes(&ok),
            [
                ("age", Met),
                ("means_test", Manual),
                ("affordability", Met),
                ("modest_dwelling", Manual)
            ]
        );
        let poor = finance_run(CaseType::Startlan, Some(&startlan(20_000, 30)), true);
        assert_eq!(poor.results[2].outcome(), NotMet);
        assert_eq!(poor.overall, NotMet);
        assert_eq!(
            key(&poor.results[2].explanation),
            "eligibility.rule.affordability.not_met"
        );
        assert_eq!(arg(&poor.results[2].explanation, "rate"), "7 %");
        let long = finance_run(CaseType::Startlan, Some(&startlan(60_000, 45)), true);
        assert_eq!(long.results[3].rule, "extended_term");
        assert_eq!(long.results[3].outcome(), Met);
        let uncalculated = finance_run(CaseType::Startlan, Some(&startlan(60_000, 30)), false);
        assert_eq!(uncalculated.results[2].outcome(), Manual);
        let nothing = finance_run(CaseType::Startlan, None, false);
        assert_eq!(outcomes(&nothing), [("age", Met), ("economy", Manual)]);
    }

    #[test]
    fn an_exception_from_the_means_test_is_met() {
        let mut finance = startlan(60_000, 30);
        if let CaseFinance::Startlan(s) = &mut finance {
            s.exception = Some(MeansTestException::MunicipalTenant);
        }
        let a = finance_run(CaseType::Startlan, Some(&finance), true);
        assert_eq!(a.results[1].outcome(), RuleOutcome::Met);
    }

    #[test]
    fn a_tenant_needs_the_landlords_consent_to_adapt() {
        let grant = |consent| {
            CaseFinance::Grant(GrantCase {
                grant: GrantType::Adaptation,
                purpose: "Trappeheis".into(),
                cost_kr: 120_000,
                applied_kr: 80_000,
                tenure: Tenure::Tenant,
                landlord_consent: consent,
                startlan_reference: None,
            })
        };
        let without = finance_run(CaseType::AdaptationGrant, Some(&grant(false)), false);
        let consent = without.results.iter().find(|r| r.rule == "landlord_consent").unwrap();
        assert_eq!(consent.outcome(), RuleOutcome::NotMet);
        assert_eq!(without.overall, RuleOutcome::NotMet);
        let with = finance_run(CaseType::AdaptationGrant, Some(&grant(true)), false);
        assert_eq!(with.overall, RuleOutcome::Manual);
    }

    #[test]
    fn an_establishment_grant_names_its_start_loan() {
        let finance = CaseFinance::Grant(GrantCase {
            grant: GrantType::Establishment,
            purpose: "Kjøp av leilighet".into(),
            cost_kr: 3_080_000,
            applied_kr: 200_000,
            tenure: Tenure::Owner,
            landlord_consent: false,
            startlan_reference: Some("2026-000007".into()),
        });
        let a = finance_run(CaseType::EstablishmentGrant, Some(&finance), false);
        let rules: Vec<_> = a.results.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(rules, ["age", "means_test", "startlan_combined"]);
        assert_eq!(arg(&a.results[2].explanation, "reference"), "2026-000007");
    }

    #[test]
    fn facts_read_as_kept_with_older_decisions() {
        let old: Fact = serde_json::from_value(serde_json::json!(["Restanse / Arrears", "ja / yes"])).unwrap();
        let written = |nb: &str, nn: &str, en: &str| {
            Wording::Written(Text {
                nb: nb.into(),
                nn: nn.into(),
                en: en.into(),
            })
        };
        assert_eq!(old.label, written("Restanse", "Restanse", "Arrears"));
        assert_eq!(old.value, written("ja", "ja", "yes"));
        let plain: Fact = serde_json::from_value(serde_json::json!(["Lån / Loan", "1 500 000 kr"])).unwrap();
        assert_eq!(plain.value, Wording::Value("1 500 000 kr".into()));
        let now = super::assess::fact("eligibility.fact.required_years", "3".to_string());
        let again: Fact = serde_json::from_value(serde_json::to_value(&now).unwrap()).unwrap();
        assert_eq!(again, now);
    }
}

/// Drammen's guidelines 2020, § 2: the applicant must "være eller være i ferd med å bli uten egnet
/// bolig". Without a dwelling of one's own it is met; losing the present one within the rule's
/// three months (the day itself counts) it is met; otherwise it is the caseworker's judgement.
#[test]
fn without_a_suitable_dwelling_follows_the_housing_situation_and_when_it_ends() {
    let members = single(date!(1980 - 01 - 01));
    let day = date!(2026 - 06 - 15);
    let cases = [
        (Some(CurrentHousing::Homeless), None, RuleOutcome::Met),
        (Some(CurrentHousing::TemporaryAccommodation), None, RuleOutcome::Met),
        (
            Some(CurrentHousing::PrivateRental),
            Some(date!(2026 - 09 - 15)),
            RuleOutcome::Met,
        ),
        (
            Some(CurrentHousing::Institution),
            Some(date!(2026 - 07 - 01)),
            RuleOutcome::Met,
        ),
        (
            Some(CurrentHousing::WithFamilyOrFriends),
            Some(date!(2026 - 05 - 01)),
            RuleOutcome::Met,
        ),
        (
            Some(CurrentHousing::PrivateRental),
            Some(date!(2026 - 09 - 16)),
            RuleOutcome::Manual,
        ),
        (Some(CurrentHousing::PrivateRental), None, RuleOutcome::Manual),
        (Some(CurrentHousing::OwnHome), None, RuleOutcome::Manual),
        (None, None, RuleOutcome::Manual),
    ];
    for (housing, ends, expected) in cases {
        let mut f = form(300_000);
        f.current_housing = housing;
        f.current_housing_ends = ends;
        let a = run("3301", &members, &f, day, &[]);
        let rule = result(&a, "without_suitable_dwelling");
        assert_eq!(rule.computed, expected, "{housing:?} ending {ends:?}: {rule:?}");
        assert!(
            a.used.iter().any(|u| u.field == "losing_dwelling_within_months"),
            "the months are a cited rule value"
        );
        if let Some(ends) = ends.filter(|_| expected == RuleOutcome::Met) {
            let written = crate::validation::format_date(ends);
            assert_eq!(arg(&rule.explanation, "ends"), written, "{:?}", rule.explanation);
            assert_eq!(
                key(&rule.explanation),
                "eligibility.rule.without_suitable_dwelling.losing",
                "{:?}",
                rule.explanation
            );
        }
    }
}

/// Where the household lives is never a raw code, in any language.
#[test]
fn the_dwelling_rule_names_the_housing_in_words() {
    let members = single(date!(1980 - 01 - 01));
    let mut f = form(300_000);
    f.current_housing = Some(CurrentHousing::WithFamilyOrFriends);
    let a = run("3301", &members, &f, date!(2026 - 06 - 15), &[]);
    let rule = result(&a, "without_suitable_dwelling");
    assert_eq!(key(&rule.facts[0].value), "eligibility.housing.with_family_or_friends");
    assert_eq!(key(&rule.facts[1].value), "eligibility.answer.not_given");
    assert_eq!(
        rule.facts.len(),
        2,
        "the applicant's own description stays on the case page"
    );
}

/// Assessments kept with decisions read as they were written: the `{nb, nn, en}` texts of
/// 2026, the `["bokmål / English", "value"]` facts before them, and the catalogue messages now.
#[test]
fn stored_rule_results_of_every_shape_read_back() {
    use serde_json::json;
    let text = |nb: &str, nn: &str, en: &str| {
        Wording::Written(Text {
            nb: nb.into(),
            nn: nn.into(),
            en: en.into(),
        })
    };
    let cases: [(serde_json::Value, Option<Wording>, Vec<Fact>, Wording); 3] = [
        (
            json!({
                "rule": "rent_arrears",
                "name": {"nb": "Husleierestanse", "nn": "Husleigerestanse", "en": "Rent arrears"},
                "facts": [{"label": {"nb": "Restanse", "nn": "Restanse", "en": "Arrears"},
                           "value": {"nb": "nei", "nn": "nei", "en": "no"}}],
                "computed": "met",
                "explanation": {"nb": "Husstanden har ikke husleierestanse.",
                                "nn": "Hushaldet har ikkje husleigerestanse.",
                                "en": "The household has no rent arrears."},
                "overridden": null
            }),
            Some(text("Husleierestanse", "Husleigerestanse", "Rent arrears")),
            vec![Fact {
                label: text("Restanse", "Restanse", "Arrears"),
                value: text("nei", "nei", "no"),
            }],
            text(
                "Husstanden har ikke husleierestanse.",
                "Hushaldet har ikkje husleigerestanse.",
                "The household has no rent arrears.",
            ),
        ),
        (
            json!({
                "rule": "rent_arrears",
                "name": {"nb": "Husleierestanse", "nn": "Husleigerestanse", "en": "Rent arrears"},
                "facts": [["Restanse / Arrears", "ja / yes"], ["Beløp / Amount", "12 000 kr"]],
                "computed": "not_met",
                "explanation": {"nb": "Restanse.", "nn": "Restanse.", "en": "Arrears."},
                "overridden": null
            }),
            Some(text("Husleierestanse", "Husleigerestanse", "Rent arrears")),
            vec![
                Fact {
                    label: text("Restanse", "Restanse", "Arrears"),
                    value: text("ja", "ja", "yes"),
                },
                Fact {
                    label: text("Beløp", "Beløp", "Amount"),
                    value: Wording::Value("12 000 kr".into()),
                },
            ],
            text("Restanse.", "Restanse.", "Arrears."),
        ),
        (
            json!({
                "rule": "botid",
                "facts": [{"label": {"key": "eligibility.fact.required_years"}, "value": "3"}],
                "computed": "not_met",
                "explanation": {"key": "eligibility.rule.botid.not_met", "args": {"required": {"text": "3"}}},
                "overridden": null
            }),
            None,
            vec![super::assess::fact("eligibility.fact.required_years", "3")],
            StoredMessage::new("eligibility.rule.botid.not_met")
                .arg("required", 3)
                .into(),
        ),
    ];
    for (stored, name, facts, explanation) in cases {
        let read: RuleResult = serde_json::from_value(stored.clone()).expect("a kept rule result reads");
        assert_eq!(read.written_name, name, "{stored}");
        assert_eq!(read.facts, facts, "{stored}");
        assert_eq!(read.explanation, explanation, "{stored}");
        // And what is written now reads back the same.
        let again: RuleResult = serde_json::from_value(serde_json::to_value(&read).unwrap()).unwrap();
        assert_eq!(again, read);
    }
    let now: RuleResult = serde_json::from_value(json!({
        "rule": "age", "facts": [], "computed": "met",
        "explanation": {"key": "eligibility.rule.age_of_majority.met"}, "overridden": null
    }))
    .unwrap();
    assert_eq!(
        now.name(CaseType::Startlan),
        Wording::from(StoredMessage::new("eligibility.rule.age_of_majority.name"))
    );
    assert_eq!(
        now.name(CaseType::MunicipalHousing),
        Wording::from(StoredMessage::new("eligibility.rule.age.name"))
    );
}
