//! What the applicant answered, as the case page shows it read-only: each answer with its
//! question, in words from the catalogue (never a code), "Ikke oppgitt" where nothing was given.

use crate::i18n::Tr;
use husly_domain::cases::ApplicationForm;
use husly_domain::validation::{format_date, format_kr};
use husly_store::households::Household;
use time::Date;

/// One answer: the question's label and the answer in words.
pub struct Answer {
    pub label: String,
    pub text: String,
}

pub fn answers(form: &ApplicationForm, household: &Household, tr: Tr) -> Vec<Answer> {
    let not_given = || tr.t("common.not_given").to_string();
    let yes_no = |value: Option<bool>| match value {
        Some(true) => tr.t("economy.yes").to_string(),
        Some(false) => tr.t("economy.no").to_string(),
        None => not_given(),
    };
    let date = |value: Option<Date>| value.map_or_else(not_given, format_date);
    let list = |items: Vec<String>| {
        if items.is_empty() {
            not_given()
        } else {
            items.join(", ")
        }
    };
    let with_text = |answer: String, text: &str| match text.trim() {
        "" => answer,
        text => format!("{answer}. {text}"),
    };
    let needs: Vec<String> = [
        (form.wheelchair_access, "application.wheelchair_access"),
        (form.ground_floor_or_lift, "application.ground_floor_or_lift"),
        (form.pets, "application.pets"),
    ]
    .into_iter()
    .filter(|(given, _)| *given)
    .map(|(_, key)| tr.t(key).to_string())
    .collect();
    let rows = vec![
        (
            "application.current_housing",
            with_text(
                form.current_housing.map_or_else(not_given, |h| {
                    tr.t(&format!("current_housing.{}", h.code())).to_string()
                }),
                &form.current_housing_text,
            ),
        ),
        ("application.current_housing_ends", date(form.current_housing_ends)),
        (
            "application.reasons",
            with_text(
                list(
                    form.reasons
                        .iter()
                        .map(|r| tr.t(&format!("reason.{}", r.code())).to_string())
                        .collect(),
                ),
                &form.reasons_text,
            ),
        ),
        ("application.needs", with_text(list(needs), &form.needs_text)),
        ("application.preferred_areas", list(form.preferred_areas.clone())),
        ("application.areas_to_avoid", list(form.areas_to_avoid.clone())),
        ("application.lawful_residence", yes_no(form.lawful_residence)),
        (
            "application.registered_since",
            date(form.registered_in_municipality_since),
        ),
        ("application.rent_arrears", yes_no(form.rent_arrears)),
        ("application.evicted_on", date(form.evicted_on)),
        ("application.existing_tenant", yes_no(Some(form.existing_tenant))),
        (
            "application.consents",
            list(
                form.consents
                    .iter()
                    .map(|c| tr.t(&format!("consent.{}", c.code())).to_string())
                    .collect(),
            ),
        ),
        ("application.confirmed", yes_no(Some(form.confirmed))),
    ];
    let mut answers: Vec<Answer> = rows
        .into_iter()
        .map(|(key, text)| Answer {
            label: tr.t(key).to_string(),
            text,
        })
        .collect();
    // The economy, per member in household order: each income in words and kroner per year.
    for (member, economy) in household.members.iter().zip(&form.economy) {
        let incomes: Vec<String> = economy
            .incomes
            .iter()
            .map(|(kind, kr)| format!("{} {}", tr.t(&format!("income_kind.{}", kind.code())), format_kr(*kr)))
            .collect();
        let mut text = list(incomes);
        if economy.net_wealth_kr != 0 {
            text = format!(
                "{text}; {} {}",
                tr.t("case.answers_wealth"),
                format_kr(economy.net_wealth_kr)
            );
        }
        answers.push(Answer {
            label: tr.t("application.economy").to_string(),
            text: format!("{}: {text}", member.person.full_name()),
        });
    }
    answers
}
