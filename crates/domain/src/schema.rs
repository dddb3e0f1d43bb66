//! JSON Schemas of the values that serialise as text of their own form (a month, a percentage,
//! a multiple of G, a date). The domain's other types derive theirs beside their serde
//! attributes, so the API's document describes what they really read and write.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// A calendar date as `time` writes it: `yyyy-mm-dd`.
pub struct DateSchema;

impl JsonSchema for DateSchema {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

impl JsonSchema for crate::rules::YearMonth {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "YearMonth".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A month: yyyy-mm (also read as mm.yyyy)",
            "examples": ["2026-03"]
        })
    }
}

impl JsonSchema for crate::rules::Percent {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A percentage with at most two decimals: \"7 %\", \"8.5 %\" (also read as \"8,5\")",
            "examples": ["7 %", "16.44 %"]
        })
    }
}

impl JsonSchema for crate::eligibility::GMultiple {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "GMultiple".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "description": "A multiple of the grunnbeløp G", "examples": ["3.5 G"] })
    }
}

/// A fact is written `{label, value}`; the older pair form is only read from stored assessments.
impl JsonSchema for crate::eligibility::Fact {
    fn schema_name() -> Cow<'static, str> {
        "Fact".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<crate::eligibility::Text>();
        json_schema!({
            "type": "object",
            "description": "A fact a rule used: its label and its value, each in bokmål, nynorsk and English",
            "required": ["label", "value"],
            "properties": { "label": text, "value": text }
        })
    }
}
