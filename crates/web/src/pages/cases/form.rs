//! The application form as a web form: reading a posted form into an [`ApplicationForm`] and
//! back into the values the template shows.

use husly_domain::bostotte::IncomeKind;
use husly_domain::cases::{ApplicationForm, Consent, CurrentHousing, MemberEconomy, Reason};
use husly_domain::validation::{FieldError, format_date};

use crate::error::AppError;
use crate::forms::{FormFields, checkbox};
use serde::Deserialize;

/// What the template shows in each field (as typed, or from the stored form). A posted form is
/// bound to it field by field (the names are the template's); a field left out is empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FormValues {
    pub current_housing: String,
    pub current_housing_text: String,
    pub current_housing_ends: String,
    pub reasons: Vec<String>,
    pub reasons_text: String,
    #[serde(deserialize_with = "checkbox")]
    pub wheelchair_access: bool,
    #[serde(deserialize_with = "checkbox")]
    pub ground_floor_or_lift: bool,
    #[serde(deserialize_with = "checkbox")]
    pub pets: bool,
    pub preferred_areas: String,
    pub areas_to_avoid: String,
    pub needs_text: String,
    /// One per member (`economy[0].income`, …), read by [`FormValues::from_post`].
    #[serde(skip)]
    pub incomes: Vec<String>,
    /// One per member (`economy[0].wealth`, …).
    #[serde(skip)]
    pub wealth: Vec<String>,
    pub lawful_residence: String,
    #[serde(rename = "registered_in_municipality_since")]
    pub registered_since: String,
    pub rent_arrears: String,
    pub evicted_on: String,
    pub consents: Vec<String>,
    #[serde(deserialize_with = "checkbox")]
    pub existing_tenant: bool,
    #[serde(deserialize_with = "checkbox")]
    pub confirmed: bool,
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

fn areas(list: &[String]) -> String {
    list.join(", ")
}

