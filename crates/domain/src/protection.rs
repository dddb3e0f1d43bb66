//! Protected addresses: a person's address block in the Folkeregister decides what Husly may
//! show of the address of every household the person belongs to.
//!
//! *Fortrolig adresse* (formerly "kode 7") may go to public authorities with a need in their
//! work, never to private parties; *strengt fortrolig adresse* (formerly "kode 6") goes to no
//! one, and post reaches the person through a route the authorities keep (Skatteetaten,
//! "Adressesperre", folkeregisterloven § 10-4). Husly masks a protected household's address in
//! every list, page, search result and export ([`mask_address`]); a user with the permission
//! opens it one household at a time, stating why ([`RevealPurpose`]).

use crate::PersonId;
use crate::allocation::coded;
use crate::consent::text;
use crate::postal::{PostalRegister, check_postal_address};
use crate::tenancy::coded_field;
use crate::validation::{Errors, FieldError};

/// The longest reason, in characters.
pub const MAX_REASON_LEN: usize = 500;

coded! {
    /// The person's address block, as the Folkeregister grades it. Stricter sorts after.
    AddressProtection {
        /// *Fortrolig adresse*: the address is hidden from every list and page; letters still
        /// go to it.
        Fortrolig => "fortrolig",
        /// *Strengt fortrolig adresse*: no address is stored; letters go to the contact route
        /// the municipality records.
        StrengtFortrolig => "strengt_fortrolig",
    }
}

coded! {
    /// Why a user opens a protected address: stated for each view, and kept in the audit log.
    RevealPurpose {
        /// Post must go to the address by hand or courier.
        SendPost => "send_post",
        /// A home visit is planned.
        HomeVisit => "home_visit",
        /// The tenancy or the dwelling needs it (a contract, a repair, a move).
        Tenancy => "tenancy",
        /// An emergency: the person's safety or health.
        Emergency => "emergency",
        /// To check the address against the Folkeregister.
        CheckRegister => "check_register",
    }
}

/// The block that applies to a household's address: the strictest among its members', if any.
pub fn household_protection(members: impl IntoIterator<Item = Option<AddressProtection>>) -> Option<AddressProtection> {
    members.into_iter().flatten().max()
}

/// The one place an address is masked. Every household address leaves the store through here,
/// with whether any member of the household has a block: a protected address leaves as empty
/// text, whoever asked (the unmasked address is read only by the audited reveal). Returns
/// whether it was masked, for the `address_protected` flag beside the address.
pub fn mask_address(protected: bool, parts: &mut [&mut String]) -> bool {
    if protected {
        for part in parts.iter_mut() {
            part.clear();
            part.shrink_to_fit();
        }
    }
    protected
}

/// A block as typed: the member it is for, the level, why, and for strengt fortrolig the contact
/// route letters go to.
#[derive(Debug, Clone, Default)]
pub struct ProtectionInput<'a> {
    pub person: &'a str,
    pub level: &'a str,
    pub reason: &'a str,
    pub address_line: &'a str,
    pub postal_code: &'a str,
    pub postal_city: &'a str,
}

/// Where letters go while a person has strengt fortrolig adresse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRoute {
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
}

/// A block that passed [`check_protection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionFields {
    pub person: PersonId,
    pub level: AddressProtection,
    pub reason: String,
    /// Present exactly for strengt fortrolig.
    pub contact_route: Option<ContactRoute>,
}

/// Checks a block: a member of the household (`members`), a known level, a reason, and for
/// strengt fortrolig the contact route (a line, a known Norwegian postal code and its place).
/// Every problem at once, each named by its field.
pub fn check_protection(
    input: &ProtectionInput<'_>,
    members: &[PersonId],
    postal: &PostalRegister,
) -> Result<ProtectionFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let person = match input.person.trim() {
        "" => {
            errors.push(FieldError::required("person"));
            None
        }
        typed => {
            let member = typed
                .parse::<uuid::Uuid>()
                .ok()
                .map(PersonId)
                .filter(|p| members.contains(p));
            if member.is_none() {
                errors.push(FieldError::new(
                    "person",
                    "protection.not_a_member",
                    "error.consent.not_a_member",
                ));
            }
            member
        }
    };
    let level = coded_field(
        &mut errors,
        "level",
        input.level,
        AddressProtection::from_code,
        &AddressProtection::codes(),
    );
    let reason = text(&mut errors, "reason", input.reason, MAX_REASON_LEN);
    let contact_route = match level {
        Some(AddressProtection::StrengtFortrolig) => {
            let line = text(
                &mut errors,
                "address_line",
                input.address_line,
                crate::validation::MAX_TEXT_LEN,
            );
            let (code, city) = check_postal_address(postal, input.postal_code, input.postal_city, &mut errors);
            match (line, code, city) {
                (Some(address_line), Some(postal_code), Some(postal_city)) => Some(ContactRoute {
                    address_line,
                    postal_code,
                    postal_city,
                }),
                _ => None,
            }
        }
        _ => None,
    };
    match (person, level, reason) {
        (Some(person), Some(level), Some(reason)) if errors.is_empty() => Ok(ProtectionFields {
            person,
            level,
            reason,
            contact_route,
        }),
        _ => Err(errors.0),
    }
}

/// Checks the reason given for lifting a block (it reduces the person's protection).
pub fn check_lift(reason: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Errors::default();
    match text(&mut errors, "reason", reason, MAX_REASON_LEN) {
        Some(reason) if errors.is_empty() => Ok(reason),
        _ => Err(errors.0),
    }
}

