//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/openapi.json`.
//!
//! Nothing here is a schema written by hand. Each operation names the Rust types it reads and
//! answers with ([`Operation::body`], [`Operation::answer`], [`Operation::query`]); the component
//! schemas are generated from exactly those types (schemars) while the paths are built, request
//! bodies as serde reads them, answers as it writes them. A test walks every documented
//! operation against the running server and validates each answer, and the route table test
//! checks that every API route is here and nothing else.

use super::contract::{self, queries, requests};
use crate::routing::{Routes, get};
use axum::Json;
use husly_domain::bostotte::{Estimate, EstimateRequest};
use husly_domain::household::HouseholdInput;
use husly_domain::startlan::{AffordabilityInput, AffordabilityResult};
use husly_domain::stays::StayFigures;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

pub fn routes() -> Routes {
    Routes::new().route("/api/openapi.json", get(|| async { Json(document()) }))
}

/// The whole document.
pub fn document() -> Value {
    let mut doc = Document {
        reads: contract::settings().for_deserialize().into_generator(),
        answers: contract::settings().for_serialize().into_generator(),
        paths: Map::new(),
    };
    people_and_households(&mut doc);
    cases(&mut doc);
    case_handling(&mut doc);
    finance(&mut doc);
    action_plan(&mut doc);
    calculators(&mut doc);
    reference_budgets(&mut doc);
    dwellings(&mut doc);
    allocation(&mut doc);
    tenancies(&mut doc);
    stock(&mut doc);
    consents(&mut doc);
    protection(&mut doc);
    referrals(&mut doc);
    meetings(&mut doc);
    reminders(&mut doc);
    let error = doc.answers.subschema_for::<contract::ErrorAnswer>();
    let mut schemas = doc.answers.take_definitions(true);
    // A type both read and answered (the application form, a case's economy) is described as
    // serde reads it: fields with a default may be left out of a request.
    schemas.extend(doc.reads.take_definitions(true));
    for schema in schemas.values_mut() {
        contract::close(schema);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Husly API",
            "version": "1.0.0",
            "description": "People, households, cases and the access log of a municipality's housing office. Every call is authorised by role and municipality and every read or change of personal data is written to the tamper-evident access log. Records of another municipality answer 404."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": doc.paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "An API key created by an administrator (husly_…)" } },
            "responses": {
                "Error": { "description": "An error with a stable code; validation errors name each field", "content": { "application/json": { "schema": error } } }
            },
            "schemas": schemas
        }
    })
}

/// The paths being built and the two schema generators their types are registered in.
struct Document {
    /// Request bodies and query parameters: as serde reads them.
    reads: SchemaGenerator,
    /// Answers: as serde writes them.
    answers: SchemaGenerator,
    paths: Map<String, Value>,
}

impl Document {
    fn get(&mut self, path: &'static str, id: &'static str, summary: &'static str) -> Operation<'_> {
        self.operation("get", path, id, summary)
    }

    fn post(&mut self, path: &'static str, id: &'static str, summary: &'static str) -> Operation<'_> {
        self.operation("post", path, id, summary)
    }

    fn put(&mut self, path: &'static str, id: &'static str, summary: &'static str) -> Operation<'_> {
        self.operation("put", path, id, summary)
    }

    fn delete(&mut self, path: &'static str, id: &'static str, summary: &'static str) -> Operation<'_> {
        self.operation("delete", path, id, summary)
    }

    fn operation(
        &mut self,
        method: &'static str,
        path: &'static str,
        id: &'static str,
        summary: &'static str,
    ) -> Operation<'_> {
        let mut operation = Map::new();
        operation.insert("operationId".into(), id.into());
        operation.insert("summary".into(), summary.into());
        let parameters = path_parameters(path, &mut self.reads);
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        Operation {
            doc: self,
            method,
            path,
            operation,
            responses: Map::new(),
            public: false,
        }
    }
}

/// One operation under construction; [`Operation::add`] puts it into the document.
struct Operation<'d> {
    doc: &'d mut Document,
    method: &'static str,
    path: &'static str,
    operation: Map<String, Value>,
    responses: Map<String, Value>,
    public: bool,
}

impl Operation<'_> {
    fn description(mut self, text: &'static str) -> Self {
        self.operation.insert("description".into(), text.into());
        self
    }

    /// The query parameters, one per field of `Q` (the struct the handler reads them into).
    fn query<Q: JsonSchema>(mut self) -> Self {
        let schema = Q::json_schema(&mut self.doc.reads).to_value();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut parameters = Vec::new();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let mut property = property.clone();
            let description = property.as_object_mut().and_then(|p| p.remove("description"));
            not_null(&mut property);
            let mut parameter = json!({
                "name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": property
            });
            if let Some(description) = description {
                parameter["description"] = description;
            }
            parameters.push(parameter);
        }
        if let Some(Value::Array(existing)) = self.operation.get_mut("parameters") {
            existing.extend(parameters);
        } else {
            self.operation.insert("parameters".into(), Value::Array(parameters));
        }
        self
    }

    /// The JSON request body, read into `B`.
    fn body<B: JsonSchema>(mut self) -> Self {
        let schema = self.doc.reads.subschema_for::<B>();
        self.operation.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": schema } } }),
        );
        self.error("413")
    }

    /// A `multipart/form-data` body with one file.
    fn file_body(mut self) -> Self {
        self.operation.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "required": ["file"], "additionalProperties": false,
                "properties": { "file": { "type": "string", "contentMediaType": "application/octet-stream" } }
            }}}}),
        );
        self.error("413")
    }

    /// A JSON answer of type `A` with this status.
    fn answer<A: JsonSchema>(mut self, status: &'static str, description: &'static str) -> Self {
        let schema = self.doc.answers.subschema_for::<A>();
        self.responses.insert(
            status.into(),
            json!({ "description": description, "content": { "application/json": { "schema": schema } } }),
        );
        self
    }

    /// Done, with nothing to answer.
    fn no_content(mut self, description: &'static str) -> Self {
        self.responses
            .insert("204".into(), json!({ "description": description }));
        self
    }

    /// A file answered as it was stored (a letter's PDF, an uploaded document).
    fn file_answer(mut self, media_type: &'static str, description: &'static str) -> Self {
        self.responses.insert(
            "200".into(),
            json!({ "description": description, "content": { media_type: { "schema": { "type": "string" } } } }),
        );
        self
    }

    /// A change to a case answers with the case as it is now (its new `version`); a stale
    /// version is refused with 409.
    fn case_change<B: JsonSchema>(self) -> Self {
        self.body::<B>()
            .answer::<contract::Case>("200", "Changed; the case with its new version")
            .error("409")
    }

    fn error(mut self, status: &'static str) -> Self {
        self.responses
            .insert(status.into(), json!({ "$ref": "#/components/responses/Error" }));
        self
    }

    /// Open to anyone: no sign-in, and so no 401, 403 or 404.
    fn public(mut self) -> Self {
        self.public = true;
        self
    }

    fn add(self) {
        let Operation {
            doc,
            method,
            path,
            mut operation,
            mut responses,
            public,
        } = self;
        let errors: &[&str] = if public {
            &["400", "422"]
        } else {
            &["400", "401", "403", "404", "422"]
        };
        for status in errors {
            responses
                .entry(*status)
                .or_insert(json!({ "$ref": "#/components/responses/Error" }));
        }
        if public {
            operation.insert("security".into(), json!([]));
        }
        operation.insert("responses".into(), Value::Object(responses));
        let item = doc
            .paths
            .entry(format!("/api/v1{path}"))
            .or_insert_with(|| Value::Object(Map::new()));
        item[method] = Value::Object(operation);
    }
}

/// The parameters in a path, named as the router names them.
fn path_parameters(path: &str, reads: &mut SchemaGenerator) -> Vec<Value> {
    let mut previous = "";
    let mut parameters = Vec::new();
    for segment in path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let uuid = json!({ "type": "string", "format": "uuid" });
            let (description, schema) = match (name, previous) {
                ("id", "people") => ("Person id", uuid),
                ("id", "households") => ("Household id", uuid),
                ("id", "dwellings") => ("Dwelling id", uuid),
                ("id", "rounds") => ("Allocation round id", uuid),
                ("id", "offers") => ("Offer id", uuid),
                ("id", "tenancies") => ("Tenancy contract id", uuid),
                ("dwelling", _) => ("Dwelling id (a vacancy of the round)", uuid),
                ("id", "policies") => (
                    "The priority policy version's id, or `standard` for Husly's standard",
                    json!({ "type": "string", "minLength": 1, "maxLength": 40 }),
                ),
                ("external_id", _) => (
                    "The property-management system's own id of the dwelling (Kobo `fdvuBoligId`)",
                    json!({ "type": "string", "minLength": 1, "maxLength": 100 }),
                ),
                ("id", _) => ("Case id", uuid),
                ("letter_id", _) => ("Letter id", uuid),
                ("document_id", _) => ("Document id", uuid),
                ("flag_id", _) => ("Flag id", uuid),
                ("task_id", _) => ("Task id", uuid),
                ("representative_id", _) => ("Representative id", uuid),
                ("plan_id", "plans") if path.contains("/follow-up/") => ("Follow-up plan id", uuid),
                ("plan_id", _) => ("Action plan id", uuid),
                ("goal_id", _) => ("Goal id (of the plan)", uuid),
                ("measure_id", "measures") if path.contains("/follow-up/") => {
                    ("Agreed measure id (of the follow-up plan)", uuid)
                }
                ("measure_id", _) => ("Measure id (of the plan)", uuid),
                ("change_id", _) => ("Rent change id", uuid),
                ("indicator_id", _) => ("Indicator id (of the plan)", uuid),
                ("stay_id", _) => ("Stay id", uuid),
                ("contact_id", _) => ("Outreach contact id", uuid),
                ("consent_id", _) => ("Consent id (of the household)", uuid),
                ("referral_id", _) => ("Referral id (of the household)", uuid),
                ("action_id", _) => ("Agreed action id (of one of the household's meetings)", uuid),
                ("reminder_id", _) => ("Reminder id (one of the caller's)", uuid),
                ("person_id", "protection") => ("Person id (a member of the household with an address block)", uuid),
                ("year", "kostra") => (
                    "The KOSTRA reporting year (from 2000 to this year; this year's figures are counted to today)",
                    json!({ "type": "integer", "minimum": 2000, "maximum": 2100 }),
                ),
                ("year", "equity") => (
                    "The year the applications were received (from 2000 to this year)",
                    json!({ "type": "integer", "minimum": 2000, "maximum": 2100 }),
                ),
                ("year", _) => (
                    "The budget year",
                    json!({ "type": "integer", "minimum": 2020, "maximum": 2100 }),
                ),
                ("grant", _) => (
                    "The grant",
                    reads.subschema_for::<husly_domain::finance::GrantType>().to_value(),
                ),
                (other, _) => unreachable!("path parameter {other} has no description"),
            };
            parameters.push(json!({
                "name": name, "in": "path", "required": true, "description": description, "schema": schema
            }));
        }
        previous = segment;
    }
    parameters
}

