//! Households: who lives together, where, and from when.

use crate::national_id::SyntheticPolicy;
use crate::person::{PersonInput, ValidPerson, validate_person};
use crate::validation::{Errors, FieldError};
use serde::{Deserialize, Serialize};

/// A member's relation to the household's main applicant (*hovedsøker*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    MainApplicant,
    Spouse,
    Cohabitant,
    Child,
    OtherAdult,
}

impl Relation {
    pub const ALL: [Relation; 5] = [
        Relation::MainApplicant,
        Relation::Spouse,
        Relation::Cohabitant,
        Relation::Child,
        Relation::OtherAdult,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Relation::MainApplicant => "main_applicant",
            Relation::Spouse => "spouse",
            Relation::Cohabitant => "cohabitant",
            Relation::Child => "child",
            Relation::OtherAdult => "other_adult",
        }
    }

    pub fn from_code(code: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Most members one household may have; larger inputs are refused rather than stored.
pub const MAX_MEMBERS: usize = 20;

/// A household member as typed: the person's fields and the relation, side by side (not nested,
/// so that an API error can name `members[1].given_name` exactly).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MemberInput {
    pub national_id: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    pub preferred_language: String,
    pub relation: String,
}

impl MemberInput {
    pub fn person(&self) -> PersonInput {
        PersonInput {
            national_id: self.national_id.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            preferred_language: self.preferred_language.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HouseholdInput {
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub from_date: String,
    pub to_date: String,
    pub members: Vec<MemberInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    pub person: ValidPerson,
    pub relation: Relation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHousehold {
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub from_date: time::Date,
    pub to_date: Option<time::Date>,
    pub members: Vec<ValidMember>,
}

/// Validates a whole household and reports every problem at once. Blank member rows (as a form
/// with spare rows sends them) are ignored; their positions still count in field paths so the
/// error lands next to the row the user typed in.
pub fn validate_household(input: &HouseholdInput, policy: SyntheticPolicy) -> Result<ValidHousehold, Vec<FieldError>> {
    let mut errors = Errors::default();
    let address_line = errors.required_text("address_line", &input.address_line);
    let postal_code = errors
        .required_text("postal_code", &input.postal_code)
        .and_then(|code| check_postal_code(code, &mut errors));
    let postal_city = errors.required_text("postal_city", &input.postal_city);
    let from_date = if input.from_date.trim().is_empty() {
        errors.push(FieldError::required("from_date"));
        None
    } else {
        errors.optional_date("from_date", &input.from_date)
    };
    let to_date = errors.optional_date("to_date", &input.to_date);
    if let (Some(from), Some(to)) = (from_date, to_date)
        && to < from
    {
        errors.push(FieldError::new(
            "to_date",
            "to_date.before_from",
            "Til-datoen kan ikke være før fra-datoen.",
            "The end date cannot be before the start date.",
        ));
    }
    let members = validate_members(&input.members, policy, &mut errors);
    errors.into_result(()).and_then(|()| {
        Ok(ValidHousehold {
            address_line: address_line.unwrap_or_default(),
            postal_code: postal_code.unwrap_or_default(),
            postal_city: postal_city.unwrap_or_default(),
            from_date: from_date.ok_or_else(Vec::new)?,
            to_date,
            members,
        })
    })
}

fn check_postal_code(code: String, errors: &mut Errors) -> Option<String> {
    if code.len() == 4 && code.chars().all(|c| c.is_ascii_digit()) {
        Some(code)
    } else {
        errors.push(FieldError::new(
            "postal_code",
            "postal_code.invalid",
            "Postnummeret må ha fire sifre.",
            "The postal code must have four digits.",
        ));
        None
    }
}

fn validate_members(inputs: &[MemberInput], policy: SyntheticPolicy, errors: &mut Errors) -> Vec<ValidMember> {
    if inputs.len() > MAX_MEMBERS {
        errors.push(FieldError::new(
            "members",
            "members.too_many",
            format!("En husstand kan ha høyst {MAX_MEMBERS} medlemmer."),
            format!("A household can have at most {MAX_MEMBERS} members."),
        ));
        return Vec::new();
    }
    let mut members: Vec<ValidMember> = Vec::new();
    let mut main_applicants = 0;
    for (index, input) in inputs.iter().enumerate() {
        let person_input = input.person();
        if person_input.is_blank() && input.relation.trim().is_empty() {
            continue;
        }
        let prefix = format!("members[{index}].");
        let relation = match input.relation.trim() {
            "" => {
                errors.push(FieldError::required(format!("{prefix}relation")));
                None
            }
            code => Relation::from_code(code).or_else(|| {
                let allowed: Vec<&str> = Relation::ALL.iter().map(|r| r.code()).collect();
                errors.push(FieldError::unknown_value(format!("{prefix}relation"), code, &allowed));
                None
            }),
        };
        main_applicants += usize::from(relation == Some(Relation::MainApplicant));
        let Some(person) = validate_person(&prefix, &person_input, policy, errors) else {
            continue;
        };
        if members.iter().any(|m| m.person.national_id == person.national_id) {
            errors.push(FieldError::new(
                format!("{prefix}national_id"),
                "members.duplicate",
                "Denne personen står allerede i husstanden.",
                "This person is already a member of the household.",
            ));
            continue;
        }
        if let Some(relation) = relation {
            members.push(ValidMember { person, relation });
        }
    }
    if inputs.iter().all(|m| m.person().is_blank()) {
        errors.push(FieldError::new(
            "members",
            "members.empty",
            "Husstanden må ha minst ett medlem.",
            "The household must have at least one member.",
        ));
    } else if main_applicants != 1 {
        errors.push(FieldError::new(
            "members",
            "members.main_applicant",
            "Husstanden må ha nøyaktig én hovedsøker.",
            "The household must have exactly one main applicant.",
        ));
    }
    members
}
