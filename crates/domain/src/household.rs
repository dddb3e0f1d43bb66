//! Households: who lives together, where, and from when.

use crate::national_id::SyntheticPolicy;
use crate::person::{PersonInput, ValidPerson, validate_person};
use crate::postal::{PostalRegister, check_postal_address};
use crate::validation::{Errors, FieldError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A member's relation to the household's main applicant (*hovedsøker*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
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
/// `today` decides whether an identity number can still tell a birth date (see
/// [`crate::national_id::ParsedId::birth_date_on`]).
pub fn validate_household(
    input: &HouseholdInput,
    policy: SyntheticPolicy,
    today: time::Date,
) -> Result<ValidHousehold, Vec<FieldError>> {
    validate(input, policy, today, true)
}

/// [`validate_household`] for a household whose address is not stored (a member has *strengt
/// fortrolig adresse*): the address fields are left out, and the valid household has none.
pub fn validate_household_without_address(
    input: &HouseholdInput,
    policy: SyntheticPolicy,
    today: time::Date,
) -> Result<ValidHousehold, Vec<FieldError>> {
    validate(input, policy, today, false)
}

fn validate(
    input: &HouseholdInput,
    policy: SyntheticPolicy,
    today: time::Date,
    with_address: bool,
) -> Result<ValidHousehold, Vec<FieldError>> {
    let mut errors = Errors::default();
    let (address_line, (postal_code, postal_city)) = if with_address {
        (
            errors.required_text("address_line", &input.address_line),
            check_postal_address(
                PostalRegister::embedded(),
                &input.postal_code,
                &input.postal_city,
                &mut errors,
            ),
        )
    } else {
        (None, (None, None))
    };
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
            "error.household.to_date_before_from",
        ));
    }
    let members = validate_members(&input.members, policy, today, &mut errors);
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

