//! Renewal reviews through the scheduler, the pages and the API, on both backends: the server's
//! daily run opens a review for the fixture's contract, which ends within the lead time (once,
//! however often the job runs); the case page shows the contract and the suggested new term;
//! a bad proposal is refused naming the field, by the page and the API alike; the renewal goes
//! through four eyes and its letter renews the contract, which then has its next period.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;

fn post_form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

#[tokio::test]
async fn a_contract_nearing_its_end_is_reviewed_and_renewed_with_a_letter() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        // The fixture's contract ends in seven months; moved to four, it is within the lead time
        // of six when the server starts.
        common::fixture::move_term_end(&store, &f.tenancy, 120).await;
        let server = start(&db, &[]);
        common::scheduler_settled(&store).await;
        let periods = store.contract_periods(f.home, &f.tenancy).await.unwrap();
        let (review, reference) = periods[0].review.clone().expect("the daily run opened a review");
        let term_end = periods[0].to.unwrap();
        // The job again (a second server, the next tick): nothing new.
        let again = husly_usecases::renewals::open_renewal_reviews(&store, common::today())
            .await
            .unwrap();
        assert_eq!(again.opened, 0, "{}", db.url);
        let household_cases = store.cases_of_household(f.home, f.household).await.unwrap();
        assert_eq!(
            household_cases
                .iter()
                .filter(|c| c.case_type == husly_domain::cases::CaseType::TenancyRenewal)
                .count(),
            1
        );

        let caseworker = common::login(&server, &f.users[&Role::Caseworker].0, PASSWORD).await;
        let approver = common::login(&server, &f.users[&Role::Approver].0, PASSWORD).await;
        let case_url = format!("/cases/{review}");
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(page.contains("Fornyelse av leiekontrakt"), "{page}");
        assert!(
            page.contains(&format!("href=\"/tenancies/{}\">Tollbugata 11</a>", f.tenancy)),
            "{page}"
        );
        assert!(page.contains(&reference));
        // Due three months before the term ends, in the work queue too.
        let opened = store.case(f.home, review).await.unwrap();
        let practice = husly_domain::eligibility::EligibilityRules::embedded()
            .allocation_rules("3301", husly_domain::rules::YearMonth::of(common::today()))
            .unwrap()
            .values
            .renewal_practice();
        let decide_by = practice.decide_by(term_end, common::today());
        assert_eq!((opened.decide_by, opened.next_due), (Some(decide_by), Some(decide_by)));
        assert!(page.contains("Vedtaket bør sendes innen"), "{page}");
        assert!(common::raw_keys(&page).is_empty(), "{:?}", common::raw_keys(&page));
        // The tenancy page links to its review.
        let tenancy = common::page_text(&server, &caseworker, &format!("/tenancies/{}", f.tenancy)).await;
        assert!(tenancy.contains(&format!("href=\"/cases/{review}\"")), "{tenancy}");
        assert!(tenancy.contains("Fornyelsesvurdering startet"), "{tenancy}");

        let csrf = common::csrf_of(&server, &caseworker, &case_url).await;
        let post = |http: &reqwest::Client, path: &str, pairs: &[(&str, &str)], csrf: &str| {
            let mut form = post_form(pairs);
            form.push(("csrf".into(), csrf.to_string()));
            let request = http.post(server.url(&format!("{case_url}{path}"))).form(&form);
            async move { request.send().await.unwrap() }
        };
        let version = |page: &str| common::hidden(page, "version");
        let r = post(
            &caseworker,
            "/action",
            &[("version", &version(&page)), ("action", "start_assessment")],
            &csrf,
        )
        .await;
        assert_eq!(r.status(), 303);
        // What the household told us is brought up to date, and the judgement the rules leave
        // to the caseworker recorded.
        let page = common::page_text(&server, &caseworker, &case_url).await;
        let r = post(
            &caseworker,
            "/application",
            &[
                ("version", &version(&page)),
                ("current_housing", "municipal_rental"),
                ("reasons", "economy"),
                ("economy[0].income", "260 000"),
                ("economy[0].wealth", "0"),
                ("lawful_residence", "yes"),
                ("registered_in_municipality_since", "01.01.2018"),
                ("rent_arrears", "no"),
                ("confirmed", "1"),
            ],
            &csrf,
        )
        .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let page = common::page_text(&server, &caseworker, &case_url).await;
        let r = post(
            &caseworker,
            "/override",
            &[
                ("version", &version(&page)),
                ("rule", "other_instruments"),
                ("outcome", "met"),
                ("reason", "Startlån er vurdert og ikke mulig nå."),
            ],
            &csrf,
        )
        .await;
        assert_eq!(r.status(), 303);

        // Bad proposals are refused by field: the new term must end after the present one; a
        // renewal is never partly granted; not renewing needs the plan.
        let page = common::page_text(&server, &caseworker, &case_url).await;
        let day = |d: time::Date| husly_domain::validation::format_date(d);
        let suggested = day(husly_domain::cases::renewal::term_until(
            term_end.next_day().unwrap(),
            36,
        ));
        assert!(
            page.contains(&format!("value=\"{suggested}\"")),
            "the suggested term: {page}"
        );
        let propose = |pairs: Vec<(&'static str, String)>| {
            let mut pairs = pairs;
            pairs.push(("version", version(&page)));
            pairs.push(("reasons", "Husstanden oppfyller fortsatt vilkårene.".into()));
            let owned: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let form = post_form(&owned);
            let mut form = form;
            form.push(("csrf".into(), csrf.clone()));
            caseworker
                .post(server.url(&format!("{case_url}/propose")))
                .form(&form)
                .send()
        };
        let too_early = propose(vec![
            ("outcome", "granted".into()),
            ("granted_text", "Ny leiekontrakt".into()),
            ("renew_until", day(term_end)),
        ])
        .await
        .unwrap();
        assert_eq!(too_early.status(), 422);
        let html = too_early.text().await.unwrap();
        assert!(html.contains("href=\"#f-renew_until\""), "{html}");
        assert!(
            html.contains(&format!("slutte etter at dagens periode slutter ({})", day(term_end))),
            "{html}"
        );
        assert!(html.contains("id=\"f-renew_until\"") && html.contains("aria-invalid=\"true\""));
        let without_plan = propose(vec![("outcome", "refused".into()), ("section6", "no_need".into())])
            .await
            .unwrap();
        assert_eq!(without_plan.status(), 422);
        assert!(
            without_plan
                .text()
                .await
                .unwrap()
                .contains("href=\"#f-transition_plan\"")
        );
        // The API refuses the same, by the same field.
        let token = &f.users[&Role::Caseworker].1;
        let api = common::client()
            .post(server.url(&format!("/api/v1/cases/{review}/decisions")))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "version": version(&page).parse::<i64>().unwrap(),
                "outcome": "partly_granted",
                "reasons": "Delvis.",
                "granted_text": "Noe",
                "section6": "no_need",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 422);
        let body: serde_json::Value = api.json().await.unwrap();
        assert!(body.to_string().contains("renewal_partly_granted"), "{body}");

        let proposed = propose(vec![
            ("outcome", "granted".into()),
            ("granted_text", "Ny leiekontrakt for tre år".into()),
            ("renew_until", suggested.clone()),
        ])
        .await
        .unwrap();
        assert_eq!(proposed.status(), 303);
        let approver_csrf = common::csrf_of(&server, &approver, &case_url).await;
        let page = common::page_text(&server, &approver, &case_url).await;
        let r = post(
            &approver,
            "/review",
            &[("version", &version(&page)), ("decision", "approve")],
            &approver_csrf,
        )
        .await;
        assert_eq!(r.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        let r = post(
            &caseworker,
            "/send",
            &[
                ("version", &version(&page)),
                ("language", "nb"),
                ("delivery", "digital"),
                ("delivered_on", &day(common::today())),
            ],
            &csrf,
        )
        .await;
        assert_eq!(r.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert_eq!(common::case_state(&page), "Innvilget");
        let letter = page
            .split("href=\"")
            .find(|s| s.contains("/letters/") && s.contains(".pdf"))
            .and_then(|s| s.split('"').next())
            .expect("the letter")
            .replace(".pdf", ".html");
        let letter = common::page_text(&server, &caseworker, &letter).await;
        assert!(letter.contains("Vedtak om fornyelse av leiekontrakt"), "{letter}");
        assert!(
            letter.contains("Leiekontrakten din for Tollbugata 11 blir fornyet."),
            "{letter}"
        );
        assert!(letter.contains("husleieloven §§ 9-3 og 11-1"), "{letter}");
        assert!(
            !letter.contains("Søknaden ble mottatt"),
            "a review answers no application"
        );

        // The contract has its next period, and the API's contract says so.
        let periods = store.contract_periods(f.home, &f.tenancy).await.unwrap();
        assert_eq!(periods.len(), 2);
        assert_eq!(periods[1].from, term_end.next_day().unwrap());
        assert_eq!(periods[1].to.map(day), Some(suggested.clone()));
        let contract = common::api_json(
            &server,
            &format!("/api/v1/tenancies/{}", f.tenancy),
            &f.users[&Role::HousingManager].1,
        )
        .await;
        assert_eq!(
            contract["contract"]["term_end"].as_str(),
            Some(
                husly_domain::validation::parse_date(&suggested)
                    .unwrap()
                    .to_string()
                    .as_str()
            ),
            "{contract}"
        );
        assert_eq!(
            contract["periods"][0]["review_case_id"].as_str(),
            Some(review.to_string().as_str())
        );
        let decision = common::api_json(&server, &format!("/api/v1/cases/{review}"), token).await;
        assert!(decision.to_string().contains("\"kind\":\"renew\""), "{decision}");
    }
}
