//! The answers and request bodies of `/api/v1` as their own types, and their JSON Schemas.
//!
//! A handler reads a request body into one of `requests`, and maps what a use case returns (domain values, store rows) into these structs before
//! it answers, so a new column in the database or a new field in the domain does not change the
//! public API by accident: it changes only when a type here changes. Their schemas in the
//! OpenAPI document are generated from these types (schemars), never written by hand, and closed
//! (`additionalProperties: false`), so the contract test that validates every real answer
//! against the document fails on any field the document does not name.

pub mod allocation;
mod cases;
pub mod consents;
pub mod dwellings;
pub mod equity;
mod finance;
pub mod follow_up;
pub mod kostra;
pub mod ledger;
pub mod meetings;
pub mod outreach;
mod people;
pub mod plan;
pub mod protection;
pub mod referrals;
pub mod reminders;
pub mod stock;

pub use cases::{Case, CaseDetail, CaseQueue, Document, DocumentList, Kostra, Letter, TaskList, Timeline, Workload};
pub use errors::{ErrorAnswer, ErrorDetail, FieldProblem};
pub use finance::{AllocationSaved, CaseLedger, FinanceSaved, GrantBudget, GrantLine};
pub use people::{
    AuditEntries, Household, HouseholdEconomy, Me, NoteList, PersonWithHouseholds, RepresentativeList, SearchResults,
};
pub use plan::{ActionPlan, GoalTrends, IndicatorCases, PlanHistory, PlanList};

use schemars::generate::SchemaSettings;
use serde_json::Value;

pub(super) use husly_domain::schema::DateSchema;

/// JSON Schema 2020-12, as OpenAPI 3.1 uses it, with the definitions where OpenAPI keeps them.
pub(super) fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.meta_schema = None;
    })
}

/// Every object schema with named properties allows no others: an answer with a field the
/// document does not name fails validation.
pub(super) fn close(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close);
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

/// A named component listing a domain enum's codes, taken from the domain so they cannot differ.
macro_rules! codes_schema {
    ($(#[$doc:meta])* $name:ident, $component:literal, $codes:expr) => {
        $(#[$doc])*
        pub(super) struct $name;

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                $component.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let codes: Vec<&str> = $codes;
                ::schemars::json_schema!({ "type": "string", "enum": codes })
            }
        }
    };
}

/// Microseconds since the Unix epoch, UTC.
pub(super) struct MicrosSchema;

husly_domain::inline_schema!(MicrosSchema, "Micros", { "type": "integer", "description": "Microseconds since the Unix epoch, UTC" });

codes_schema!(
    CaseStateSchema,
    "CaseState",
    husly_domain::cases::CaseState::ALL.iter().map(|s| s.code()).collect()
);
codes_schema!(
    RoleSchema,
    "Role",
    husly_domain::authz::Role::ALL.iter().map(|r| r.code()).collect()
);
codes_schema!(
    LanguageSchema,
    "Language",
    husly_domain::Lang::ALL.iter().map(|l| l.code()).collect()
);
codes_schema!(
    OutcomeSchema,
    "DecisionOutcome",
    husly_domain::cases::Outcome::ALL.iter().map(|o| o.code()).collect()
);

mod errors;
pub mod queries;
pub mod requests;
pub mod rounds;
pub mod stays;
pub mod tenancies;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_object_is_closed_and_every_reference_resolves() {
        let document = super::super::openapi::document();
        let components = document["components"]["schemas"].as_object().expect("schemas").clone();
        let text = serde_json::to_string(&components).unwrap();
        for name in [
            "Case",
            "CaseDetail",
            "Household",
            "Person",
            "GrantBudget",
            "CaseType",
            "CaseActionRequest",
            "CaseStep",
        ] {
            assert!(components.contains_key(name), "{name} missing: {:?}", components.keys());
        }
        fn closed(value: &Value) {
            match value {
                Value::Object(map) => {
                    if map.contains_key("properties") {
                        assert_eq!(map.get("additionalProperties"), Some(&Value::Bool(false)), "{map:?}");
                    }
                    map.values().for_each(closed);
                }
                Value::Array(items) => items.iter().for_each(closed),
                _ => {}
            }
        }
        closed(&Value::Object(components.clone()));
        assert!(!text.contains("$defs"), "{text}");
        // Every reference anywhere in the document names a schema the document has.
        let schemas = document["components"]["schemas"].as_object().expect("schemas");
        let mut everywhere = Vec::new();
        collect_refs(&document, &mut everywhere);
        assert!(everywhere.len() > 50);
        for r in everywhere.iter().filter(|r| r.starts_with("#/components/schemas/")) {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(schemas.contains_key(name), "{r} does not resolve");
        }
    }

    fn collect_refs(value: &Value, refs: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    refs.push(r.clone());
                }
                map.values().for_each(|v| collect_refs(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
            _ => {}
        }
    }
}
