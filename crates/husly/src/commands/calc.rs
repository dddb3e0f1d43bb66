//! `husly calc bostotte` and `husly calc startlan`: the calculators for scripts, with the API's
//! JSON contract (one JSON request on standard input, the result as pretty JSON on standard
//! output; invalid input gives the API's error object and exit code 2).

use husly_web::i18n::Tr;
use std::io::Read;
use std::process::ExitCode;

use husly_domain::Lang;
use husly_domain::bostotte::{BostotteRules, EstimateRequest};
use husly_domain::startlan::{AffordabilityInput, StartlanRules, assess};
use husly_domain::validation::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::config::Config;

/// Exit code for input that could not be calculated (as opposed to 1 for a failure of Husly).
const INVALID_INPUT: u8 = 2;

/// `husly calc bostotte`: the input of `POST /api/v1/calculators/bostotte`.
pub fn bostotte(config: &Config) -> ExitCode {
    calculate(config.lang, |request: EstimateRequest| {
        request.estimate(BostotteRules::embedded())
    })
}

/// `husly calc startlan`: the input of `POST /api/v1/calculators/startlan`.
pub fn startlan(config: &Config) -> ExitCode {
    calculate(config.lang, |input: AffordabilityInput| {
        assess(&input, StartlanRules::embedded())
    })
}

/// Reads one request from standard input, runs `calculator` on it and prints the result, or the
/// error object naming each field (paths as the API's `ApiJson` gives them).
fn calculate<T, R>(lang: Lang, calculator: impl FnOnce(T) -> Result<R, Vec<FieldError>>) -> ExitCode
where
    T: DeserializeOwned,
    R: Serialize,
{
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        return invalid(
            lang,
            "bad_request",
            &format!("standard input is not UTF-8 text: {e}"),
            &[],
        );
    }
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let request: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(request) => request,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." || path == "?" || path.is_empty() {
                return invalid(lang, "bad_request", &format!("invalid JSON: {inner}"), &[]);
            }
            let field = FieldError::new(path, "invalid_json_value", "error.invalid_json_value").arg("problem", inner);
            return invalid(lang, "validation", &message(lang), &[field]);
        }
    };
    match calculator(request) {
        Ok(result) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&result).expect("a calculation result serialises")
            );
            ExitCode::SUCCESS
        }
        Err(fields) => invalid(lang, "validation", &message(lang), &fields),
    }
}

fn message(lang: Lang) -> String {
    Tr::new(lang).t("error.validation.text").to_string()
}

/// The API's error object on standard output, a one-line summary on standard error.
fn invalid(lang: Lang, code: &str, message: &str, fields: &[FieldError]) -> ExitCode {
    let fields: Vec<_> = fields
        .iter()
        .map(|f| json!({ "field": f.field, "code": f.code, "message": Tr::new(lang).error(f) }))
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
