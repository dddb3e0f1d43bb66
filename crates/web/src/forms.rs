//! Reading request bodies with errors a person can act on.
//!
//! Form bodies are decoded here rather than by a generic deserialiser so that a field with
//! invalid UTF-8 is named in the error instead of being silently replaced. JSON bodies report
//! the path of the offending value (`members[1].relation`).

use crate::AppState;
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use husly_domain::Lang;
use husly_domain::message::{Message, shorten};
use husly_domain::validation::FieldError;
use serde::de::DeserializeOwned;

mod bind;

/// Parses a path id; a malformed id is simply "not found".
pub fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The fields of an `application/x-www-form-urlencoded` body, in order.
#[derive(Debug, Clone, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// The first value of a field, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field (ticked checkboxes), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The form bound to a typed struct, so each field is named once in Rust (the struct) and
    /// once in its template. Repeated fields fill a `Vec`; a choice can be an enum. A field that
    /// is missing or does not fit its type is a field error in the catalogue's words (422), never
    /// a half-read form.
    pub fn bind<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let tree = bind::Node::of(&self.0).map_err(|field| {
            AppError::Validation(vec![FieldError::new(
                field,
                "invalid_value",
                "error.form.invalid_value",
            )])
        })?;
        serde_path_to_error::deserialize(tree).map_err(|e| {
            let path = e.path().to_string();
            let error = match missing_field(&path, &e.into_inner().to_string()) {
                Some(field) => FieldError::required(field),
                None => FieldError::new(path, "invalid_value", "error.form.invalid_value"),
            };
            AppError::Validation(vec![error])
        })
    }

    pub fn parse(body: &[u8]) -> Result<FormFields, AppError> {
        let mut fields = Vec::new();
        let mut refused = Vec::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let mut halves = pair.splitn(2, |b| *b == b'=');
            let name = decode(halves.next().unwrap_or_default());
            let value = decode(halves.next().unwrap_or_default());
            let Ok(name) = String::from_utf8(name) else {
                return Err(AppError::BadRequest(Message::new("form.bad_encoding_name")));
            };
            let Ok(value) = String::from_utf8(value) else {
                return Err(AppError::BadRequest(
                    Message::new("form.bad_encoding").arg("field", shorten(&name)),
                ));
            };
            if husly_domain::validation::has_forbidden_control(&value) {
                refused.push(husly_domain::validation::control_character(name.clone()));
            }
            fields.push((name, value));
        }
        if refused.is_empty() {
            Ok(FormFields(fields))
        } else {
            Err(AppError::Validation(refused))
        }
    }
}

/// A checkbox field (`#[serde(default, deserialize_with = "checkbox")]`): ticked when the form
/// has it, whatever its value, as browsers send only ticked boxes.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    <String as serde::Deserialize>::deserialize(deserializer).map(|_| true)
}

fn decode(raw: &[u8]) -> Vec<u8> {
    let plus_as_space: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    percent_encoding::percent_decode(&plus_as_space).collect()
}

impl FromRequest<AppState> for FormFields {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        FormFields::parse(&body)
    }
}

/// A signed-in staff member's form, accepted only with the session's CSRF token: the token is
/// checked here, before the handler runs, so a forged post reads nothing, audits nothing and
/// changes nothing.
pub struct StaffForm {
    pub user: crate::auth::CurrentUser,
    pub fields: FormFields,
}

impl StaffForm {
    /// The form bound to a typed struct; see [`FormFields::bind`].
    pub fn bind<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        self.fields.bind()
    }

    /// The record version the form was rendered from (optimistic locking).
    pub fn version(&self) -> Result<i64, AppError> {
        self.fields
            .get("version")
            .parse()
            .map_err(|_| AppError::BadRequest(Message::new("error.form.version")))
    }
}

impl FromRequest<AppState> for StaffForm {
    type Rejection = axum::response::Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::extract::FromRequestParts;
        use axum::response::IntoResponse;
        let (mut parts, body) = request.into_parts();
        let user = crate::auth::CurrentUser::from_request_parts(&mut parts, state).await?;
        let fields = FormFields::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        user.check_csrf(fields.get("csrf"))
            .map_err(IntoResponse::into_response)?;
        Ok(StaffForm { user, fields })
    }
}

/// A JSON body whose errors name the offending path.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::BadRequest(Message::new("error.api.content_type")));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        if std::str::from_utf8(&body).is_err() {
            return Err(AppError::BadRequest(Message::new("error.api.not_utf8")));
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
            let mut refused = Vec::new();
            control_characters(&value, "", &mut refused);
            if !refused.is_empty() {
                return Err(AppError::Validation(refused));
            }
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(ApiJson(value)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if let Some(field) = missing_field(&path, &inner.to_string()) {
                    Err(AppError::Validation(vec![FieldError::required(field)]))
                // "?" is where serde_path_to_error stands when the document ends too early.
                } else if path == "." || path == "?" || path.is_empty() {
                    Err(AppError::BadRequest(
                        Message::new("error.api.invalid_json").arg("problem", inner),
                    ))
                } else {
                    Err(AppError::Validation(vec![
                        FieldError::new(path, "invalid_json_value", "error.invalid_json_value").arg("problem", inner),
                    ]))
                }
            }
        }
    }
}

