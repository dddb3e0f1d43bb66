//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/openapi.json`.
//!
//! The paths are written next to the routes they describe. The schemas of the answers and of
//! the request bodies are generated from their own types (`api::contract`); the domain's input
//! types inside them (the application form, a household, a case's economy) and the calculators'
//! and the outreach list's schemas are still written here. A test walks every documented operation against the running
//! server and validates each answer, and the route table test checks that every API route is here.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn routes() -> Router<crate::AppState> {
    Router::new().route("/api/openapi.json", get(|| async { Json(document()) }))
}

fn error_responses() -> Value {
    json!({
        "400": { "$ref": "#/components/responses/Error" },
        "401": { "$ref": "#/components/responses/Error" },
        "403": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" },
        "422": { "$ref": "#/components/responses/Error" }
    })
}

fn with_errors(mut ok: Value) -> Value {
    if let (Some(map), Value::Object(errors)) = (ok.as_object_mut(), error_responses()) {
        map.extend(errors);
    }
    ok
}

fn id_param(description: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": description, "schema": { "type": "string", "format": "uuid" } })
}

fn municipality_param(required: bool) -> Value {
    json!({
        "name": "municipality", "in": "query", "required": required,
        "description": "Kommunenummer (four digits). May be left out when the user has a role in one municipality only.",
        "schema": { "type": "string", "pattern": "^[0-9]{4}$" }
    })
}

/// A change to a case answers with the case as it is now (its new `version`).
fn case_change_responses() -> Value {
    with_errors(json!({
        "200": { "description": "Changed; the case with its new version", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } },
        "409": { "$ref": "#/components/responses/Error" },
        "422": { "$ref": "#/components/responses/Error" }
    }))
}

fn json_ok(description: &str, schema: &str) -> Value {
    json!({ "200": { "description": description, "content": { "application/json": { "schema": { "$ref": schema } } } } })
}

/// The whole document.
pub fn document() -> Value {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Husly API",
            "version": "1.0.0",
            "description": "People, households and the access log of a municipality's housing office. Every call is authorised by role and municipality and every read or change of personal data is written to the tamper-evident access log. Records of another municipality answer 404."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/me": { "get": {
                "operationId": "me", "summary": "The authenticated user and their roles per municipality",
                "responses": with_errors(json_ok("The user", "#/components/schemas/Me"))
            }},
            "/api/v1/people": { "get": {
                "operationId": "searchPeople", "summary": "Search people by name or identity number",
                "parameters": [
                    municipality_param(false),
                    { "name": "q", "in": "query", "required": true, "description": "A full 11-digit identity number, or the start of name words", "schema": { "type": "string", "maxLength": 200 } },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 200, "default": 50 } }
                ],
                "responses": with_errors(json_ok("Matching people with their households", "#/components/schemas/SearchResults"))
            }},
            "/api/v1/people/{id}": { "get": {
                "operationId": "getPerson", "summary": "A person and the households they belong to",
                "parameters": [id_param("Person id")],
                "responses": with_errors(json_ok("The person", "#/components/schemas/PersonWithHouseholds"))
            }},
            "/api/v1/households": { "post": {
                "operationId": "createHousehold", "summary": "Register a household",
                "parameters": [municipality_param(false)],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HouseholdInput" } } } },
                "responses": with_errors(json!({
                    "201": { "description": "Registered", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Household" } } } },
                    "422": { "$ref": "#/components/responses/Error" }
                }))
            }},
            "/api/v1/households/{id}": {
                "get": {
                    "operationId": "getHousehold", "summary": "A household with its members",
                    "parameters": [id_param("Household id")],
                    "responses": with_errors(json_ok("The household", "#/components/schemas/Household"))
                },
                "put": {
                    "operationId": "updateHousehold", "summary": "Replace a household's address, period and members",
                    "parameters": [id_param("Household id")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HouseholdUpdate" } } } },
                    "responses": with_errors(json!({
                        "200": { "description": "Updated", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Household" } } } },
                        "409": { "$ref": "#/components/responses/Error" },
                        "422": { "$ref": "#/components/responses/Error" }
                    }))
                }
            },
            "/api/v1/households/{id}/timeline": { "get": {
                "operationId": "getHouseholdTimeline", "summary": "The household's events, newest first",
                "parameters": [id_param("Household id")],
                "responses": with_errors(json_ok("The events", "#/components/schemas/Timeline"))
            }},
            "/api/v1/audit": { "get": {
                "operationId": "getAuditLog", "summary": "Access log entries of a municipality, newest first (administrators)",
                "parameters": [
                    municipality_param(false),
                    { "name": "actor", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "action", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "resource", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 100 } },
                    { "name": "offset", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "default": 0 } }
                ],
                "responses": with_errors(json_ok("Entries", "#/components/schemas/AuditEntries"))
            }},
            "/api/v1/outreach/bostotte": { "get": {
                "operationId": "bostotteOutreach",
                "summary": "Tenants of municipal dwellings without bostøtte who likely qualify, largest estimate first",
                "parameters": [
                    municipality_param(false),
                    { "name": "month", "in": "query", "required": false, "description": "yyyy-mm; the current month when left out", "schema": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" } }
                ],
                "responses": with_errors(json!({
                    "200": { "description": "The list", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OutreachList" } } } },
                    "422": { "$ref": "#/components/responses/Error" }
                }))
            }},
            "/api/v1/calculators/bostotte": { "post": {
                "operationId": "estimateBostotte",
                "summary": "Estimate statlig bostøtte for a household and month, with every step and rule value used",
                "description": "Stateless: nothing is stored and no sign-in is needed. `month` picks the rules in force, `kommunenummer` the municipality group. Give either `annual_income_kr` (the household's counted income before weighting) or incomes per member, and either `annual_housing_costs_kr` or itemised `housing`. `unverified` lists the rule values used that are not verified against a primary source.",
                "security": [],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BostotteRequest" } } } },
                "responses": {
                    "200": { "description": "The estimate", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BostotteEstimate" } } } },
                    "400": { "$ref": "#/components/responses/Error" },
                    "422": { "$ref": "#/components/responses/Error" }
                }
            }},
            "/api/v1/calculators/startlan": { "post": {
                "operationId": "assessStartlan",
                "summary": "Assess whether a household can service a startlån (betjeningsevne), line by line, with every rule value used",
                "description": "Stateless: nothing is stored and no sign-in is needed. `month` picks the rules in force (Norges Bank's policy rate, Husbanken's stress-test margin and repayment terms, the guideline rates for økonomisk sosialhjelp). Amounts in the request are whole kroner (`_kr`, per month unless they are principals or purchase figures); amounts in the answer are øre (`_ore`). Every loan is tested at the stress rate (policy rate plus margin) unless a bank loan gives its own `rate`; living costs are the household's own estimate or the social-assistance floor, whichever is higher. `unverified` lists the rule values used that are not verified against a primary source.",
                "security": [],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StartlanRequest" } } } },
                "responses": {
                    "200": { "description": "The assessment", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StartlanAssessment" } } } },
                    "400": { "$ref": "#/components/responses/Error" },
                    "422": { "$ref": "#/components/responses/Error" }
                }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "An API key created by an administrator (husly_…)" } },
            "responses": {
                "Error": { "description": "An error with a stable code; validation errors name each field", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            },
            "schemas": schemas()
        }
    });
    if let (Some(paths), Value::Object(cases)) = (doc["paths"].as_object_mut(), case_paths()) {
        paths.extend(cases);
    }
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), case_handling_paths()) {
        paths.extend(more);
    }
    // Every body has a size limit (64 KiB; a document upload `max_document_bytes`): 413 beyond.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for operation in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            if operation.get("requestBody").is_some()
                && let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut)
            {
                responses
                    .entry("413")
                    .or_insert(json!({ "$ref": "#/components/responses/Error" }));
            }
        }
    }
    doc
}

