//! `husly calc bostotte`: the bostøtte estimator for scripts, with the API's JSON contract.

use std::io::Read;
use std::process::ExitCode;

use husly_domain::Lang;
use husly_domain::bostotte::{BostotteRules, EstimateRequest};
use husly_domain::validation::FieldError;
use serde_json::json;

use crate::config::Config;

/// Exit code for input that could not be estimated (as opposed to 1 for a failure of Husly).
const INVALID_INPUT: u8 = 2;

pub fn bostotte(config: &Config) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        return invalid(
            config.lang,
            "bad_request",
            &format!("standard input is not UTF-8 text: {e}"),
            &[],
        );
    }
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let request: EstimateRequest = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(request) => request,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." || path.is_empty() {
                return invalid(config.lang, "bad_request", &format!("invalid JSON: {inner}"), &[]);
            }
            let field = FieldError::new(
                path,
                "invalid_json_value",
                format!("Ugyldig verdi: {inner}"),
                format!("Invalid value: {inner}"),
            );
            return invalid(config.lang, "validation", &message(config.lang), &[field]);
        }
    };
    match request.estimate(BostotteRules::embedded()) {
        Ok(estimate) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&estimate).expect("an estimate serialises")
            );
            ExitCode::SUCCESS
        }
        Err(fields) => invalid(config.lang, "validation", &message(config.lang), &fields),
    }
}

fn message(lang: Lang) -> String {
    match lang {
        Lang::Nb => "Noen felt er ikke fylt ut riktig.".into(),
        Lang::En => "Some fields are not filled in correctly.".into(),
    }
}

/// The API's error object on standard output, a one-line summary on standard error.
fn invalid(lang: Lang, code: &str, message: &str, fields: &[FieldError]) -> ExitCode {
    let fields: Vec<_> = fields
        .iter()
        .map(|f| json!({ "field": f.field, "code": f.code, "message": f.message(lang) }))
        .collect();
    for field in &fields {
        eprintln!(
            "husly: {}: {}",
            field["field"].as_str().unwrap_or(""),
            field["message"].as_str().unwrap_or("")
        );
    }
    if fields.is_empty() {
        eprintln!("husly: {message}");
    }
    let body = json!({ "error": { "code": code, "message": message, "fields": fields } });
    println!("{}", serde_json::to_string_pretty(&body).expect("an error serialises"));
    ExitCode::from(INVALID_INPUT)
}