/// The path of a required field left out, from serde's message (it names the field in the
/// message, not in the path): `members[0]` and "missing field `relation`" → `members[0].relation`.
fn missing_field(path: &str, message: &str) -> Option<String> {
    let (name, _) = message.strip_prefix("missing field `")?.split_once('`')?;
    Some(match path {
        "." | "?" | "" => name.to_string(),
        parent => format!("{parent}.{name}"),
    })
}

/// Every string (and key) of a JSON document that holds a forbidden control character, named by
/// its path (`members[0].given_name`).
fn control_characters(value: &serde_json::Value, path: &str, out: &mut Vec<FieldError>) {
    use husly_domain::validation::{control_character, has_forbidden_control};
    match value {
        serde_json::Value::String(text) if has_forbidden_control(text) => out.push(control_character(path)),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                control_characters(item, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if has_forbidden_control(key) {
                    out.push(control_character(inner.clone()));
                }
                control_characters(item, &inner, out);
            }
        }
        _ => {}
    }
}

/// Refuses a request whose query string holds a control character, naming the parameter (422),
/// before any handler sees it.
pub async fn refuse_control_in_query(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(query) = request.uri().query() {
        let refused: Vec<FieldError> = query
            .split('&')
            .filter_map(|pair| {
                let mut halves = pair.splitn(2, '=');
                let name = String::from_utf8_lossy(&decode(halves.next().unwrap_or_default().as_bytes())).into_owned();
                let value = String::from_utf8_lossy(&decode(halves.next().unwrap_or_default().as_bytes())).into_owned();
                (husly_domain::validation::has_forbidden_control(&name)
                    || husly_domain::validation::has_forbidden_control(&value))
                .then(|| husly_domain::validation::control_character(name))
            })
            .collect();
        if !refused.is_empty() {
            return AppError::Validation(refused).into_response();
        }
    }
    next.run(request).await
}

/// Field errors as a form template shows them: next to the field and in a summary on top.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    pub items: Vec<(String, String)>,
}

impl FormErrors {
    pub fn from_fields(errors: &[FieldError], lang: Lang) -> FormErrors {
        FormErrors {
            items: errors
                .iter()
                .map(|e| (e.field.clone(), crate::i18n::Tr::new(lang).error(e)))
                .collect(),
        }
    }

    /// The errors of one of several forms on a page (`answer`, `end`, …): each field is named
    /// `{form}-{field}` (the form's own name for an error of the whole form), as that form's
    /// inputs are.
    pub fn of_form(errors: Vec<FieldError>, form: &str, lang: Lang) -> FormErrors {
        let named: Vec<FieldError> = errors
            .into_iter()
            .map(|mut e| {
                e.field = format!("{form}-{}", e.field).trim_end_matches('-').to_string();
                e
            })
            .collect();
        FormErrors::from_fields(&named, lang)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// The HTML id of a field's input: `members[1].national_id` → `f-members-1-national_id`.
    pub fn anchor(field: &str) -> String {
        let cleaned: String = field
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' })
            .collect();
        format!("f-{}", cleaned.replace("--", "-").trim_end_matches('-'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Choice {
        Approve,
        SendBack,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Review {
        version: i64,
        decision: Choice,
        #[serde(default)]
        reason: String,
        #[serde(default)]
        conditions: Vec<String>,
    }

    #[test]
    fn a_form_binds_to_a_typed_struct_and_names_what_does_not_fit() {
        let form = FormFields::parse(b"version=3&decision=send_back&reason=Mangler+inntekt&conditions=a&conditions=b")
            .unwrap();
        assert_eq!(
            form.bind::<Review>().unwrap(),
            Review {
                version: 3,
                decision: Choice::SendBack,
                reason: "Mangler inntekt".into(),
                conditions: vec!["a".into(), "b".into()],
            }
        );
        let field_of = |body: &[u8]| match FormFields::parse(body).unwrap().bind::<Review>() {
            Err(AppError::Validation(errors)) => (errors[0].field.clone(), errors[0].code),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field_of(b"version=3&decision=maybe"),
            ("decision".into(), "invalid_value")
        );
        assert_eq!(
            field_of(b"version=x&decision=approve"),
            ("version".into(), "invalid_value")
        );
        assert_eq!(field_of(b"decision=approve"), ("version".into(), "required"));
        // A value holding the encoding's own characters comes through unchanged.
        let form = FormFields::parse(b"version=1&decision=approve&reason=a%26b%3Dc+%2B+d%25").unwrap();
        assert_eq!(form.bind::<Review>().unwrap().reason, "a&b=c + d%");
    }

    #[test]
    fn decodes_forms_and_names_bad_fields() {
        let form = FormFields::parse(b"a=%C3%A6+b&b=&c").ok().unwrap_or_default();
        assert_eq!(form.get("a"), "æ b");
        assert_eq!(form.get("b"), "");
        assert_eq!(form.get("c"), "");
        match FormFields::parse(b"given_name=%FF") {
            Err(AppError::BadRequest(m)) => assert_eq!(m, Message::new("form.bad_encoding").arg("field", "given_name")),
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn anchors() {
        assert_eq!(FormErrors::anchor("members[1].national_id"), "f-members-1-national_id");
        assert_eq!(FormErrors::anchor("address_line"), "f-address_line");
    }
}