/// Checks the stated purpose of opening a protected address.
pub fn check_reveal(purpose: &str) -> Result<RevealPurpose, Vec<FieldError>> {
    let mut errors = Errors::default();
    match coded_field(
        &mut errors,
        "purpose",
        purpose,
        RevealPurpose::from_code,
        &RevealPurpose::codes(),
    ) {
        Some(purpose) if errors.is_empty() => Ok(purpose),
        _ => Err(errors.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn member() -> PersonId {
        PersonId("0193a000-0000-7000-8000-000000000001".parse().unwrap())
    }

    fn input() -> ProtectionInput<'static> {
        ProtectionInput {
            person: "0193a000-0000-7000-8000-000000000001",
            level: "fortrolig",
            reason: "Melding fra Folkeregisteret",
            address_line: "",
            postal_code: "",
            postal_city: "",
        }
    }

    fn codes(input: &ProtectionInput<'_>) -> Vec<(String, &'static str)> {
        match check_protection(input, &[member()], PostalRegister::embedded()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn a_fortrolig_block_needs_no_contact_route() {
        let fields = check_protection(&input(), &[member()], PostalRegister::embedded()).unwrap();
        assert_eq!(fields.level, AddressProtection::Fortrolig);
        assert_eq!(fields.contact_route, None);
    }

    #[test]
    fn a_strengt_fortrolig_block_keeps_the_contact_route() {
        let strict = ProtectionInput {
            level: "strengt_fortrolig",
            address_line: "Postboks 4 Sentrum",
            postal_code: "3001",
            postal_city: "",
            ..input()
        };
        let fields = check_protection(&strict, &[member()], PostalRegister::embedded()).unwrap();
        let route = fields.contact_route.unwrap();
        assert_eq!(route.address_line, "Postboks 4 Sentrum");
        assert_eq!(route.postal_code, "3001");
        assert_eq!(route.postal_city, "Drammen");
    }

    #[test]
    fn bad_input_is_refused_by_field() {
        let cases: Vec<(ProtectionInput<'static>, Vec<(&str, &str)>)> = vec![
            (ProtectionInput { person: "", ..input() }, vec![("person", "required")]),
            (
                ProtectionInput {
                    person: "0193a000-0000-7000-8000-000000000009",
                    ..input()
                },
                vec![("person", "protection.not_a_member")],
            ),
            (
                ProtectionInput {
                    person: "not-an-id",
                    ..input()
                },
                vec![("person", "protection.not_a_member")],
            ),
            (ProtectionInput { level: "", ..input() }, vec![("level", "required")]),
            (
                ProtectionInput {
                    level: "kode6",
                    ..input()
                },
                vec![("level", "unknown_value")],
            ),
            (
                ProtectionInput {
                    reason: "  ",
                    ..input()
                },
                vec![("reason", "required")],
            ),
            (
                ProtectionInput {
                    level: "strengt_fortrolig",
                    ..input()
                },
                vec![("address_line", "required"), ("postal_code", "required")],
            ),
            (
                ProtectionInput {
                    level: "strengt_fortrolig",
                    address_line: "Postboks 4",
                    postal_code: "12",
                    ..input()
                },
                vec![("postal_code", "postal_code.invalid")],
            ),
        ];
        for (input, expected) in cases {
            let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
            assert_eq!(codes(&input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_long_reason_is_refused() {
        let long = "x".repeat(MAX_REASON_LEN + 1);
        let refused = codes(&ProtectionInput {
            reason: &long,
            ..input()
        });
        assert_eq!(refused, vec![("reason".to_string(), "too_long")]);
        assert_eq!(check_lift("").unwrap_err()[0].field, "reason");
        assert_eq!(
            check_lift(" flyttet, sperren opphevet ").unwrap(),
            "flyttet, sperren opphevet"
        );
    }

    #[test]
    fn a_purpose_must_be_stated() {
        assert_eq!(check_reveal("home_visit").unwrap(), RevealPurpose::HomeVisit);
        assert_eq!(check_reveal("").unwrap_err()[0].code, "required");
        assert_eq!(check_reveal("curious").unwrap_err()[0].code, "unknown_value");
    }

    #[test]
    fn masking_empties_every_part_only_when_protected() {
        let (mut line, mut code, mut city) = ("Storgata 1".to_string(), "3015".to_string(), "DRAMMEN".to_string());
        assert!(!mask_address(false, &mut [&mut line, &mut code, &mut city]));
        assert_eq!(
            (line.as_str(), code.as_str(), city.as_str()),
            ("Storgata 1", "3015", "DRAMMEN")
        );
        assert!(mask_address(true, &mut [&mut line, &mut code, &mut city]));
        assert_eq!((line.as_str(), code.as_str(), city.as_str()), ("", "", ""));
    }

    fn level() -> impl Strategy<Value = Option<AddressProtection>> {
        prop_oneof![
            Just(None),
            Just(Some(AddressProtection::Fortrolig)),
            Just(Some(AddressProtection::StrengtFortrolig)),
        ]
    }

    proptest! {
        /// The household's block is the strictest of its members': strengt fortrolig if anyone
        /// has it, else fortrolig if anyone has that, else none.
        #[test]
        fn the_strictest_block_applies(members in proptest::collection::vec(level(), 0..8)) {
            let expected = if members.contains(&Some(AddressProtection::StrengtFortrolig)) {
                Some(AddressProtection::StrengtFortrolig)
            } else if members.contains(&Some(AddressProtection::Fortrolig)) {
                Some(AddressProtection::Fortrolig)
            } else {
                None
            };
            prop_assert_eq!(household_protection(members), expected);
        }
    }
}
