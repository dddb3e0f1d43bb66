//! JSON Schemas of the values that serialise as text of their own form (a month, a percentage,
//! a multiple of G, a date). The domain's other types derive theirs beside their serde
//! attributes, so the API's document describes what they really read and write.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// `JsonSchema` for a type written in place wherever it is used (no component of its own):
/// `inline_schema!(Type, "Name", { …the schema… })`.
#[macro_export]
macro_rules! inline_schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl ::schemars::JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!($schema)
            }
        }
    };
}

/// A calendar date as `time` writes it: `yyyy-mm-dd` (`#[schemars(with = "DateSchema")]`).
pub struct DateSchema;

inline_schema!(DateSchema, "Date", { "type": "string", "format": "date" });

inline_schema!(crate::rules::YearMonth, "YearMonth", {
    "type": "string",
    "description": "A month: yyyy-mm (also read as mm.yyyy)",
    "examples": ["2026-03"]
});

inline_schema!(crate::rules::Percent, "Percent", {
    "type": "string",
    "description": "A percentage with at most two decimals: \"7 %\", \"8.5 %\" (also read as \"8,5\")",
    "examples": ["7 %", "16.44 %"]
});

inline_schema!(crate::eligibility::GMultiple, "GMultiple", {
    "type": "string",
    "description": "A multiple of the grunnbeløp G",
    "examples": ["3.5 G"]
});

/// A fact is written `{label, value}`; the older pair form is only read from stored assessments.
impl JsonSchema for crate::eligibility::Fact {
    fn schema_name() -> Cow<'static, str> {
        "Fact".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<crate::eligibility::Wording>();
        json_schema!({
            "type": "object",
            "description": "A fact a rule used: its label and its value, each a catalogue message, a value, or (older assessments) the text in bokmål, nynorsk and English",
            "required": ["label", "value"],
            "properties": { "label": text, "value": text }
        })
    }
}