impl FormValues {
    pub fn housing_codes(&self) -> Vec<&'static str> {
        CurrentHousing::ALL.iter().map(|c| c.code()).collect()
    }

    pub fn reason_codes(&self) -> Vec<&'static str> {
        Reason::ALL.iter().map(|r| r.code()).collect()
    }

    pub fn consent_codes(&self) -> Vec<&'static str> {
        Consent::ALL.iter().map(|c| c.code()).collect()
    }

    pub fn income_at(&self, i: &usize) -> &str {
        self.incomes.get(*i).map_or("", String::as_str)
    }

    pub fn wealth_at(&self, i: &usize) -> &str {
        self.wealth.get(*i).map_or("", String::as_str)
    }

    pub fn has_reason(&self, code: &&str) -> bool {
        self.reasons.iter().any(|r| r == code)
    }

    pub fn has_consent(&self, code: &&str) -> bool {
        self.consents.iter().any(|c| c == code)
    }

    pub fn of(form: &ApplicationForm, members: usize) -> FormValues {
        let mut incomes = Vec::with_capacity(members);
        let mut wealth = Vec::with_capacity(members);
        for i in 0..members {
            let economy = form.economy.get(i);
            incomes.push(economy.map_or(String::new(), |e| {
                e.incomes
                    .iter()
                    .filter(|(k, _)| k.is_taxable())
                    .map(|(_, kr)| kr)
                    .sum::<i64>()
                    .to_string()
            }));
            wealth.push(economy.map_or(String::new(), |e| e.net_wealth_kr.to_string()));
        }
        FormValues {
            current_housing: form.current_housing.map(|c| c.code().to_string()).unwrap_or_default(),
            current_housing_text: form.current_housing_text.clone(),
            current_housing_ends: form.current_housing_ends.map(format_date).unwrap_or_default(),
            reasons: form.reasons.iter().map(|r| r.code().to_string()).collect(),
            reasons_text: form.reasons_text.clone(),
            wheelchair_access: form.wheelchair_access,
            ground_floor_or_lift: form.ground_floor_or_lift,
            pets: form.pets,
            preferred_areas: areas(&form.preferred_areas),
            areas_to_avoid: areas(&form.areas_to_avoid),
            needs_text: form.needs_text.clone(),
            incomes,
            wealth,
            lawful_residence: yes_no(form.lawful_residence),
            registered_since: form
                .registered_in_municipality_since
                .map(format_date)
                .unwrap_or_default(),
            rent_arrears: yes_no(form.rent_arrears),
            evicted_on: form.evicted_on.map(format_date).unwrap_or_default(),
            consents: form.consents.iter().map(|c| c.code().to_string()).collect(),
            existing_tenant: form.existing_tenant,
            confirmed: form.confirmed,
        }
    }

    /// The posted form with its economy rows: as many as posted, or one per member when the
    /// number of members is known here (the use case checks the count otherwise).
    pub fn from_post(fields: &FormFields, members: Option<usize>) -> Result<FormValues, AppError> {
        /// One member's row of the economy table (`economy[i].income`, `economy[i].wealth`).
        #[derive(Default, Deserialize)]
        #[serde(default)]
        struct EconomyRow {
            income: String,
            wealth: String,
        }
        #[derive(Deserialize)]
        struct EconomyTable {
            #[serde(default)]
            economy: Vec<EconomyRow>,
        }
        let mut values: FormValues = fields.bind()?;
        let mut rows = fields.bind::<EconomyTable>()?.economy;
        if let Some(members) = members {
            rows.resize_with(members, EconomyRow::default);
        }
        (values.incomes, values.wealth) = rows.into_iter().map(|row| (row.income, row.wealth)).unzip();
        Ok(values)
    }

    /// The application the values describe, or every field error at once.
    pub fn to_form(&self) -> Result<ApplicationForm, Vec<FieldError>> {
        let mut errors = Vec::new();
        let choice = |errors: &mut Vec<FieldError>, field: &str, value: &str, allowed: &[&str]| {
            if !value.is_empty() && !allowed.contains(&value) {
                errors.push(FieldError::unknown_value(field, value, allowed));
            }
        };
        let housing_codes: Vec<&str> = CurrentHousing::ALL.iter().map(|c| c.code()).collect();
        choice(&mut errors, "current_housing", &self.current_housing, &housing_codes);
        let reason_codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        for reason in &self.reasons {
            choice(&mut errors, "reasons", reason, &reason_codes);
        }
        let consent_codes: Vec<&str> = Consent::ALL.iter().map(|c| c.code()).collect();
        for consent in &self.consents {
            choice(&mut errors, "consents", consent, &consent_codes);
        }
        let yes_no = |errors: &mut Vec<FieldError>, field: &str, value: &str| match value {
            "yes" => Some(true),
            "no" => Some(false),
            "" => None,
            other => {
                errors.push(FieldError::unknown_value(field, other, &["yes", "no"]));
                None
            }
        };
        let lawful_residence = yes_no(&mut errors, "lawful_residence", &self.lawful_residence);
        let rent_arrears = yes_no(&mut errors, "rent_arrears", &self.rent_arrears);
        let date = |errors: &mut Vec<FieldError>, field: &str, value: &str| {
            husly_domain::cases::application::optional_date(errors, field, value)
        };
        let current_housing_ends = date(&mut errors, "current_housing_ends", &self.current_housing_ends);
        let registered = date(&mut errors, "registered_in_municipality_since", &self.registered_since);
        let evicted_on = date(&mut errors, "evicted_on", &self.evicted_on);
        let mut economy = Vec::new();
        let any_economy = self.incomes.iter().chain(&self.wealth).any(|v| !v.trim().is_empty());
        if any_economy {
            for (i, (income, wealth)) in self.incomes.iter().zip(&self.wealth).enumerate() {
                let income = amount(&mut errors, &format!("economy[{i}].income"), income, false);
                let wealth = amount(&mut errors, &format!("economy[{i}].wealth"), wealth, true);
                economy.push(MemberEconomy {
                    incomes: income
                        .filter(|kr| *kr > 0)
                        .map(|kr| vec![(IncomeKind::OtherTaxable, kr)])
                        .unwrap_or_default(),
                    net_wealth_kr: wealth.unwrap_or(0),
                });
            }
        }
        let split = |text: &str| -> Vec<String> {
            text.split([',', '\n'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ApplicationForm {
            current_housing: CurrentHousing::ALL
                .into_iter()
                .find(|c| c.code() == self.current_housing),
            current_housing_text: self.current_housing_text.trim().to_string(),
            current_housing_ends,
            reasons: Reason::ALL
                .into_iter()
                .filter(|r| self.reasons.iter().any(|c| c == r.code()))
                .collect(),
            reasons_text: self.reasons_text.trim().to_string(),
            wheelchair_access: self.wheelchair_access,
            ground_floor_or_lift: self.ground_floor_or_lift,
            pets: self.pets,
            preferred_areas: split(&self.preferred_areas),
            areas_to_avoid: split(&self.areas_to_avoid),
            needs_text: self.needs_text.trim().to_string(),
            economy,
            lawful_residence,
            registered_in_municipality_since: registered,
            rent_arrears,
            evicted_on,
            consents: Consent::ALL
                .into_iter()
                .filter(|c| self.consents.iter().any(|v| v == c.code()))
                .collect(),
            existing_tenant: self.existing_tenant,
            confirmed: self.confirmed,
        })
    }
}

/// Whole kroner as typed (see [`husly_domain::validation::parse_kr`]); empty is 0 for the
/// economy rows.
fn amount(errors: &mut Vec<FieldError>, field: &str, text: &str, may_be_negative: bool) -> Option<i64> {
    if text.trim().is_empty() {
        return Some(0);
    }
    match husly_domain::validation::parse_kr(text) {
        Some(kr) if (may_be_negative || kr >= 0) && kr.abs() <= husly_domain::bostotte::MAX_AMOUNT_KR => Some(kr),
        _ => {
            errors.push(FieldError::new(field, "invalid_amount", "error.application.amount"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(pairs: &[(&str, &str)]) -> FormFields {
        FormFields(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn a_posted_form_round_trips() {
        let fields = post(&[
            ("current_housing", "private_rental"),
            ("reasons", "economy"),
            ("reasons", "violence"),
            ("economy[0].income", "250 000"),
            ("economy[0].wealth", "-5 000"),
            ("lawful_residence", "yes"),
            ("registered_in_municipality_since", "01.02.2020"),
            ("rent_arrears", "no"),
            ("preferred_areas", "Strømsø, Fjell"),
            ("consents", "nav"),
            ("confirmed", "1"),
        ]);
        let form = FormValues::from_post(&fields, Some(1)).unwrap().to_form().unwrap();
        assert_eq!(form.reasons, [Reason::Economy, Reason::Violence]);
        assert_eq!(form.economy[0].incomes, [(IncomeKind::OtherTaxable, 250_000)]);
        assert_eq!(form.economy[0].net_wealth_kr, -5_000);
        assert_eq!(form.preferred_areas, ["Strømsø", "Fjell"]);
        assert!(form.missing_for_submission(1).is_empty());
        let back = FormValues::of(&form, 1);
        assert_eq!(back.incomes, ["250000"]);
        assert_eq!(back.registered_since, "01.02.2020");
    }

    #[test]
    fn bad_values_are_named() {
        let fields = post(&[
            ("current_housing", "castle"),
            ("economy[0].income", "lots"),
            ("lawful_residence", "maybe"),
            ("evicted_on", "31.02.2024"),
        ]);
        let errors = FormValues::from_post(&fields, Some(1)).unwrap().to_form().unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            names,
            ["current_housing", "lawful_residence", "evicted_on", "economy[0].income"]
        );
    }
}