/// The paths of cases: the work queue, registration, the case and its workflow steps.
/// Documents, appeals, assignment, the interim answer and duplicate flags.
fn case_handling_paths() -> Value {
    json!({
        "/api/v1/cases/{id}/documents": {
            "get": {
                "operationId": "listDocuments", "summary": "The documents attached to the case",
                "parameters": [id_param("Case id")],
                "responses": with_errors(json!({
                    "200": { "description": "The documents", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DocumentList" } } } }
                }))
            },
            "post": {
                "operationId": "uploadDocument", "summary": "Attach a PDF, JPEG or PNG to the case (recognised by its content, not its name)",
                "description": "A `multipart/form-data` body with the file in the part `file`; at most `max_document_bytes` (10 MiB by default), otherwise 413.",
                "parameters": [id_param("Case id")],
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "required": ["file"], "properties": {
                    "file": { "type": "string", "contentMediaType": "application/octet-stream" }
                }}}}},
                "responses": with_errors(json!({
                    "201": { "description": "Attached", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Document" } } } },
                    "413": { "$ref": "#/components/responses/Error" },
                    "422": { "$ref": "#/components/responses/Error" }
                }))
            }
        },
        "/api/v1/cases/{id}/documents/{document_id}": { "get": {
            "operationId": "getDocument", "summary": "A document of the case, as uploaded",
            "parameters": [id_param("Case id"), { "name": "document_id", "in": "path", "required": true, "description": "Document id", "schema": { "type": "string", "format": "uuid" } }],
            "responses": with_errors(json!({
                "200": { "description": "The file (PDF, JPEG or PNG)", "content": { "application/octet-stream": { "schema": { "type": "string" } } } }
            }))
        }},
        "/api/v1/cases/{id}/assignment": { "post": {
            "operationId": "assignCase", "summary": "Take the case (`take: true`) or release it",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AssignRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/interim-answer": { "post": {
            "operationId": "sendInterimAnswer", "summary": "Send the interim answer (forvaltningsloven § 11 a) as a letter",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/InterimRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/flags/{flag_id}": { "post": {
            "operationId": "resolveDuplicateFlag", "summary": "Link (the same household, handled together) or dismiss (not a duplicate) a possible duplicate, with the reason",
            "parameters": [id_param("Case id"), { "name": "flag_id", "in": "path", "required": true, "description": "Flag id", "schema": { "type": "string", "format": "uuid" } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FlagRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/appeals": { "post": {
            "operationId": "registerAppeal", "summary": "Register an appeal against the sent decision",
            "description": "An appeal after the deadline needs `reason` (forvaltningsloven § 31). To find for the appellant, propose a new decision (`POST …/decisions`).",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AppealStep" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/appeals/forward": { "post": {
            "operationId": "forwardAppeal", "summary": "Uphold the decision and forward the appeal to the appeal body",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AppealStep" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/appeals/outcome": { "post": {
            "operationId": "recordAppealOutcome", "summary": "Record what the appeal body decided: upheld, reversed, or returned to be decided again",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OutcomeRequest" } } } },
            "responses": case_change_responses()
        }}
    })
}

fn case_paths() -> Value {
    json!({
        "/api/v1/cases": { "get": {
            "operationId": "caseQueue", "summary": "The work queue: cases of a municipality, the earliest deadline first",
            "parameters": [
                municipality_param(false),
                { "name": "filter", "in": "query", "required": false, "description": "mine: assigned to the caller; unassigned; due_soon: a deadline within a week; overdue: a deadline passed; to_approve: proposed decisions waiting for approval; open: every open case", "schema": { "type": "string", "enum": ["mine", "unassigned", "due_soon", "overdue", "to_approve", "open"], "default": "open" } },
                { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 200, "default": 50 } },
                { "name": "offset", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "default": 0 } }
            ],
            "responses": with_errors(json!({
                "200": { "description": "Queue rows", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CaseQueue" } } } },
                "422": { "$ref": "#/components/responses/Error" }
            }))
        }},
        "/api/v1/households/{id}/applications": { "post": {
            "operationId": "registerApplication", "summary": "Register an application (received on paper, by phone or at the counter) for a household",
            "description": "The form may be a draft: what is given is checked (errors name fields such as `form.economy[0].incomes[0]`), what is still missing is listed under `missing` when the case is read. The case starts as `received`; the interim-answer deadline runs from `received_on`.",
            "parameters": [id_param("Household id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewApplication" } } } },
            "responses": with_errors(json!({
                "201": { "description": "Registered; `Location` names the case", "headers": { "Location": { "schema": { "type": "string" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } },
                "422": { "$ref": "#/components/responses/Error" }
            }))
        }},
        "/api/v1/cases/{id}": { "get": {
            "operationId": "getCase", "summary": "A case with its assessment as of today, what the application still lacks, its decisions and letters",
            "parameters": [id_param("Case id")],
            "responses": with_errors(json_ok("The case", "#/components/schemas/CaseDetail"))
        }},
        "/api/v1/cases/{id}/timeline": { "get": {
            "operationId": "getCaseTimeline", "summary": "The case's events, newest first",
            "parameters": [id_param("Case id")],
            "responses": with_errors(json_ok("The events", "#/components/schemas/Timeline"))
        }},
        "/api/v1/cases/{id}/application": { "put": {
            "operationId": "updateApplication", "summary": "Replace the application form (while the case is received, assessed or waiting for information)",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ApplicationUpdate" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/actions": { "post": {
            "operationId": "caseAction", "summary": "Take a workflow step: start the assessment, ask for or receive information, register and handle an appeal, withdraw or close",
            "description": "A step the case's state does not allow is refused with 400 and a message naming the state and the step. `request_information` needs `reason` and a future `information_due`; `withdraw` needs `reason`; an appeal after the deadline needs `reason` (forvaltningsloven § 31).",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CaseActionRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/overrides": { "post": {
            "operationId": "overrideRule", "summary": "Record the caseworker's judgement on an eligibility rule, or remove it (`outcome: null`)",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OverrideRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/decisions": { "post": {
            "operationId": "proposeDecision", "summary": "Propose a decision (a reversal when the case is on appeal); an approver reviews it",
            "description": "The assessment as of today is stored with the proposal. Granting needs a complete application and `granted_text`.",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DecisionRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/review": { "post": {
            "operationId": "reviewDecision", "summary": "Approve the proposed decision or send it back (approvers; never one's own proposal)",
            "description": "Four eyes: the proposer of a decision can never approve it; the attempt is refused with 400 and a message.",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReviewRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/send": { "post": {
            "operationId": "sendDecision", "summary": "Send the approved decision: the letter is written in the chosen language and stored as PDF with its hash",
            "description": "The appeal deadline runs from `delivered_on`; a granted municipal-housing application is put on the waiting list.",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SendRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/cases/{id}/letters/{letter_id}": { "get": {
            "operationId": "getLetter", "summary": "A letter of the case as the PDF that was sent",
            "description": "The letters of a case, with their ids, kinds, languages and SHA-256 hashes, are listed in `GET /api/v1/cases/{id}`. The `ETag` is the PDF's SHA-256.",
            "parameters": [id_param("Case id"), { "name": "letter_id", "in": "path", "required": true, "description": "Letter id", "schema": { "type": "string", "format": "uuid" } }],
            "responses": with_errors(json!({
                "200": { "description": "The PDF", "content": { "application/pdf": { "schema": { "type": "string", "contentMediaType": "application/pdf" } } } }
            }))
        }},
        "/api/v1/cases/{id}/finance": { "put": {
            "operationId": "saveCaseFinance", "summary": "Record a startlån or grant case's economy (while the case is received, assessed or waiting for information)",
            "description": "A startlån carries the affordability input of `POST /api/v1/calculators/startlan`; the answer holds the case and its affordability test. Errors name fields below `finance.`.",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FinanceRequest" } } } },
            "responses": with_errors(json!({
                "200": { "description": "Recorded", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FinanceSaved" } } } },
                "409": { "$ref": "#/components/responses/Error" },
                "422": { "$ref": "#/components/responses/Error" }
            }))
        }},
        "/api/v1/cases/{id}/ledger": { "get": {
            "operationId": "getCaseLedger", "summary": "A grant case's entries in the grant budget (committed, paid, released)",
            "parameters": [id_param("Case id")],
            "responses": with_errors(json_ok("The entries", "#/components/schemas/CaseLedger"))
        }},
        "/api/v1/cases/{id}/payments": { "post": {
            "operationId": "registerGrantPayment", "summary": "Register a payment of a granted grant; never more than committed and not yet paid",
            "parameters": [id_param("Case id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PaymentRequest" } } } },
            "responses": case_change_responses()
        }},
        "/api/v1/grants/budget": { "get": {
            "operationId": "getGrantBudget", "summary": "The year's grant budget per grant (allocated, committed, paid, remaining) and startlån granted that year",
            "parameters": [municipality_param(false), { "name": "year", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 2020, "maximum": 2100 }, "description": "Default: this year" }],
            "responses": with_errors(json_ok("The budget", "#/components/schemas/GrantBudget"))
        }},
        "/api/v1/grants/budget/{year}/{grant}": { "put": {
            "operationId": "setGrantAllocation", "summary": "Set a grant's allocation for a year (approvers and leaders); replaces the earlier one",
            "parameters": [
                { "name": "year", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 2020, "maximum": 2100 } },
                { "name": "grant", "in": "path", "required": true, "schema": { "$ref": "#/components/schemas/GrantType" } }
            ],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AllocationRequest" } } } },
            "responses": with_errors(json!({
                "200": { "description": "Set; the grant's budget line", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AllocationSaved" } } } },
                "422": { "$ref": "#/components/responses/Error" }
            }))
        }}
    })
}

/// The schemas of startlån and grant cases and the grant budget.
fn finance_schemas() -> Value {
    let kr = json!({ "type": "integer", "minimum": 0, "maximum": husly_domain::finance::MAX_GRANT_KR });
    let purposes: Vec<&str> = husly_domain::finance::LoanPurpose::ALL
        .iter()
        .map(|p| p.code())
        .collect();
    let exceptions: Vec<&str> = husly_domain::finance::MeansTestException::ALL
        .iter()
        .map(|e| e.code())
        .collect();
    let startlan_case = json!({ "type": "object", "additionalProperties": false, "required": ["kind", "purpose", "affordability"], "properties": {
        "kind": { "const": "startlan" },
        "purpose": { "type": "string", "enum": purposes },
        "exception": { "type": ["string", "null"], "enum": exceptions, "description": "An exception from the means test (forskriften § 5-4), if one applies" },
        "affordability": { "$ref": "#/components/schemas/StartlanRequest" }
    }});
    let grant_case = json!({ "type": "object", "additionalProperties": false, "required": ["kind", "grant", "purpose", "cost_kr", "applied_kr", "tenure"], "properties": {
        "kind": { "const": "grant" },
        "grant": { "$ref": "#/components/schemas/GrantType" },
        "purpose": { "type": "string", "minLength": 1, "maxLength": husly_domain::finance::MAX_PURPOSE_LEN },
        "cost_kr": kr, "applied_kr": kr,
        "tenure": { "type": "string", "enum": ["owner", "tenant"] },
        "landlord_consent": { "type": "boolean", "default": false, "description": "A tenant's adaptation needs it" },
        "startlan_reference": { "type": ["string", "null"], "description": "The start loan case the grant tops up" }
    }});
    json!({
        "CaseFinance": { "oneOf": [startlan_case, grant_case], "discriminator": { "propertyName": "kind" } },
    })
}

fn schemas() -> Value {
    let text = json!({ "type": "string", "maxLength": 200 });
    let kr = json!({ "type": "integer", "minimum": 0, "maximum": husly_domain::bostotte::MAX_AMOUNT_KR });
    let income_kinds: Vec<&str> = husly_domain::bostotte::IncomeKind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    let mut all = json!({
        "BostotteRequest": { "type": "object", "additionalProperties": false, "required": ["month", "kommunenummer", "members"], "properties": {
            "month": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "examples": ["2023-06"] },
            "kommunenummer": { "type": "string", "pattern": "^[0-9]{4}$", "examples": ["3301"] },
            "members": { "type": "array", "minItems": 1, "maxItems": husly_domain::household::MAX_MEMBERS, "description": "The first member is the applicant", "items": {
                "type": "object", "additionalProperties": false, "required": ["birth_date"], "properties": {
                    "birth_date": { "type": "string", "description": "yyyy-mm-dd or dd.mm.yyyy" },
                    "old_age_pensioner": { "type": "boolean", "default": false },
                    "young_disabled": { "type": "boolean", "default": false },
                    "incomes": { "type": "array", "items": { "type": "object", "additionalProperties": false, "required": ["kind", "annual_kr"], "properties": {
                        "kind": { "type": "string", "enum": income_kinds }, "annual_kr": kr
                    }}}
                }
            }},
            "annual_income_kr": kr, "annual_housing_costs_kr": kr,
            "tenure": { "type": "string", "enum": ["rent", "cooperative", "owned"], "default": "rent" },
            "housing": { "type": "object", "additionalProperties": false, "required": ["tenure"], "properties": {
                "tenure": { "type": "string", "enum": ["rent", "cooperative", "owned"] },
                "annual_rent_kr": kr, "annual_common_costs_kr": kr, "annual_loan_costs_kr": kr,
                "annual_municipal_charges_kr": kr, "annual_property_tax_kr": kr, "annual_ground_rent_kr": kr,
                "heating_included": { "type": "boolean", "default": false }
            }},
            "net_wealth_kr": kr, "dwelling_tax_value_kr": kr,
            "adapted_dwelling": { "type": "boolean", "default": false },
            "young_disabled": { "type": "boolean", "default": false }
        }},
        "BostotteEstimate": { "type": "object", "required": ["monthly_kr", "weighted_income_kr", "own_share_kr", "cap_kr", "rule_version", "unverified"],
            "additionalProperties": true,
            "description": "The figures below are the contract. The answer also carries the estimate's explanation, step by step (members, income, housing costs, cap, own share), as the household page shows it; those parts are informative and may gain detail.",
            "properties": {
            "month": { "type": "string" },
            "monthly_kr": { "type": "integer", "description": "The payout per month; 0 when below the minimum payout" },
            "computed_monthly_kr": { "type": "integer", "description": "Before the minimum-payout rule; negative when the own share exceeds the costs" },
            "weighted_income_kr": { "type": "integer" }, "own_share_kr": { "type": "integer", "description": "Per year" },
            "cap_kr": { "type": "integer", "description": "Per year" }, "approved_costs_kr": { "type": "integer" },
            "municipality_group": { "type": "integer", "minimum": 1, "maximum": 4 },
            "outcome": { "type": "string", "enum": ["paid", "below_minimum", "own_share_exceeds_costs"] },
            "rule_version": { "type": "string" },
            "used": { "type": "array", "items": { "$ref": "#/components/schemas/RuleValue" } },
            "unverified": { "type": "array", "items": { "$ref": "#/components/schemas/RuleValue" } }
        }},
        "OutreachList": { "type": "object", "required": ["month", "examined", "candidates", "total_monthly_kr"], "properties": {
            "month": { "type": "string" }, "examined": { "type": "integer", "description": "Active tenancies without bostøtte looked at" },
            "total_monthly_kr": { "type": "integer" },
            "candidates": { "type": "array", "items": { "type": "object", "properties": {
                "household_id": { "type": "string", "format": "uuid" }, "address_line": { "type": "string" },
                "members": { "type": "integer" }, "monthly_rent_kr": { "type": "integer" },
                "income_kr": { "type": "integer", "description": "Counted income before weighting, per year" },
                "monthly_kr": { "type": "integer", "description": "Estimated bostøtte per month" }
            }}}
        }},
        "RuleValue": { "type": "object", "required": ["table", "field", "period_from", "source", "verified"], "properties": {
            "table": { "type": "string" }, "field": { "type": "string" }, "period_from": { "type": "string" },
            "source": { "type": "string" }, "verified": { "type": "boolean" },
            "note": { "type": "string", "description": "Only where the rule table has a note" }
        }}
    });
    let rest = json!({
        "Error": { "type": "object", "required": ["error"], "properties": { "error": {
            "type": "object", "required": ["code", "message", "fields"],
            "properties": {
                "code": { "type": "string", "enum": crate::error::ERROR_CODES },
                "message": { "type": "string" },
                "fields": { "type": "array", "items": { "type": "object", "required": ["field", "code", "message"], "properties": {
                    "field": { "type": "string", "examples": ["members[1].national_id"] },
                    "code": { "type": "string" },
                    "message": { "type": "string" }
                }}}
            }
        }}},
        "MemberInput": { "type": "object", "additionalProperties": false, "properties": {
            "national_id": { "type": "string", "description": "Fødselsnummer or D-nummer; spaces, hyphens and dots between digits are accepted" },
            "given_name": text, "family_name": text,
            "birth_date": { "type": "string", "description": "dd.mm.yyyy or yyyy-mm-dd; may be empty when the number gives it" },
            "phone": text, "email": text, "preferred_language": { "type": "string", "enum": ["", "nb", "nn", "en"] },
            "relation": { "$ref": "#/components/schemas/Relation" }
        }},
        "HouseholdInput": { "type": "object", "additionalProperties": false, "properties": {
            "address_line": text, "postal_code": { "type": "string", "pattern": "^[0-9]{4}$" }, "postal_city": text,
            "from_date": { "type": "string", "description": "dd.mm.yyyy or yyyy-mm-dd" }, "to_date": { "type": "string" },
            "members": { "type": "array", "maxItems": husly_domain::household::MAX_MEMBERS, "items": { "$ref": "#/components/schemas/MemberInput" } }
        }},
    });
    if let (Some(all), Value::Object(rest)) = (all.as_object_mut(), rest) {
        all.extend(rest);
    }
    if let (Some(all), Value::Object(startlan)) = (all.as_object_mut(), startlan_schemas()) {
        all.extend(startlan);
    }
    if let (Some(all), Value::Object(cases)) = (all.as_object_mut(), case_schemas()) {
        all.extend(cases);
    }
    if let (Some(all), Value::Object(finance)) = (all.as_object_mut(), finance_schemas()) {
        all.extend(finance);
    }
    // The answers' schemas are generated from their types (`api::contract`).
    if let Some(all) = all.as_object_mut() {
        all.extend(super::contract::components());
    }
    all
}

/// The schemas of the startlån calculator (`husly_domain::startlan`).
fn startlan_schemas() -> Value {
    use husly_domain::startlan::input::{MAX_AMOUNT_KR, MAX_BANK_TERM_YEARS, MAX_FIXED_COSTS};
    let max_text = husly_domain::validation::MAX_TEXT_LEN;
    let kr = |description: &str| json!({ "type": "integer", "minimum": 0, "maximum": MAX_AMOUNT_KR, "description": description });
    let ore = |description: &str| json!({ "type": "integer", "description": description });
    let percent_in = |description: &str| json!({ "type": ["string", "null"], "description": format!("{description} Written as text with at most two decimals, \"7 %\", \"8.5 %\" or \"8,5\"."), "examples": ["8.5 %"] });
    let percent_out = |description: &str| json!({ "type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})? %$", "description": description, "examples": ["7 %", "6.5 %"] });
    let loan_kind = json!({ "type": "string", "enum": ["annuity", "serial"], "description": "annuity: level payments (annuitetslån); serial: level instalments, falling payments (serielån)" });
    let fixed_cost_kind =
        json!({ "type": "string", "enum": ["debt", "student_loan", "childcare", "child_support", "other"] });
    let extended_term_conditions = json!({ "type": ["object", "null"], "additionalProperties": false, "description": "The conditions of § 8-5 for a term over the normal maximum; required for one. a–c may be waived: a for families with children or households at risk of losing their home with low but predictable income, b and c for households at risk of losing their home; d never", "properties": {
        "lasting_low_income": { "type": "boolean", "default": false, "description": "a) documented lasting low income" },
        "dwelling_suits_long_term": { "type": "boolean", "default": false, "description": "b) the dwelling meets the household's needs for a long time" },
        "renting_unsuitable": { "type": "boolean", "default": false, "description": "c) renting privately is unsuitable or considerably more expensive over time" },
        "shorter_term_not_responsible": { "type": "boolean", "default": false, "description": "d) a shorter term is not financially responsible" },
        "at_risk_of_losing_home": { "type": "boolean", "default": false },
        "low_predictable_income": { "type": "boolean", "default": false }
    }});
    json!({
        "StartlanRequest": { "type": "object", "additionalProperties": false, "required": ["month", "household", "income_after_tax_kr", "loans"], "properties": {
            "month": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "The month assessed; it picks the rules in force", "examples": ["2026-03"] },
            "household": { "type": "object", "additionalProperties": false, "required": ["adults"], "properties": {
                "adults": { "type": "integer", "minimum": 1, "maximum": husly_domain::household::MAX_MEMBERS, "description": "Adults (18 or older), the applicants included" },
                "couple": { "type": "boolean", "default": false, "description": "Whether two of the adults are married or cohabiting (needs at least two adults)" },
                "children_ages": { "type": "array", "default": [], "maxItems": husly_domain::household::MAX_MEMBERS, "description": "Age in whole years of each child under 18; adults plus children at most the household maximum",
                    "items": { "type": "integer", "minimum": 0, "maximum": 17 } }
            }},
            "income_after_tax_kr": kr("The household's income after tax, kroner per month"),
            "fixed_costs": { "type": "array", "default": [], "maxItems": MAX_FIXED_COSTS, "description": "Other fixed costs", "items": {
                "type": "object", "additionalProperties": false, "required": ["kind", "amount_kr"], "properties": {
                    "kind": fixed_cost_kind,
                    "label": { "type": ["string", "null"], "maxLength": max_text },
                    "amount_kr": kr("Kroner per month")
                }
            }},
            "maintenance_kr": kr("Expected maintenance and running costs of the dwelling (common costs, insurance, municipal fees…), kroner per month; default 0"),
            "own_living_cost_estimate_kr": { "type": ["integer", "null"], "minimum": 0, "maximum": MAX_AMOUNT_KR, "description": "The household's own estimate of its living costs, kroner per month; used when it is at least the social-assistance floor" },
            "loans": { "type": "object", "additionalProperties": false, "required": ["startlan"], "properties": {
                "startlan": { "type": "object", "additionalProperties": false, "required": ["principal_kr", "term_years", "kind"], "properties": {
                    "principal_kr": kr("Kroner"),
                    "term_years": { "type": "integer", "minimum": 1, "description": "Normally at most 30 years; up to 50 with an `extended_term_reason` and met `extended_term_conditions` (forskrift om lån fra Husbanken § 8-5; the limits are the rules in force in `month`)" },
                    "instalment_free_years": { "type": "integer", "minimum": 0, "default": 0, "description": "Interest-only years at the start (at most 8 under the rules in force, and fewer than the term)" },
                    "kind": loan_kind,
                    "extended_term_reason": { "type": ["string", "null"], "maxLength": max_text, "description": "Why a term longer than the normal maximum is granted (special circumstances); required for one" },
                    "extended_term_conditions": extended_term_conditions
                }},
                "bank": { "type": ["object", "null"], "additionalProperties": false, "required": ["principal_kr", "term_years", "kind"], "description": "A bank loan financing the rest of the purchase, if any", "properties": {
                    "principal_kr": kr("Kroner"),
                    "term_years": { "type": "integer", "minimum": 1, "maximum": MAX_BANK_TERM_YEARS },
                    "kind": loan_kind,
                    "rate": percent_in("The rate to test the bank loan at; without one, the startlån's stress rate is used.")
                }}
            }},
            "financing": { "type": ["object", "null"], "additionalProperties": false, "required": ["price_kr"], "description": "The purchase, to tell how much a grant (tilskudd til etablering) would have to cover", "properties": {
                "price_kr": kr("Kroner"),
                "purchase_costs_kr": kr("Document duty, registration fees, estate agent…, kroner; default 0"),
                "equity_kr": kr("Kroner; default 0")
            }}
        }},
        "StartlanAssessment": { "type": "object",
            "required": ["month", "policy_rate", "stress_margin", "stress_rate", "living_costs", "lines", "startlan", "disposable_ore", "affordable", "max_affordable_startlan_ore", "used_rules", "unverified"],
            "properties": {
                "month": { "type": "string" },
                "policy_rate": percent_out("Norges Bank's policy rate in force in the month"),
                "stress_margin": percent_out("Husbanken's stress-test margin"),
                "stress_rate": percent_out("The rate the startlån is tested at: policy rate plus margin"),
                "living_costs": { "type": "object", "required": ["floor", "used_ore", "source"], "properties": {
                    "floor": { "type": "object", "required": ["lines", "total_ore"], "description": "The social-assistance floor (statlige veiledende satser) for the household's composition", "properties": {
                        "lines": { "type": "array", "items": { "type": "object", "required": ["category", "count", "rate_ore", "amount_ore"], "properties": {
                            "category": { "type": "string", "enum": ["single", "couple", "shared_housing_adult", "child0_to5", "child6_to10", "child11_to17"] },
                            "count": { "type": "integer" }, "rate_ore": ore("Per person (per couple), per month"), "amount_ore": ore("count × rate")
                        }}},
                        "total_ore": ore("Per month")
                    }},
                    "own_estimate_ore": ore("The household's own estimate, when given"),
                    "used_ore": ore("The amount deducted: the higher of the estimate and the floor"),
                    "source": { "type": "string", "enum": ["own_estimate", "social_assistance_floor"] }
                }},
                "lines": { "type": "array", "description": "The calculation line by line, per month: income positive, deductions negative; they sum to `disposable_ore`", "items": {
                    "type": "object", "required": ["code", "amount_ore"], "properties": {
                        "code": { "type": "string", "enum": ["income_after_tax", "living_costs", "fixed_cost", "maintenance", "startlan_payment", "bank_loan_payment"] },
                        "kind": fixed_cost_kind, "label": { "type": "string" }, "amount_ore": { "type": "integer" }
                    }
                }},
                "startlan": { "$ref": "#/components/schemas/StartlanLoanPayment" },
                "bank_loan": { "$ref": "#/components/schemas/StartlanLoanPayment" },
                "disposable_ore": ore("What is left each month; negative when the household cannot service the loans"),
                "affordable": { "type": "boolean", "description": "Whether `disposable_ore` is at least zero" },
                "max_affordable_startlan_ore": ore("The largest startlån (whole kroner) the household can service with the same term, kind and instalment-free years, everything else unchanged"),
                "grant": { "type": "object", "description": "Present when `financing` was given", "required": ["financing_need_ore", "serviceable_startlan_ore", "grant_needed_ore"], "properties": {
                    "financing_need_ore": ore("Price plus purchase costs, less equity and the bank loan; never below zero"),
                    "serviceable_startlan_ore": ore("The part of the need the household can service as a startlån"),
                    "grant_needed_ore": ore("The rest: what a grant (tilskudd til etablering) would have to cover")
                }},
                "used_rules": { "type": "array", "items": { "$ref": "#/components/schemas/RuleValue" } },
                "unverified": { "type": "array", "items": { "$ref": "#/components/schemas/RuleValue" } }
            }
        },
        "StartlanLoanPayment": { "type": "object", "description": "A loan at its test rate",
            "required": ["principal_ore", "rate", "term_years", "instalment_free_years", "kind", "monthly_payment_ore", "schedule"],
            "properties": {
                "principal_ore": ore("The principal"),
                "rate": percent_out("The rate the loan was tested at"),
                "term_years": { "type": "integer" }, "instalment_free_years": { "type": "integer" }, "kind": loan_kind,
                "monthly_payment_ore": ore("The payment counted in the assessment: the first full payment after any instalment-free years"),
                "schedule": { "type": "object", "required": ["months", "first_payment_ore", "first_full_payment_ore", "highest_payment_ore", "total_interest_ore", "total_paid_ore"], "properties": {
                    "months": { "type": "integer", "description": "Number of payments" },
                    "first_payment_ore": ore("The first monthly payment"),
                    "first_full_payment_ore": ore("The first payment with an instalment"),
                    "highest_payment_ore": ore("The highest monthly payment"),
                    "total_interest_ore": ore("Over the whole term"),
                    "total_paid_ore": ore("Over the whole term")
                }}
            }
        }
    })
}

/// The schemas of cases (`husly_store::cases`, `husly_domain::cases`, `husly_domain::eligibility`).
fn case_schemas() -> Value {
    use husly_domain::cases::{Consent, CurrentHousing, Reason, application};
    let date = |description: &str| json!({ "type": "string", "format": "date", "description": description });
    let opt_date =
        |description: &str| json!({ "type": ["string", "null"], "format": "date", "description": description });
    let long_text = json!({ "type": "string", "maxLength": application::MAX_LONG_TEXT });
    let income_kinds: Vec<&str> = husly_domain::bostotte::IncomeKind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    let max_kr = husly_domain::bostotte::MAX_AMOUNT_KR;
    let text3 = json!({ "type": "object", "properties": { "nb": { "type": "string" }, "nn": { "type": "string" }, "en": { "type": "string" } } });
    let rule_outcome = json!({ "type": "string", "enum": ["met", "not_met", "manual", "not_applicable"] });
    json!({
        "ApplicationForm": { "type": "object", "additionalProperties": false, "description": "What the applicant answers; every field may be left out in a draft. Amounts are whole kroner per year.", "properties": {
            "current_housing": { "type": ["string", "null"], "enum": CurrentHousing::ALL.map(CurrentHousing::code).into_iter().map(Some).chain([None]).collect::<Vec<_>>() },
            "current_housing_text": long_text,
            "current_housing_ends": opt_date("When the current lease or stay ends"),
            "reasons": { "type": "array", "items": { "type": "string", "enum": Reason::ALL.map(Reason::code) }, "description": "The first is the main reason" },
            "reasons_text": long_text,
            "wheelchair_access": { "type": "boolean", "default": false },
            "ground_floor_or_lift": { "type": "boolean", "default": false },
            "pets": { "type": "boolean", "default": false },
            "preferred_areas": { "type": "array", "maxItems": application::MAX_AREAS, "items": { "type": "string", "maxLength": husly_domain::validation::MAX_TEXT_LEN } },
            "areas_to_avoid": { "type": "array", "maxItems": application::MAX_AREAS, "items": { "type": "string", "maxLength": husly_domain::validation::MAX_TEXT_LEN } },
            "needs_text": long_text,
            "economy": { "type": "array", "description": "Per household member, in household order", "items": { "type": "object", "additionalProperties": false, "properties": {
                "incomes": { "type": "array", "description": "Yearly incomes as [kind, kroner] pairs", "items": { "type": "array", "minItems": 2, "maxItems": 2,
                    "prefixItems": [{ "type": "string", "enum": income_kinds }, { "type": "integer", "minimum": 0, "maximum": max_kr }] } },
                "net_wealth_kr": { "type": "integer", "minimum": -max_kr, "maximum": max_kr, "default": 0 }
            }}},
            "lawful_residence": { "type": ["boolean", "null"] },
            "registered_in_municipality_since": opt_date("Registered as resident in the municipality since; not in the future"),
            "rent_arrears": { "type": ["boolean", "null"] },
            "evicted_on": opt_date("Evicted from a municipal dwelling on; not in the future"),
            "consents": { "type": "array", "items": { "type": "string", "enum": Consent::ALL.map(Consent::code) } },
            "existing_tenant": { "type": "boolean", "default": false, "description": "Already rents a municipal dwelling" },
            "confirmed": { "type": "boolean", "default": false, "description": "The applicant confirms the answers (required before granting)" }
        }},
        "RuleOverride": { "type": "object", "properties": {
            "rule": { "type": "string" }, "outcome": rule_outcome, "reason": { "type": "string" }
        }},
        "Assessment": { "type": "object", "description": "The automatic eligibility assessment: each rule, the facts it used and its result, with the caseworker's overrides", "properties": {
            "case_type": { "$ref": "#/components/schemas/CaseType" }, "date": date("The day assessed"),
            "municipality_rules": { "type": "string" }, "rule_version": { "type": "string" },
            "results": { "type": "array", "items": { "type": "object", "properties": {
                "rule": { "type": "string", "examples": ["income_cap"] }, "name": text3,
                "facts": { "type": "array", "items": { "type": "object", "required": ["label", "value"], "properties": { "label": text3, "value": text3 } } },
                "computed": rule_outcome, "explanation": text3,
                "overridden": { "anyOf": [{ "$ref": "#/components/schemas/RuleOverride" }, { "type": "null" }] }
            }}},
            "overall": rule_outcome,
            "bedrooms": { "type": "integer", "description": "Bedrooms the household needs by the municipality's rule" },
            "used": { "type": "array", "items": { "$ref": "#/components/schemas/RuleValue" } },
            "unverified": { "type": "array", "items": { "$ref": "#/components/schemas/RuleValue" } }
        }},
    })
}