/// A query parameter is never `null`: it is given or left out.
fn not_null(schema: &mut Value) {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            schema["type"] = types[0].clone();
        }
    }
}

fn people_and_households(doc: &mut Document) {
    doc.get("/me", "me", "The authenticated user and their roles per municipality")
        .answer::<contract::Me>("200", "The user")
        .add();
    doc.get("/people", "searchPeople", "Search people by name or identity number")
        .query::<queries::SearchParams>()
        .answer::<contract::SearchResults>("200", "Matching people with their households")
        .add();
    doc.get(
        "/people/{id}",
        "getPerson",
        "A person and the households they belong to",
    )
    .answer::<contract::PersonWithHouseholds>("200", "The person")
    .add();
    doc.post("/households", "createHousehold", "Register a household")
        .query::<queries::MunicipalityParam>()
        .body::<HouseholdInput>()
        .answer::<contract::Household>("201", "Registered")
        .add();
    doc.get("/households/{id}", "getHousehold", "A household with its members")
        .answer::<contract::Household>("200", "The household")
        .add();
    doc.put(
        "/households/{id}",
        "updateHousehold",
        "Replace a household's address, period and members",
    )
    .body::<requests::HouseholdUpdate>()
    .answer::<contract::Household>("200", "Updated")
    .error("409")
    .add();
    doc.get(
        "/households/{id}/timeline",
        "getHouseholdTimeline",
        "The household's events, newest first",
    )
    .answer::<contract::Timeline>("200", "The events")
    .add();
    doc.get(
        "/households/{id}/notes",
        "getHouseholdNotes",
        "The household's own journal notes the caller may read, oldest first",
    )
    .answer::<contract::NoteList>("200", "The notes")
    .add();
    doc.post(
        "/households/{id}/notes",
        "addHouseholdNote",
        "Keep a journal note on the household (caseworkers); it cannot be changed afterwards",
    )
    .body::<requests::NewNote>()
    .answer::<contract::NoteList>("201", "The notes, with the new one last")
    .add();
    doc.get(
        "/households/{id}/representatives",
        "getHouseholdRepresentatives",
        "The household's representatives (fullmektig or verge), the acting one first",
    )
    .answer::<contract::RepresentativeList>("200", "The representatives")
    .add();
    doc.post(
        "/households/{id}/representatives",
        "registerHouseholdRepresentative",
        "Register the party's representative (caseworkers); from then on the household's letters are addressed to it. One acts at a time",
    )
    .body::<husly_domain::representative::RepresentativeInput>()
    .answer::<contract::RepresentativeList>("201", "The representatives, the new one first")
    .error("409")
    .add();
    doc.post(
        "/households/{id}/representatives/{representative_id}/end",
        "endHouseholdRepresentative",
        "End the representative; letters go to the party again from that day",
    )
    .body::<requests::EndRepresentative>()
    .answer::<contract::RepresentativeList>("200", "The representatives")
    .error("409")
    .add();
    doc.get(
        "/households/{id}/economy",
        "getHouseholdEconomy",
        "The household's registered incomes per member, its benefits and its tenancies",
    )
    .answer::<contract::HouseholdEconomy>("200", "The economy")
    .add();
    doc.put(
        "/households/{id}/economy/incomes",
        "setHouseholdIncomes",
        "Replace the incomes verified for the household's members (one of each kind per member)",
    )
    .body::<requests::IncomesUpdate>()
    .answer::<contract::HouseholdEconomy>("200", "The economy as it now stands")
    .add();
    doc.post(
        "/households/{id}/economy/bostotte",
        "registerHouseholdBostotte",
        "Record that the household receives bostøtte from a date (the outreach list leaves it out)",
    )
    .body::<requests::BostotteRegistration>()
    .answer::<contract::HouseholdEconomy>("201", "The economy as it now stands")
    .add();
    doc.get(
        "/audit",
        "getAuditLog",
        "Access log entries of a municipality, newest first (administrators)",
    )
    .query::<queries::AuditParams>()
    .answer::<contract::AuditEntries>("200", "Entries")
    .add();
    doc.get(
        "/outreach/bostotte",
        "bostotteOutreach",
        "Tenants of municipal dwellings without bostøtte who likely qualify, largest estimate first",
    )
    .description("The list as last made: each night for this month, when a user made it again, or now if none was made for the month. A household with bostøtte registered since it was made is left out. With the contacts recorded from the month's list (without their notes). The read is recorded in the access log.")
    .query::<queries::OutreachParams>()
    .answer::<contract::outreach::Outreach>("200", "The list")
    .add();
    doc.post(
        "/outreach/bostotte/make",
        "makeBostotteOutreach",
        "Make the month's outreach list again from every tenancy as it is now",
    )
    .description(
        "Replaces the kept list of the month; answers with its figures. The list made is recorded in the access log.",
    )
    .query::<queries::OutreachParams>()
    .answer::<contract::outreach::OutreachMade>("200", "The list's figures")
    .add();
    doc.get(
        "/households/{id}/outreach-contacts",
        "getOutreachContact",
        "A household's contact about bostøtte from the outreach list of a month (caseworkers, housing managers)",
    )
    .description("`contact` is null when none is recorded for the month. The read is recorded in the access log.")
    .query::<contract::outreach::MonthParam>()
    .answer::<contract::outreach::HouseholdContact>("200", "The household's contact")
    .add();
    doc.post(
        "/households/{id}/outreach-contacts",
        "recordOutreachContact",
        "Record a contact with a household on the outreach list: the day, how and what came of it (caseworkers, housing managers)",
    )
    .description("One contact per household and list month: recording again for the month replaces it. The action plan's indicator `bostotte_outreach_reached` counts the households reached (every outcome but `not_reached`). A 422 names each field that is wrong: a day ahead of today or more than 93 days back, an unknown channel or outcome, a note over 1000 characters.")
    .body::<contract::outreach::ContactRequest>()
    .answer::<contract::outreach::HouseholdContact>("200", "The household's contact as now recorded")
    .add();
    doc.delete(
        "/households/{id}/outreach-contacts/{contact_id}",
        "removeOutreachContact",
        "Remove a contact recorded in error (caseworkers, housing managers); the household's history keeps that it was recorded and removed",
    )
    .no_content("Removed")
    .add();
}