fn validate_members(
    inputs: &[MemberInput],
    policy: SyntheticPolicy,
    today: time::Date,
    errors: &mut Errors,
) -> Vec<ValidMember> {
    if inputs.len() > MAX_MEMBERS {
        errors.push(
            FieldError::new("members", "members.too_many", "error.household.too_many_members").arg("max", MAX_MEMBERS),
        );
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
        let Some(person) = validate_person(&prefix, &person_input, policy, today, errors) else {
            continue;
        };
        if members.iter().any(|m| m.person.national_id == person.national_id) {
            errors.push(FieldError::new(
                format!("{prefix}national_id"),
                "members.duplicate",
                "error.household.member_duplicate",
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
            "error.household.no_members",
        ));
    } else if main_applicants != 1 {
        errors.push(FieldError::new(
            "members",
            "members.main_applicant",
            "error.household.main_applicant",
        ));
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::national_id::synthetic_tenor_next;
    use proptest::prelude::*;

    /// A day before 2032, when a classic number still tells the birth date.
    const TODAY: time::Date = time::macros::date!(2026 - 11 - 01);

    fn number(year: i32, individual: u16) -> String {
        let date = time::Date::from_calendar_date(year, time::Month::June, 15).unwrap();
        synthetic_tenor_next(date, individual).to_string()
    }

    fn wrong_last_digit(number: &str) -> String {
        let last = number.as_bytes()[10] - b'0';
        format!("{}{}", &number[..10], (last + 1) % 10)
    }

    fn member(national_id: &str, relation: &str) -> MemberInput {
        MemberInput {
            national_id: national_id.into(),
            given_name: "Tuva".into(),
            family_name: "Multemyr".into(),
            relation: relation.into(),
            ..Default::default()
        }
    }

    fn input(members: Vec<MemberInput>) -> HouseholdInput {
        HouseholdInput {
            address_line: "Øvingsgata 1".into(),
            postal_code: "3015".into(),
            postal_city: "Drammen".into(),
            from_date: "01.01.2025".into(),
            to_date: String::new(),
            members,
        }
    }

    fn codes(result: Result<ValidHousehold, Vec<FieldError>>) -> Vec<(String, &'static str)> {
        crate::validation::error_codes(result)
    }

    #[test]
    fn a_valid_household_with_blank_rows() {
        let valid = validate_household(
            &input(vec![
                member(&number(1980, 100), "main_applicant"),
                MemberInput::default(),
                member(&number(2012, 600), "child"),
            ]),
            SyntheticPolicy::Allow,
            TODAY,
        )
        .unwrap();
        assert_eq!(valid.members.len(), 2);
        assert_eq!(valid.members[1].relation, Relation::Child);
        assert_eq!(valid.members[1].person.birth_date, time::macros::date!(2012 - 06 - 15));
    }

    /// From 2032 a number no longer tells the century (a person born in 1932 may get a number
    /// that reads as 2032), so the birth date must be the one registered: required when left
    /// out, and taken as typed when given.
    #[test]
    fn from_2032_the_birth_date_is_the_registered_one() {
        let in_2032 = time::macros::date!(2032 - 01 - 02);
        let untyped = input(vec![member(&number(1980, 100), "main_applicant")]);
        assert!(validate_household(&untyped, SyntheticPolicy::Allow, TODAY).is_ok());
        let got = codes(validate_household(&untyped, SyntheticPolicy::Allow, in_2032));
        assert_eq!(got, [("members[0].birth_date".to_string(), "birth_date.required")]);

        let mut typed = untyped.clone();
        typed.members[0].birth_date = "15.06.1980".into();
        let valid = validate_household(&typed, SyntheticPolicy::Allow, in_2032).unwrap();
        assert_eq!(valid.members[0].person.birth_date, time::macros::date!(1980 - 06 - 15));
    }

    #[test]
    fn each_problem_is_named() {
        let table: Vec<(HouseholdInput, (&str, &str))> = vec![
            (input(vec![]), ("members", "members.empty")),
            (
                input(vec![member(&number(1980, 100), "child")]),
                ("members", "members.main_applicant"),
            ),
            (
                input(vec![
                    member(&number(1980, 100), "main_applicant"),
                    member(&number(1981, 100), "main_applicant"),
                ]),
                ("members", "members.main_applicant"),
            ),
            (
                input(vec![
                    member(&number(1980, 100), "main_applicant"),
                    member(&number(1980, 100), "child"),
                ]),
                ("members[1].national_id", "members.duplicate"),
            ),
            (
                input(vec![member(&number(1980, 100), "aunt")]),
                ("members[0].relation", "unknown_value"),
            ),
            (
                input(vec![member(&wrong_last_digit(&number(1980, 100)), "main_applicant")]),
                ("members[0].national_id", "national_id.check_digit_2"),
            ),
            (
                HouseholdInput {
                    postal_code: "30150".into(),
                    ..input(vec![member(&number(1980, 100), "main_applicant")])
                },
                ("postal_code", "postal_code.invalid"),
            ),
            (
                HouseholdInput {
                    to_date: "31.12.2024".into(),
                    ..input(vec![member(&number(1980, 100), "main_applicant")])
                },
                ("to_date", "to_date.before_from"),
            ),
            (
                HouseholdInput {
                    from_date: "31.02.2025".into(),
                    ..input(vec![member(&number(1980, 100), "main_applicant")])
                },
                ("from_date", "invalid_date"),
            ),
            (
                HouseholdInput {
                    from_date: " ".into(),
                    ..input(vec![member(&number(1980, 100), "main_applicant")])
                },
                ("from_date", "required"),
            ),
        ];
        for (case, (field, code)) in table {
            let got = codes(validate_household(&case, SyntheticPolicy::Allow, TODAY));
            assert!(
                got.iter().any(|(f, c)| f == field && *c == code),
                "expected {field}/{code}, got {got:?}"
            );
        }
    }

    #[test]
    fn synthetic_numbers_depend_on_the_policy() {
        let case = input(vec![member(&number(1980, 100), "main_applicant")]);
        assert!(validate_household(&case, SyntheticPolicy::Allow, TODAY).is_ok());
        let got = codes(validate_household(&case, SyntheticPolicy::Reject, TODAY));
        assert_eq!(
            got,
            [(
                "members[0].national_id".to_string(),
                "national_id.synthetic_not_allowed"
            )]
        );
    }

    #[test]
    fn too_many_members_are_refused_whole() {
        let many = (0..=MAX_MEMBERS)
            .map(|i| member(&number(1990, i as u16 * 3), "child"))
            .collect();
        let got = codes(validate_household(&input(many), SyntheticPolicy::Allow, TODAY));
        assert!(got.iter().any(|(f, c)| f == "members" && *c == "members.too_many"));
    }

    proptest! {
        /// Validation never panics, whatever is typed into any field.
        #[test]
        fn validation_never_panics(fields in proptest::collection::vec(".{0,30}", 12)) {
            let row = |o: usize| MemberInput {
                national_id: fields[o].clone(),
                given_name: fields[o + 1].clone(),
                family_name: fields[o + 2].clone(),
                birth_date: fields[o + 3].clone(),
                relation: fields[o + 4].clone(),
                ..Default::default()
            };
            let case = HouseholdInput {
                address_line: fields[10].clone(),
                postal_code: fields[11].clone(),
                from_date: fields[0].clone(),
                members: vec![row(0), row(5)],
                ..Default::default()
            };
            let _ = validate_household(&case, SyntheticPolicy::Reject, TODAY);
        }

        /// Blank rows, wherever they are, never change the outcome.
        #[test]
        fn blank_rows_are_ignored(position in 0usize..3) {
            let mut members = vec![member(&number(1980, 100), "main_applicant"), member(&number(2015, 700), "child")];
            let base = validate_household(&input(members.clone()), SyntheticPolicy::Allow, TODAY).unwrap();
            members.insert(position, MemberInput::default());
            let with_blank = validate_household(&input(members), SyntheticPolicy::Allow, TODAY).unwrap();
            prop_assert_eq!(base, with_blank);
        }
    }
}