fn cases(doc: &mut Document) {
    doc.get(
        "/cases",
        "caseQueue",
        "The work queue: cases of a municipality, the earliest deadline first",
    )
    .query::<queries::QueueParams>()
    .answer::<contract::CaseQueue>("200", "Queue rows")
    .add();
    doc.post(
        "/households/{id}/applications",
        "registerApplication",
        "Register an application (received on paper, by phone or at the counter) for a household",
    )
    .description("The form may be a draft: what is given is checked (errors name fields such as `form.economy[0].incomes[0]`), what is still missing is listed under `missing` when the case is read. The case starts as `received`; the interim-answer deadline runs from `received_on`. `Location` names the new case.")
    .body::<requests::NewApplication>()
    .answer::<contract::Case>("201", "Registered")
    .add();
    doc.get(
        "/households/{id}/stays",
        "getHouseholdStays",
        "The household's stays in temporary accommodation (sosialtjenesteloven § 27), the newest first, with the flags KOSTRA counts",
    )
    .answer::<contract::stays::StayList>("200", "The stays")
    .add();
    doc.post(
        "/households/{id}/stays",
        "recordStay",
        "Record a stay in temporary accommodation (caseworkers, follow-up workers, housing managers); one that shares a night with another of the household's is refused on `from`",
    )
    .body::<contract::stays::NewStay>()
    .answer::<contract::stays::StayList>("201", "The household's stays")
    .add();
    doc.put(
        "/households/{id}/stays/{stay_id}/end",
        "endStay",
        "End an ongoing stay: its last day and why",
    )
    .body::<contract::stays::EndStay>()
    .answer::<contract::stays::StayList>("200", "The household's stays")
    .error("409")
    .add();
    doc.get(
        "/households/{id}/follow-up",
        "getHouseholdFollowUp",
        "The household's follow-up in the home: its plans (the active one first) with their agreed measures, its log of contacts, visits and complaints (the newest first), and its risk signals today",
    )
    .description("Caseworkers, approvers, follow-up workers and housing managers read it; the read is recorded in the access log. The signals and their weights are the municipality's settings in `rules/follow_up.toml` (rent arrears use `rules/rent_arrears.toml`).")
    .answer::<contract::follow_up::FollowUp>("200", "The household's follow-up")
    .add();
    doc.post(
        "/households/{id}/follow-up/plans",
        "startFollowUpPlan",
        "Start a follow-up plan (caseworkers and follow-up workers): goals, the responsible worker, a partner and the review day",
    )
    .description("A household has one active plan at a time: a second is a 409. The responsible worker must be a caseworker or follow-up worker of the municipality (422 on `responsible`); the review day is today to a year ahead.")
    .body::<contract::follow_up::PlanRequest>()
    .answer::<contract::follow_up::FollowUp>("201", "The household's follow-up")
    .error("409")
    .add();
    doc.put(
        "/households/{id}/follow-up/plans/{plan_id}",
        "changeFollowUpPlan",
        "Change the active plan's goals, responsible worker, partner and review day, from the version read",
    )
    .body::<contract::follow_up::PlanRequest>()
    .answer::<contract::follow_up::FollowUp>("200", "The household's follow-up")
    .error("409")
    .add();
    doc.post(
        "/households/{id}/follow-up/plans/{plan_id}/close",
        "closeFollowUpPlan",
        "Close the active plan: the follow-up ends, for a reason (a note required with `other`); it can be reopened",
    )
    .body::<contract::follow_up::CloseRequest>()
    .answer::<contract::follow_up::FollowUp>("200", "The household's follow-up")
    .error("409")
    .add();
    doc.post(
        "/households/{id}/follow-up/plans/{plan_id}/reopen",
        "reopenFollowUpPlan",
        "Reopen a closed plan (undoing a close), with the reason; a 409 when the household has another active plan",
    )
    .body::<contract::follow_up::ReopenRequest>()
    .answer::<contract::follow_up::FollowUp>("200", "The household's follow-up")
    .error("409")
    .add();
    doc.post(
        "/households/{id}/follow-up/plans/{plan_id}/measures",
        "addFollowUpMeasure",
        "Agree a measure under the active plan: what, who does it, and a due day",
    )
    .body::<contract::follow_up::MeasureRequest>()
    .answer::<contract::follow_up::FollowUp>("201", "The household's follow-up")
    .error("409")
    .add();
    doc.put(
        "/households/{id}/follow-up/plans/{plan_id}/measures/{measure_id}",
        "setFollowUpMeasureStatus",
        "Mark a measure done or dropped, or agreed again",
    )
    .body::<contract::follow_up::MeasureStatusRequest>()
    .answer::<contract::follow_up::FollowUp>("200", "The household's follow-up")
    .error("409")
    .add();
    doc.post(
        "/households/{id}/follow-up/entries",
        "logFollowUp",
        "Log a contact, home visit or neighbour complaint (caseworkers, follow-up workers, housing managers); a home visit or meeting says whether it was held or missed",
    )
    .body::<contract::follow_up::EntryRequest>()
    .answer::<contract::follow_up::FollowUp>("201", "The household's follow-up")
    .add();
    doc.get(
        "/follow-up/caseload",
        "getFollowUpCaseload",
        "The follow-up caseload, the highest risk first: the caller's plans (`scope=mine`), or every household with a plan and every household with an open contract whose signals call for follow-up (`scope=all`)",
    )
    .description("Risk is the sum of the signals' weights: rent arrears over the threshold, neighbour complaints and missed appointments within their windows, a fixed-term contract ending soon or run out, no contact held for some weeks, a plan past its review day, and signals without a plan. Names households, so the read is recorded in the access log.")
    .query::<contract::follow_up::CaseloadParams>()
    .answer::<contract::follow_up::Caseload>("200", "The caseload")
    .add();
    doc.get(
        "/stays",
        "getOngoingStays",
        "The municipality's stays in temporary accommodation going on today, the oldest first",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<contract::stays::StayList>("200", "The stays")
    .add();
    doc.get(
        "/stays/figures",
        "getStayFigures",
        "The year's KOSTRA skjema 13 figures on temporary accommodation: households (each counted once) and stays; counts only",
    )
    .query::<contract::stays::FiguresParams>()
    .answer::<StayFigures>("200", "The figures")
    .add();
    doc.get(
        "/kostra/{year}",
        "getKostraFigures",
        "The year's KOSTRA skjema 13 figures beside the year before, with the data-quality warnings to fix before submission; the cases behind a warning only for a caller who may see cases (that read is recorded)",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<contract::kostra::KostraFigures>("200", "The figures and warnings")
    .add();
    doc.get(
        "/equity/{year}",
        "getEquity",
        "Equity monitoring: the year's applications for municipal housing at each stage (applied, granted, waiting list, moved in, still housed after 12 months) by household type and by KOSTRA main reason; counts of 1–4 and the cells they could be worked out from are suppressed, rates only over the minimum denominator; no household named",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<contract::equity::Equity>("200", "The tables")
    .add();
    doc.get(
        "/cases/workload",
        "getWorkload",
        "How the open cases are shared among the caseworkers today: open, overdue, due within a week and awaiting approval per caseworker, and those nobody has",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<contract::Workload>("200", "The workload")
    .add();
    doc.get(
        "/cases/{id}",
        "getCase",
        "A case with its assessment as of today, what the application still lacks, its decisions and letters",
    )
    .answer::<contract::CaseDetail>("200", "The case")
    .add();
    doc.get(
        "/cases/{id}/timeline",
        "getCaseTimeline",
        "The case's events, newest first",
    )
    .answer::<contract::Timeline>("200", "The events")
    .add();
    doc.get(
        "/cases/{id}/notes",
        "getCaseNotes",
        "The case's journal notes the caller may read, oldest first",
    )
    .answer::<contract::NoteList>("200", "The notes")
    .add();
    doc.post(
        "/cases/{id}/notes",
        "addCaseNote",
        "Keep a journal note on the case (caseworkers); it cannot be changed afterwards",
    )
    .body::<requests::NewNote>()
    .answer::<contract::NoteList>("201", "The notes, with the new one last")
    .add();
    doc.get("/cases/{id}/tasks", "getCaseTasks", "The case's tasks, open ones first")
        .answer::<contract::TaskList>("200", "The tasks")
        .add();
    doc.post(
        "/cases/{id}/tasks",
        "addCaseTask",
        "Give a task on the case to a caseworker of the municipality (the caller when left out)",
    )
    .body::<requests::NewTask>()
    .answer::<contract::TaskList>("201", "The case's tasks")
    .add();
    doc.put(
        "/cases/{id}/kostra-category",
        "classifyKostraCategory",
        "Classify the case's KOSTRA skjema 13 main reason (caseworkers); the reasons the applicant ticked only suggest one",
    )
    .body::<requests::KostraClassification>()
    .answer::<contract::Kostra>("200", "The case's KOSTRA main reason as classified")
    .add();
    doc.put(
        "/cases/{id}/tasks/{task_id}",
        "setCaseTaskDone",
        "Mark a task done, or open it again",
    )
    .body::<requests::TaskDone>()
    .answer::<contract::TaskList>("200", "The case's tasks")
    .error("409")
    .add();
    doc.put(
        "/cases/{id}/application",
        "updateApplication",
        "Replace the application form (while the case is received, assessed or waiting for information)",
    )
    .case_change::<requests::ApplicationUpdate>()
    .add();
    doc.post(
        "/cases/{id}/actions",
        "caseAction",
        "Take a workflow step: start the assessment, ask for or receive information, register and handle an appeal, withdraw or close",
    )
    .description("A step the case's state does not allow is refused with 400 and a message naming the state and the step. `request_information` needs `reason` and a future `information_due`; `withdraw` needs `reason`; an appeal after the deadline needs `reason` (forvaltningsloven § 31).")
    .case_change::<requests::ActionRequest>()
    .add();
    doc.post(
        "/cases/{id}/overrides",
        "overrideRule",
        "Record the caseworker's judgement on an eligibility rule, or remove it (`outcome: null`)",
    )
    .case_change::<requests::OverrideRequest>()
    .add();
    doc.post(
        "/cases/{id}/decisions",
        "proposeDecision",
        "Propose a decision (a reversal when the case is on appeal); an approver reviews it",
    )
    .description("The assessment as of today is stored with the proposal. Granting needs a complete application and `granted_text`.")
    .case_change::<requests::DecisionRequest>()
    .add();
    doc.post(
        "/cases/{id}/review",
        "reviewDecision",
        "Approve the proposed decision or send it back (approvers; never one's own proposal)",
    )
    .description(
        "Four eyes: the proposer of a decision can never approve it; the attempt is refused with 400 and a message.",
    )
    .case_change::<requests::ReviewRequest>()
    .add();
    doc.post(
        "/cases/{id}/send",
        "sendDecision",
        "Send the approved decision: the letter is written in the chosen language and stored as PDF with its hash",
    )
    .description("The appeal deadline runs from `delivered_on`; a granted municipal-housing application is put on the waiting list.")
    .case_change::<requests::SendRequest>()
    .add();
    doc.get(
        "/cases/{id}/letters/{letter_id}",
        "getLetter",
        "A letter of the case as the PDF that was sent",
    )
    .description("The letters of a case, with their ids, kinds, languages and SHA-256 hashes, are listed in `GET /api/v1/cases/{id}`. The `ETag` is the PDF's SHA-256.")
    .file_answer("application/pdf", "The PDF")
    .add();
}

/// Documents, assignment, the interim answer, duplicate flags and appeals.
fn case_handling(doc: &mut Document) {
    doc.get(
        "/cases/{id}/documents",
        "listDocuments",
        "The documents attached to the case",
    )
    .answer::<contract::DocumentList>("200", "The documents")
    .add();
    doc.post(
        "/cases/{id}/documents",
        "uploadDocument",
        "Attach a PDF, JPEG or PNG to the case (recognised by its content, not its name)",
    )
    .description("A `multipart/form-data` body with the file in the part `file`; at most `max_document_bytes` (10 MiB by default), otherwise 413.")
    .file_body()
    .answer::<contract::Document>("201", "Attached")
    .add();
    doc.get(
        "/cases/{id}/documents/{document_id}",
        "getDocument",
        "A document of the case, as uploaded",
    )
    .file_answer("application/octet-stream", "The file (PDF, JPEG or PNG)")
    .add();
    doc.post(
        "/cases/{id}/assignment",
        "assignCase",
        "Take the case (`take: true`) or release it",
    )
    .case_change::<requests::AssignRequest>()
    .add();
    doc.post(
        "/cases/{id}/interim-answer",
        "sendInterimAnswer",
        "Send the interim answer (forvaltningsloven § 11 a) as a letter",
    )
    .case_change::<requests::InterimRequest>()
    .add();
    doc.post(
        "/cases/{id}/decision-preview",
        "previewDecisionLetter",
        "The decision letter as the PDF it would be, before it is sent: for a proposal being written, or for the decision waiting for approval or sending",
    )
    .description("Nothing is stored; the read is recorded in the access log. Without `outcome` the case's proposed or approved decision is shown (404 when there is none).")
    .body::<requests::PreviewRequest>()
    .file_answer("application/pdf", "The letter")
    .add();
    doc.post(
        "/cases/{id}/flags/{flag_id}",
        "resolveDuplicateFlag",
        "Link (the same household, handled together) or dismiss (not a duplicate) a possible duplicate, with the reason",
    )
    .case_change::<requests::FlagRequest>()
    .add();
    doc.post(
        "/cases/{id}/appeals",
        "registerAppeal",
        "Register an appeal against the sent decision",
    )
    .description("Whether the appeal is in time is judged by `appeal_sent_on`, the day it was posted, sent or handed in (forvaltningsloven § 30), not the day it is registered; a late appeal needs `reason` (§ 31). To find for the appellant, propose a new decision (`POST …/decisions`).")
    .case_change::<requests::AppealRegistration>()
    .add();
    doc.post(
        "/cases/{id}/appeals/forward",
        "forwardAppeal",
        "Uphold the decision and forward the appeal to the appeal body",
    )
    .case_change::<requests::AppealStep>()
    .add();
    doc.post(
        "/cases/{id}/appeals/outcome",
        "recordAppealOutcome",
        "Record what the appeal body decided: upheld, reversed, or returned to be decided again",
    )
    .case_change::<requests::OutcomeRequest>()
    .add();
}

/// Startlån and grant cases, payments and the grant budget.
fn finance(doc: &mut Document) {
    doc.put(
        "/cases/{id}/finance",
        "saveCaseFinance",
        "Record a startlån or grant case's economy (while the case is received, assessed or waiting for information)",
    )
    .description("A startlån carries the affordability input of `POST /api/v1/calculators/startlan`; the answer holds the case and its affordability test. Errors name fields below `finance.`.")
    .body::<requests::FinanceRequest>()
    .answer::<contract::FinanceSaved>("200", "Recorded")
    .error("409")
    .add();
    doc.get(
        "/cases/{id}/ledger",
        "getCaseLedger",
        "A grant case's entries in the grant budget (committed, paid, released)",
    )
    .answer::<contract::CaseLedger>("200", "The entries")
    .add();
    doc.post(
        "/cases/{id}/payments",
        "registerGrantPayment",
        "Register a payment of a granted grant; never more than committed and not yet paid",
    )
    .case_change::<requests::PaymentRequest>()
    .add();
    doc.get(
        "/grants/budget",
        "getGrantBudget",
        "The year's grant budget per grant (allocated, committed, paid, remaining) and startlån granted that year",
    )
    .query::<queries::BudgetParams>()
    .answer::<contract::GrantBudget>("200", "The budget")
    .add();
    doc.put(
        "/grants/budget/{year}/{grant}",
        "setGrantAllocation",
        "Set a grant's allocation for a year (approvers and leaders); replaces the earlier one",
    )
    .body::<requests::AllocationRequest>()
    .answer::<contract::AllocationSaved>("200", "Set; the grant's budget line")
    .add();
}

/// The municipality's reference-budget tables (SIFO) for startlån living costs.
fn reference_budgets(doc: &mut Document) {
    use crate::api::reference_budget as rb;
    doc.get(
        "/reference-budgets",
        "getReferenceBudgets",
        "The reference-budget layout (age bands, sex, household sizes, sources) and every version the municipality entered",
    )
    .description("SIFO's referansebudsjett as the municipality entered it, newest version first; the startlån calculation uses the newest version valid on the first day of its month. For administrators and leaders, who enter the tables.")
    .query::<rb::ReferenceBudgetParams>()
    .answer::<rb::ReferenceBudgets>("200", "The layout and the versions")
    .add();
    doc.put(
        "/reference-budgets",
        "putReferenceBudget",
        "Enter a new version of the municipality's reference budget (administrators and leaders)",
    )
    .description("Every key of the layout is required, amounts are øre per month (0 to 100 000 000), household amounts never fall as the household grows. A bad value is a 422 naming the field (`individual_ore.age_20_30_female`, `household_ore.size_3`, `valid_from`, `label`); another save since `expected_version` is a 409. Audited as `reference_budget.set`.")
    .body::<rb::ReferenceBudgetPut>()
    .answer::<rb::ReferenceBudgetSaved>("200", "Saved; the new version")
    .add();
}

/// The stateless calculators: no sign-in, nothing stored.
fn action_plan(doc: &mut Document) {
    use husly_domain::action_plan::{GoalInput, IndicatorInput, MeasureInput, PlanInput};
    doc.get(
        "/action-plans",
        "getActionPlans",
        "The municipality's social housing action plans, the latest period first",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<contract::PlanList>("200", "The plans")
    .add();
    doc.post(
        "/action-plans",
        "createActionPlan",
        "Start an action plan (leaders); a draft until its adoption date is recorded",
    )
    .query::<queries::MunicipalityParam>()
    .body::<PlanInput>()
    .answer::<contract::ActionPlan>("201", "The new plan")
    .add();
    doc.get(
        "/action-plans/{plan_id}",
        "getActionPlan",
        "A plan with each goal's indicators (this year's value, computed from the cases or reported by hand, and status against the target) and measures",
    )
    .answer::<contract::ActionPlan>("200", "The plan")
    .add();
    doc.put(
        "/action-plans/{plan_id}",
        "updateActionPlan",
        "Change the plan's title, period or adoption, at the version read",
    )
    .body::<requests::PlanChange>()
    .answer::<contract::ActionPlan>("200", "The plan")
    .error("409")
    .add();
    doc.get(
        "/action-plans/{plan_id}/history",
        "getActionPlanHistory",
        "Every change to the plan with who, when, why and the old and new values, newest first",
    )
    .answer::<contract::PlanHistory>("200", "The changes")
    .add();
    doc.post(
        "/action-plans/{plan_id}/goals",
        "addActionPlanGoal",
        "Add a goal to the plan",
    )
    .body::<GoalInput>()
    .answer::<contract::ActionPlan>("201", "The plan with the new goal last")
    .add();
    doc.put(
        "/action-plans/{plan_id}/goals/{goal_id}",
        "updateActionPlanGoal",
        "Change a goal's title and description",
    )
    .body::<GoalInput>()
    .answer::<contract::ActionPlan>("200", "The plan")
    .add();
    doc.post(
        "/action-plans/{plan_id}/goals/{goal_id}/measures",
        "addActionPlanMeasure",
        "Add a measure under a goal",
    )
    .body::<MeasureInput>()
    .answer::<contract::ActionPlan>("201", "The plan")
    .add();
    doc.put(
        "/action-plans/{plan_id}/measures/{measure_id}",
        "updateActionPlanMeasure",
        "Change a measure: its status as work goes on, deadline, owner or budget",
    )
    .body::<MeasureInput>()
    .answer::<contract::ActionPlan>("200", "The plan")
    .add();
    doc.post(
        "/action-plans/{plan_id}/goals/{goal_id}/indicators",
        "addActionPlanIndicator",
        "Add an indicator under a goal: linked to a built-in definition (its value comes from the cases) or reported by hand",
    )
    .body::<IndicatorInput>()
    .answer::<contract::ActionPlan>("201", "The plan")
    .add();
    doc.put(
        "/action-plans/{plan_id}/indicators/{indicator_id}",
        "updateActionPlanIndicator",
        "Change an indicator; a changed baseline or target needs a reason, kept with the old and new values",
    )
    .body::<requests::IndicatorChange>()
    .answer::<contract::ActionPlan>("200", "The plan")
    .add();
    doc.put(
        "/action-plans/{plan_id}/indicators/{indicator_id}/value",
        "reportActionPlanValue",
        "Report a year's value of an indicator not computed from the cases; replaces an earlier value for that year",
    )
    .body::<requests::IndicatorValue>()
    .answer::<contract::ActionPlan>("200", "The plan")
    .add();
    doc.get(
        "/action-plans/{plan_id}/goals/{goal_id}",
        "getActionPlanGoalTrends",
        "A goal's dashboard: each indicator's value this year, status and trend by year (earlier years as they stood at the year's end, from the daily snapshots)",
    )
    .answer::<contract::GoalTrends>("200", "The goal with its indicators' trends")
    .add();
    doc.get(
        "/action-plans/{plan_id}/indicators/{indicator_id}/cases",
        "getActionPlanIndicatorCases",
        "What an indicator computed from the cases counts for a year: counts by month and state, and the cases themselves for a role that may view cases (a recorded read)",
    )
    .query::<queries::YearParam>()
    .answer::<contract::IndicatorCases>("200", "What the value is based on")
    .add();
}

fn calculators(doc: &mut Document) {
    doc.post(
        "/calculators/bostotte",
        "estimateBostotte",
        "Estimate statlig bostøtte for a household and month, with every step and rule value used",
    )
    .description("Stateless: nothing is stored and no sign-in is needed. `month` picks the rules in force, `kommunenummer` the municipality group. Give either `annual_income_kr` (the household's counted income before weighting) or incomes per member, and either `annual_housing_costs_kr` or itemised `housing`. `unverified` lists the rule values used that are not verified against a primary source.")
    .public()
    .body::<EstimateRequest>()
    .answer::<Estimate>("200", "The estimate")
    .add();
    doc.post(
        "/calculators/startlan",
        "assessStartlan",
        "Assess whether a household can service a startlån (betjeningsevne), line by line, with every rule value used",
    )
    .description("Stateless: nothing is stored and no sign-in is needed. `month` picks the rules in force (Norges Bank's policy rate, Husbanken's stress-test margin and repayment terms, the guideline rates for økonomisk sosialhjelp). Amounts in the request are whole kroner (`_kr`, per month unless they are principals or purchase figures); amounts in the answer are øre (`_ore`). Every loan is tested at the stress rate (policy rate plus margin) unless a bank loan gives its own `rate`. Living costs are the household's own estimate if given, else the municipality's reference budget (SIFO) when `?municipality=` names one that has entered a table in force in the month, never below the social-assistance floor; `living_costs.source` says which was used and `living_costs.reference_budget` shows the table version and every member's band. `household.adult_ages`, `adult_sexes` and `children_sexes` pick the bands; an adult without an age counts in the most expensive adult band, a member whose sex is not stated at the higher amount. An unknown `municipality` is a 422 naming it. `unverified` lists the rule values used that are not verified against a primary source.")
    .public()
    .query::<crate::api::calculators::StartlanParams>()
    .body::<AffordabilityInput>()
    .answer::<AffordabilityResult>("200", "The assessment")
    .add();
}

/// The dwelling register, and a property-management system's sync by its own id.
fn dwellings(doc: &mut Document) {
    use contract::dwellings as d;
    doc.get(
        "/dwellings",
        "listDwellings",
        "The municipality's dwelling register in address order, filtered, a page at a time, with the count per status",
    )
    .description("The register holds no personal data; reading it is open to everyone in the housing unit and is not recorded in the access log. An unknown `status` or `type` is a 422 naming the parameter.")
    .query::<queries::DwellingParams>()
    .answer::<d::DwellingList>("200", "A page of dwellings")
    .add();
    doc.post(
        "/dwellings",
        "createDwelling",
        "Register a dwelling with its first status (housing managers)",
    )
    .description("The facts are checked as the register form checks them, every problem at once, each naming its field below `dwelling.` (the postal code against Posten's register; an `external_id` already in the register is refused). Rent is whole kroner in the request and øre in the answer. The `Location` header names the new dwelling.")
    .query::<queries::MunicipalityParam>()
    .body::<d::NewDwelling>()
    .answer::<d::DwellingDetail>("201", "Registered; the dwelling with its history")
    .add();
    doc.get(
        "/dwellings/{id}",
        "getDwelling",
        "A dwelling with its facts, status, version and history (who changed what, when and why), the newest change first",
    )
    .answer::<d::DwellingDetail>("200", "The dwelling")
    .add();
    doc.put(
        "/dwellings/{id}",
        "updateDwelling",
        "Replace a dwelling's facts at the version read (housing managers)",
    )
    .description("Every field of the record is replaced; a field left out is cleared or takes its default. A stale `version` is a 409.")
    .body::<d::DwellingChange>()
    .answer::<d::DwellingDetail>("200", "Changed; the dwelling with its new version")
    .error("409")
    .add();
    doc.post(
        "/dwellings/{id}/status",
        "setDwellingStatus",
        "Set a dwelling's status from a day: vacant, under repair, reserved or decommissioned (housing managers)",
    )
    .description("`let` comes only from a tenancy. Under repair and decommissioned need a `reason` (a 422 naming `reason` without one); a move the current status does not allow is a 422 naming `status`; `from` cannot be before the current status began. Decommissioning is undone by setting the dwelling vacant again.")
    .body::<d::StatusRequest>()
    .answer::<d::DwellingDetail>("200", "Set; the dwelling with its new version")
    .error("409")
    .add();
    doc.post(
        "/dwellings/{id}/delete",
        "deleteDwelling",
        "Remove a dwelling from the register (registered by mistake, or gone), with the reason (housing managers)",
    )
    .description("A soft delete: the dwelling and its history are kept, it leaves the register's list (`?deleted=true` lists the removed ones) and can be restored.")
    .body::<d::DeleteRequest>()
    .answer::<d::DwellingDetail>("200", "Removed")
    .error("409")
    .add();
    doc.post(
        "/dwellings/{id}/restore",
        "restoreDwelling",
        "Put a removed dwelling back in the register (housing managers)",
    )
    .body::<d::RestoreRequest>()
    .answer::<d::DwellingDetail>("200", "Restored")
    .error("409")
    .add();
    doc.get(
        "/dwellings/by-external-id/{external_id}",
        "getSyncedDwelling",
        "The dwelling a property-management system knows by its own id (also when removed)",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<d::Dwelling>("200", "The dwelling")
    .add();
    doc.put(
        "/dwellings/by-external-id/{external_id}",
        "syncDwelling",
        "Create or update the dwelling a property-management system knows by its own id: idempotent (housing managers' keys)",
    )
    .description("The same call twice changes nothing the second time (`outcome: unchanged`, no history entry). A new dwelling is vacant from today and answered with 201; an existing one keeps its status and gets the facts sent (`updated`); a removed one is put back with them (`restored`). The path gives the external id; an `external_id` in the body must be the same. Rent is whole kroner in the request and øre in the answer.")
    .query::<queries::MunicipalityParam>()
    .body::<d::DwellingRecord>()
    .answer::<d::SyncedDwelling>("201", "Created")
    .answer::<d::SyncedDwelling>("200", "Updated, restored or unchanged, as `outcome` says")
    .add();
    doc.delete(
        "/dwellings/by-external-id/{external_id}",
        "unsyncDwelling",
        "Remove the dwelling a property-management system knows by its own id (a soft delete; a later sync restores it)",
    )
    .description("Removing a dwelling already removed changes nothing and also answers 204.")
    .query::<queries::MunicipalityParam>()
    .no_content("Removed")
    .add();
}

/// The waiting list in priority order, the proposal for the vacancies, importing dwellings.
fn allocation(doc: &mut Document) {
    use contract::allocation as a;
    doc.post(
        "/dwellings/import",
        "importDwellings",
        "Import dwellings from a CSV or XLSX file (housing managers): all rows or none",
    )
    .description("A `multipart/form-data` body with the file in the part `file` (CSV with `;`, `,` or tab, UTF-8 or Windows-1252; or .xlsx, first sheet), at most 5 MB and 20 000 rows. The first row holds the column headings: the record's field names, Kobo's names or the Norwegian ones. Every row is checked before anything is saved; a 422 names each problem as `rows[N].field` (N the row as the spreadsheet shows it), `columns[C]` or `file`. A row whose `external_id` is in the register updates that dwelling, so the same file twice changes nothing.")
    .query::<queries::MunicipalityParam>()
    .file_body()
    .answer::<a::ImportResult>("200", "Imported")
    .add();
    doc.get(
        "/waiting-list",
        "getWaitingList",
        "The waiting list in priority order, 100 households a page, each with its points and why, its bedroom need and the explanation in words",
    )
    .description("Names households, so the read is recorded in the access log. The ranking cites the priority policy it used by version and fingerprint.")
    .query::<queries::WaitingListParams>()
    .answer::<a::WaitingList>("200", "A page of the ranked waiting list")
    .add();
    doc.get(
        "/allocation/proposal",
        "getAllocationProposal",
        "Which waiting household for which vacant dwelling: the optimal assignment under the priority policy, and for each household without a proposal why",
    )
    .description("Only pairs that meet every hard constraint (bedrooms within the policy's range, wheelchair access, step-free access, pets, avoided districts, who may get the dwelling type) are considered; among those, the assignment maximises the total of priority points × 1 000 plus a small fit bonus, so priority always comes first. Households and dwellings already in an open or accepted offer are left out. Computed when asked and saved nowhere (a round saves its proposal); the read is recorded in the access log.")
    .query::<queries::MunicipalityParam>()
    .answer::<a::AllocationProposal>("200", "The proposal")
    .add();
    rounds(doc);
    priority_policy(doc);
}

/// Allocation rounds with their verifiable draw, overrides and offers.
fn rounds(doc: &mut Document) {
    use contract::rounds as r;
    doc.get(
        "/allocation/rounds",
        "listAllocationRounds",
        "The municipality's allocation rounds, newest first",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<Vec<r::RoundSummary>>("200", "The rounds")
    .add();
    doc.post(
        "/allocation/rounds",
        "startAllocationRound",
        "Start a round: freeze the vacancies not yet offered and the waiting households not in an offer, and commit to a secret seed",
    )
    .description("The answer shows the input hash and the commitment (SHA-256 of the seed) to publish before the draw; the seed itself stays secret until `POST …/draw`. Without a vacancy the answer is a 422. The `Location` header names the new round.")
    .query::<queries::MunicipalityParam>()
    .answer::<r::RoundDetail>("201", "Started and frozen")
    .add();
    doc.get(
        "/allocation/rounds/{id}",
        "getAllocationRound",
        "A round with its lines (the household chosen for each vacancy, the proposal's and any override with its reason) and its offers",
    )
    .description("Names households, so the read is recorded in the access log.")
    .answer::<r::RoundDetail>("200", "The round")
    .add();
    doc.post(
        "/allocation/rounds/{id}/draw",
        "drawAllocationRound",
        "Reveal the seed, draw the order for ties, and save the optimal proposal for the round's vacancies",
    )
    .description("Only a frozen round at the version read (409 otherwise). Households that left the waiting list since the round was frozen are left out; a dwelling no longer vacant gets nobody and says why.")
    .body::<r::DrawRequest>()
    .answer::<r::RoundDetail>("200", "Drawn; the proposal saved")
    .error("409")
    .add();
    doc.get(
        "/allocation/rounds/{id}/draw",
        "getPublishedDraw",
        "The published draw of a drawn round: commitment, seed, input hash, entries (case references) and the drawn order",
    )
    .description("The document `husly verify-draw` reads (docs/verify-draw.md): anyone can re-run the draw from it and get the same order. A round not yet drawn is a 422.")
    .answer::<husly_domain::allocation::draw::PublishedDraw>("200", "The published draw")
    .add();
    doc.post(
        "/allocation/rounds/{id}/lines/{dwelling}",
        "overrideAllocationLine",
        "Choose another household (by case reference) or none for a vacancy of a drawn round, with the reason",
    )
    .description("The household must be on the round's frozen list, on no other line and fit the dwelling under the policy's hard constraints (422 naming `case` otherwise); the line must have no open or accepted offer. The proposal's own choice is kept beside the override.")
    .body::<r::OverrideRequest>()
    .answer::<r::RoundDetail>("200", "Saved")
    .error("409")
    .add();
    doc.post(
        "/allocation/rounds/{id}/end",
        "endAllocationRound",
        "Close a drawn round, or cancel one nobody has been offered anything from, with the reason",
    )
    .body::<r::EndRequest>()
    .answer::<r::RoundDetail>("200", "Closed or cancelled")
    .error("409")
    .add();
    doc.post(
        "/allocation/rounds/{id}/offers",
        "makeOffer",
        "Offer a drawn round's vacancy to the household chosen for it, with an answer date",
    )
    .description("A dwelling and a household carry at most one open offer each; the database refuses a second, also under simultaneous requests (422 saying which). The answer date defaults to the municipality's answer period. The `Location` header names the offer.")
    .body::<r::OfferRequest>()
    .answer::<r::OfferDetail>("201", "Offered")
    .add();
    doc.get(
        "/offers",
        "listOffers",
        "The municipality's offers, newest first: the open ones, or all with `all=true`",
    )
    .description("Names households, so the read is recorded in the access log.")
    .query::<queries::OfferListParams>()
    .answer::<Vec<r::Offer>>("200", "The offers")
    .add();
    doc.get(
        "/offers/{id}",
        "getOffer",
        "An offer with the household's standing with the municipality's decline rule",
    )
    .answer::<r::OfferDetail>("200", "The offer")
    .add();
    doc.post(
        "/offers/{id}/answer",
        "answerOffer",
        "Record the household's answer: accept, or decline with a coded reason",
    )
    .description("Only an open offer, by its answer date, at the version read. Which reasons count as reasonable, and how many declines without one the household may make, is the municipality's policy; the answer says whether the limit is now exceeded (the municipality decides what follows).")
    .body::<r::AnswerRequest>()
    .answer::<r::OfferDetail>("200", "Recorded")
    .error("409")
    .add();
    doc.post(
        "/offers/{id}/withdraw",
        "withdrawOffer",
        "Take an open offer back, with the reason; it does not count against the household",
    )
    .body::<r::OfferChangeRequest>()
    .answer::<r::OfferDetail>("200", "Withdrawn")
    .error("409")
    .add();
    doc.post(
        "/offers/{id}/reopen",
        "reopenOffer",
        "Undo a decline, an expiry or a withdrawal: the offer is open again with a new answer date",
    )
    .description("Refused (422) when the dwelling or the household has another open offer by now.")
    .body::<r::OfferChangeRequest>()
    .answer::<r::OfferDetail>("200", "Open again")
    .error("409")
    .add();
}

/// Tenancy contracts: written from an accepted offer, listed, ended and the end undone.
fn tenancies(doc: &mut Document) {
    use contract::tenancies as t;
    doc.post(
        "/offers/{id}/contract",
        "createContract",
        "Write the tenancy contract for an accepted offer: the dwelling is let from the start and the household's application is closed",
    )
    .description("One transaction: the contract and its first period, the dwelling `let` from the start day, the application case closed (it leaves the waiting list). Refused (422 naming the field) when the rules are not met: a fixed term shorter than three years needs `notice_11_1_on` (husleieloven §§ 9-3, 11-1), a deposit is at most six months' rent (§ 3-5); refused (422) when the offer is not accepted, already has a contract, or the dwelling has an open contract. The `Location` header names the contract.")
    .body::<t::ContractRequest>()
    .answer::<t::ContractDetail>("201", "Written")
    .error("409")
    .add();
    doc.get(
        "/tenancies",
        "listTenancies",
        "The municipality's contracts: running (newest first), expiring within `months` (soonest first, those past their term first) or ended",
    )
    .description("Names households, so the read is recorded in the access log. 100 per page from `offset`.")
    .query::<t::ContractListParams>()
    .answer::<t::ContractList>("200", "The contracts")
    .add();
    doc.get(
        "/tenancies/{id}",
        "getTenancy",
        "A contract with its periods and history",
    )
    .answer::<t::ContractDetail>("200", "The contract")
    .add();
    doc.post(
        "/tenancies/{id}/end",
        "endTenancy",
        "End a running contract: the move-out day, the reason and the day notice was given; the dwelling is vacant from the day after",
    )
    .body::<t::EndRequest>()
    .answer::<t::ContractDetail>("200", "Ended")
    .error("409")
    .add();
    doc.post(
        "/tenancies/{id}/undo-end",
        "undoTenancyEnd",
        "Undo the end of a contract, with the reason: it runs again and the dwelling is let again",
    )
    .description("Refused (422) when the dwelling has been let to someone else since.")
    .body::<t::UndoEndRequest>()
    .answer::<t::ContractDetail>("200", "Running again")
    .error("409")
    .add();
    doc.post(
        "/tenancies/{id}/rent-changes",
        "changeRent",
        "Record a new rent from a day (housing managers): an index adjustment, an adjustment to the going rent, an agreement or a correction",
    )
    .description("Husleieloven chapter 4: an index adjustment (§ 4-2) at the earliest a year after the rent was last set and a month after the written notice; an adjustment to the going rent (§ 4-3) when the rent has stood two years and six months, six months after the notice; an agreement or a correction needs its note. Each problem is a 422 naming its field. A change whose day has come is in effect at once; a later one takes effect on its day (the daily job `rent_changes`) and can be cancelled until then. The increase is not checked against the consumer price index.")
    .body::<t::RentChangeRequest>()
    .answer::<t::ContractDetail>("201", "Recorded")
    .error("409")
    .add();
    doc.post(
        "/tenancies/{id}/rent-changes/{change_id}/cancel",
        "cancelRentChange",
        "Cancel a rent change not yet in effect, with the reason (one in effect is a 409: record a new change instead)",
    )
    .body::<t::CancelRentChangeRequest>()
    .answer::<t::ContractDetail>("200", "Cancelled")
    .error("409")
    .add();
    ledger(doc);
}

/// The rent ledger: importing the accounting system's file, and the tenancies in arrears.
fn ledger(doc: &mut Document) {
    use contract::ledger as l;
    doc.post(
        "/tenancies/ledger",
        "importRentLedger",
        "Import the rent ledger from the accounting system (housing managers): one row per tenancy and month with the amount due and the amount paid; all rows or none",
    )
    .description("A `multipart/form-data` body with the file in the part `file` (CSV with `;`, `,` or tab, UTF-8 or Windows-1252; or .xlsx, first sheet), at most 5 MB and 20 000 rows. Columns (headings in Norwegian or English, letter case and spaces ignored): `Leieforhold`/`Kontraktsnummer`/`reference` (the contract's `reference`, e.g. `L-000123`; the number alone is read too), `Periode`/`Måned`/`period` (`2026-03`, `03.2026`, `202603`, `mars 2026`), `Forfalt`/`Skyldig`/`due_kr` and `Innbetalt`/`Betalt`/`paid_kr` (kroner: `8 100`, `8 100,50`, `8100.50`, `-` for nothing); `Leietaker` and `Adresse` are read past. Every row is checked before anything is saved; a 422 names each problem as `rows[N].field` (N the row as the spreadsheet shows it), `columns[C]` or `file`: a reference the municipality has no tenancy with (named in the message), a tenancy and month given twice, a negative amount, a month that has not begun or is before the contract. A month already on the ledger takes the file's figures, so the same file twice changes nothing (`unchanged`).")
    .query::<queries::MunicipalityParam>()
    .file_body()
    .answer::<l::LedgerImportResult>("200", "Imported")
    .add();
    doc.get(
        "/tenancies/arrears",
        "listArrears",
        "The tenancies whose rent arrears reach the municipality's threshold this month, the largest first, with the latest imports",
    )
    .description("Arrears are what fell due less what was paid over every month on the ledger, payments settling the oldest rent first. The threshold (months of rent, an amount, or months with rent unpaid, whichever comes first) is the municipality's in the rule file `rules/rent_arrears.toml`, cited. Names households, so the read is recorded in the access log. A contract's own months and arrears come with `GET /tenancies/{id}` (`ledger`).")
    .query::<queries::MunicipalityParam>()
    .answer::<l::ArrearsList>("200", "The tenancies in arrears over the threshold")
    .add();
}

/// The priority policy's versions, a draft's simulation and saving, and verifying a draw.
fn priority_policy(doc: &mut Document) {
    use crate::api::policy as p;
    doc.get(
        "/allocation/policies",
        "listPriorityPolicies",
        "The priority policy's versions: the municipality's own, the latest effective date first, then Husly's standard (modelled on Drammen), with which is in force today",
    )
    .description("Municipal rule data, no personal data: open to everyone in the housing unit and not recorded in the access log. Each version's criteria are listed; `GET /allocation/policies/{id}` adds the text.")
    .query::<p::PolicyParams>()
    .answer::<p::PolicyList>("200", "The versions")
    .add();
    doc.get(
        "/allocation/policies/{id}",
        "getPriorityPolicy",
        "One version of the priority policy with its TOML text",
    )
    .query::<p::PolicyParams>()
    .answer::<p::PolicyVersionView>("200", "The version")
    .add();
    doc.post(
        "/allocation/policies/simulate",
        "simulatePriorityPolicy",
        "Rank today's waiting list under the policy in force and under a draft, and say who moves up and down by household type, reason and KOSTRA category (leaders); nothing is changed",
    )
    .description("The draft's `version`, `effective_from` and the municipality's number are written into the text's header before it is checked. A text that does not parse is a 422 naming each problem under `text` (`text.criteria[2].points`, or `text` itself with the line); a missing or past `effective_from` (today is the earliest) and a label used before are 422s on those fields. The households that move most are named by case reference only for a caller who may also see cases, and that read is recorded in the access log. The answer's `fingerprint` is what `POST /allocation/policies` needs.")
    .body::<p::PolicyDraft>()
    .answer::<p::PolicySimulationView>("200", "The simulation")
    .add();
    doc.post(
        "/allocation/policies",
        "savePriorityPolicy",
        "Save a simulated draft as a new version of the priority policy with its effective date (leaders)",
    )
    .description("Checked as the simulation checks it, and `simulated_fingerprint` must be the simulation's `fingerprint` of this very draft (else a 422 on `simulated`); `reason` is required. Nothing is saved on a 422. Audited as `priority_policy.saved`. The version applies from its `effective_from`; of two from one day the one saved last.")
    .body::<p::PolicySave>()
    .answer::<p::PolicyVersionView>("201", "Saved; the new version")
    .add();
    doc.post(
        "/draws/verify",
        "verifyDraw",
        "Verify a published draw: re-run it from the published data and say whether the commitment, the input hash and the order match (as `husly verify-draw`)",
    )
    .description("Open to anyone with the published data: no sign-in; nothing is read or stored. A draw that does not match is a 200 with `ok: false`, the first difference in `mismatch` and in words in `message`; a body that is not a published draw (an unknown field, a seed that is not 64 hex digits) is a 422. docs/verify-draw.md describes the procedure.")
    .public()
    .body::<p::DrawToVerify>()
    .answer::<p::DrawVerification>("200", "The verification")
    .add();
}

/// Stock versus demand (the waiting-time estimate rides on each waiting-list entry).
fn stock(doc: &mut Document) {
    doc.get(
        "/allocation/stock",
        "getStockAndDemand",
        "Stock versus demand: waiting households by bedroom need and wheelchair need against the dwellings (all, vacant now, wheelchair accessible) and the lettings of each of the last three full years",
    )
    .description("Counts only, no household or dwelling named, so the read is not recorded in the access log. A letting is a tenancy that began in the year, in a dwelling still in the register. `years_to_serve` is the number waiting divided by the average lettings per year (null when none were let); vacancies now are not subtracted. Each entry of `GET /waiting-list` carries `estimated_wait`, a range in months worked out from the household's place among those competing for the same dwellings and the lettings that would have fitted it in each of the same years (low from the busiest year, high from the quietest, never below half the average).")
    .query::<queries::MunicipalityParam>()
    .answer::<contract::stock::StockAndDemandAnswer>("200", "The comparison")
    .add();
}

fn consents(doc: &mut Document) {
    doc.get(
        "/households/{id}/consents",
        "listConsents",
        "A household's consents to share with partner organisations, the newest first (those who work with households)",
    )
    .description("Each with its state today: `scheduled`, `in_force`, `expired` or `withdrawn`. The read is recorded in the access log.")
    .answer::<contract::consents::ConsentList>("200", "The consents")
    .add();
    doc.post(
        "/households/{id}/consents",
        "recordConsent",
        "Record a member's consent to share with a partner organisation (caseworkers, follow-up workers)",
    )
    .description("A 422 names each field that is wrong: a person outside the household, an organisation of another municipality (or none), no purpose, no category, a period that ends before it starts or has ended already, a guardian without a name. Nothing is kept then. The consent is a household event with its audit entry.")
    .body::<contract::consents::ConsentRequest>()
    .answer::<contract::consents::ConsentList>("201", "The household's consents, the new one first")
    .add();
    doc.post(
        "/households/{id}/consents/{consent_id}/withdraw",
        "withdrawConsent",
        "Withdraw a consent at once, with the reason (caseworkers, follow-up workers)",
    )
    .description("The partner loses access at once. A withdrawal is not undone: if the person consents again, record a new consent. A consent withdrawn already answers 409.")
    .body::<contract::consents::WithdrawRequest>()
    .answer::<contract::consents::Consent>("200", "The consent as now withdrawn")
    .add();
    doc.get(
        "/partner/households",
        "partnerHouseholds",
        "The households with a consent in force today to the caller's partner organisation (partners)",
    )
    .description(
        "`organisation` is null while the caller is linked to no organisation. The read is recorded in the access log.",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<contract::consents::ConsentingHouseholds>("200", "The households")
    .add();
    doc.get(
        "/partner/households/{id}",
        "partnerHousehold",
        "A household as its consents to the caller's organisation show it (partners)",
    )
    .description("Only the consented categories are filled; the others are null. A household without a consent in force to the caller's organisation (none, expired, withdrawn) is 404. Every read is recorded in the access log with the consents it relied on.")
    .answer::<contract::consents::PartnerHousehold>("200", "The household")
    .add();
    doc.get(
        "/partner/households/{id}/documents/{document_id}",
        "partnerDocument",
        "A document of the household's applications, on a documents consent in force (partners)",
    )
    .description("Without a consent in force that covers `documents`, 404. The read is recorded in the access log with the consents it relied on.")
    .file_answer("application/octet-stream", "The file (PDF, JPEG or PNG)")
    .add();
    doc.post(
        "/partner/households/{id}/follow-up/entries",
        "partnerLogFollowUp",
        "Log a contact or home visit on the household's follow-up consent (partners)",
    )
    .description("Needs a consent in force that covers `follow_up`; without one, 404. The entry's audit record names the consents relied on.")
    .body::<contract::follow_up::EntryRequest>()
    .answer::<contract::consents::PartnerHousehold>("201", "The household as now seen")
    .add();
    doc.get(
        "/partners",
        "listPartnerOrganisations",
        "The municipality's partner organisations with their users (administrators)",
    )
    .query::<queries::MunicipalityParam>()
    .answer::<Vec<contract::consents::Organisation>>("200", "The organisations")
    .add();
    doc.post(
        "/partners",
        "addPartnerOrganisation",
        "Register a partner organisation (administrators)",
    )
    .description("A name the municipality already uses is refused on `name` (422).")
    .query::<queries::MunicipalityParam>()
    .body::<contract::consents::OrganisationRequest>()
    .answer::<Vec<contract::consents::Organisation>>("201", "The organisations")
    .add();
    doc.put(
        "/partners/memberships",
        "setPartnerMembership",
        "Say which organisation a partner user works for, or none (administrators)",
    )
    .description("The user must hold the partner role in the municipality (else 422 on `user`).")
    .query::<queries::MunicipalityParam>()
    .body::<contract::consents::MembershipRequest>()
    .answer::<Vec<contract::consents::Organisation>>("200", "The organisations")
    .add();
}

fn protection(doc: &mut Document) {
    doc.get(
        "/households/{id}/protection",
        "listAddressProtection",
        "A household's address blocks: fortrolig or strengt fortrolig adresse (those who work with households)",
    )
    .description("`level` is the strictest block among the members; while it is set, the household's address is masked everywhere (empty, with `address_protection` or `address_protected` set), whoever asks. The read is recorded in the access log.")
    .answer::<contract::protection::ProtectionList>("200", "The blocks")
    .add();
    doc.post(
        "/households/{id}/protection",
        "recordAddressProtection",
        "Record (or change) a member's address block (caseworkers, holders of access to protected addresses)",
    )
    .description("For `strengt_fortrolig` the household's address is erased at once (none is stored) and `contact_route` is required: letters go there. A 422 names each field that is wrong (a person outside the household, no reason, a contact route without a valid postal code); nothing is kept then.")
    .body::<contract::protection::ProtectionRequest>()
    .answer::<contract::protection::ProtectionList>("201", "The household's blocks")
    .add();
    doc.post(
        "/households/{id}/protection/{person_id}/lift",
        "liftAddressProtection",
        "Lift a member's address block, with the reason (holders of access to protected addresses)",
    )
    .description("The address is shown again when no member has a block. A member without one answers 404. Undone by recording the block again.")
    .body::<contract::protection::LiftRequest>()
    .answer::<contract::protection::ProtectionList>("200", "The blocks left")
    .add();
    doc.post(
        "/households/{id}/protection/reveal",
        "revealProtectedAddress",
        "Open a protected address for a stated purpose (holders of access to protected addresses)",
    )
    .description("Every call is recorded in the access log with the purpose, in the same transaction as the read. For strengt fortrolig no address is stored: `stored` is false.")
    .body::<contract::protection::RevealRequest>()
    .answer::<contract::protection::RevealedAddress>("200", "The address")
    .add();
}

fn meetings(doc: &mut Document) {
    doc.get(
        "/households/{id}/meetings",
        "listMeetings",
        "A household's collaboration meetings (samarbeidsmøter) with who took part and the actions agreed, the latest first (those who work with households)",
    )
    .description("The read is recorded in the access log.")
    .answer::<contract::meetings::MeetingList>("200", "The meetings")
    .add();
    doc.post(
        "/households/{id}/meetings",
        "recordMeeting",
        "Record a collaboration meeting about the household, with the partner organisations that took part and the actions agreed (caseworkers, follow-up workers)",
    )
    .description("Each organisation that took part or owns an action needs the household's consent in force to it; an owner takes part. A 422 names each field that is wrong: `kind`, `held_on` (a date, not in the future, at most a year back), `summary`, `organisations`, `others`, and an action's `actions[n].description`, `actions[n].owner` or `actions[n].due_on` (on or after the meeting); more than 20 actions on `actions`. Nothing is kept then.")
    .body::<contract::meetings::MeetingRequest>()
    .answer::<contract::meetings::Meeting>("201", "The meeting as recorded")
    .add();
    doc.post(
        "/households/{id}/meetings/actions/{action_id}",
        "changeMeetingAction",
        "Mark one of the housing unit's actions from a meeting done (with what came of it) or open again (caseworkers, follow-up workers)",
    )
    .description("Only the owner changes an action (else 422 on `state`); an action already in that state is refused on `state`; one changed by someone else meanwhile answers 409.")
    .body::<contract::meetings::ActionChangeRequest>()
    .answer::<contract::meetings::MeetingAction>("200", "The action as it now stands")
    .add();
    doc.post(
        "/partner/households/{id}/meetings",
        "partnerRecordMeeting",
        "Record a collaboration meeting the caller's organisation took part in, about a household with a follow-up consent in force to it (partners)",
    )
    .description("Without a consent in force holding follow-up, 404. The caller's organisation takes part. Bad input as for `recordMeeting` (422).")
    .body::<contract::meetings::MeetingRequest>()
    .answer::<contract::meetings::Meeting>("201", "The meeting as recorded")
    .add();
    doc.post(
        "/partner/households/{id}/meetings/actions/{action_id}",
        "partnerChangeMeetingAction",
        "Mark one of the caller's organisation's actions done or open again (partners)",
    )
    .description("On a consent in force (else 404). As `changeMeetingAction`.")
    .body::<contract::meetings::ActionChangeRequest>()
    .answer::<contract::meetings::MeetingAction>("200", "The action as it now stands")
    .add();
}

fn reminders(doc: &mut Document) {
    doc.get(
        "/reminders",
        "listReminders",
        "The caller's reminders from the nightly job: contracts past their term (housing managers), follow-up plans due for review (the responsible worker), approvals about to lapse (the case's caseworker); open ones first, then those marked done in the last 30 days",
    )
    .description("A reminder whose matter has been dealt with (the contract ended or renewed, the plan reviewed or closed, the approval renewed or lapsed) is not listed. The read is recorded in the access log.")
    .query::<queries::MunicipalityParam>()
    .answer::<contract::reminders::ReminderList>("200", "The reminders")
    .add();
    doc.post(
        "/reminders/{reminder_id}",
        "markReminder",
        "Mark one of the caller's reminders done, or open again (caseworkers, follow-up workers, housing managers)",
    )
    .description("A reminder that is not the caller's, or whose matter has been dealt with, answers 404; one already in that state is refused on `state` (422); a `version` other than the one kept answers 409. Answers the caller's reminders as `listReminders` does.")
    .query::<queries::MunicipalityParam>()
    .body::<contract::reminders::ReminderMarkRequest>()
    .answer::<contract::reminders::ReminderList>("200", "The reminders after the mark")
    .error("409")
    .add();
}

fn referrals(doc: &mut Document) {
    doc.get(
        "/households/{id}/referrals",
        "listReferrals",
        "A household's referrals (henvisninger) to and from partner organisations, the newest first (those who work with households)",
    )
    .description("The read is recorded in the access log.")
    .answer::<contract::referrals::ReferralList>("200", "The referrals")
    .add();
    doc.post(
        "/households/{id}/referrals",
        "sendReferral",
        "Send a referral about the household to a partner organisation (caseworkers, follow-up workers)",
    )
    .description("The household must have a consent in force to the receiver. A 422 names each field that is wrong: no or an unknown receiver (`to`), a receiver without the household's consent, the unit itself (a referral to oneself), no purpose or request, a due date before today. Nothing is kept then.")
    .body::<contract::referrals::ReferralRequest>()
    .answer::<contract::referrals::Referral>("201", "The referral as sent")
    .add();
    doc.post(
        "/households/{id}/referrals/{referral_id}/answer",
        "answerReferral",
        "Answer a referral to the housing unit: accept, decline with a reason, or complete with the outcome (caseworkers, follow-up workers)",
    )
    .description("Only the receiver answers (else 422 on `step`); a step the state does not allow is refused on `step`; a referral answered by someone else meanwhile answers 409.")
    .body::<contract::referrals::AnswerRequest>()
    .answer::<contract::referrals::Referral>("200", "The referral as now answered")
    .add();
    doc.get(
        "/referrals",
        "referralQueue",
        "The housing unit's open referrals, to and from it, by due date (caseworkers, follow-up workers)",
    )
    .description("`overdue` counts the open referrals past their due date; `actions` are the open actions the unit owns from collaboration meetings, `overdue_actions` those past their due date. The read is recorded in the access log.")
    .query::<queries::MunicipalityParam>()
    .answer::<contract::referrals::ReferralQueue>("200", "The queue")
    .add();
    doc.get(
        "/partner/referrals",
        "partnerReferralQueue",
        "The open referrals to and from the caller's partner organisation, by due date (partners)",
    )
    .description("Only about households with a consent in force to the organisation today. The read is recorded in the access log.")
    .query::<queries::MunicipalityParam>()
    .answer::<contract::referrals::ReferralQueue>("200", "The queue")
    .add();
    doc.post(
        "/partner/households/{id}/referrals",
        "partnerSendReferral",
        "Send a referral about a household that has consented to the caller's organisation: to the housing unit (`unit`) or another organisation it has consented to (partners)",
    )
    .description("Without a consent in force to the caller's organisation, 404. Bad input as for `sendReferral` (422).")
    .body::<contract::referrals::ReferralRequest>()
    .answer::<contract::referrals::Referral>("201", "The referral as sent")
    .add();
    doc.post(
        "/partner/households/{id}/referrals/{referral_id}/answer",
        "partnerAnswerReferral",
        "Answer a referral to the caller's organisation (partners)",
    )
    .description("On a consent in force (else 404). As `answerReferral`.")
    .body::<contract::referrals::AnswerRequest>()
    .answer::<contract::referrals::Referral>("200", "The referral as now answered")
    .add();
}
