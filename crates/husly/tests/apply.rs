//! Self-service over HTTP on both backends: start a draft, save it incomplete, come back with the
//! link and the code, see every missing item named, submit, get a receipt; the caseworker finds
//! the case in the queue.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, client, login, start, synthetic_id};
use husly_domain::authz::Role;

fn hidden_code(html: &str) -> String {
    let start = html.find("id=\"draft-code\">").expect("the code is shown") + "id=\"draft-code\">".len();
    html[start..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn an_applicant_saves_returns_and_submits() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &["--demo"]);
        let applicant = client();
        // A visitor's forms carry the token of their cookie, set by the page that shows them.
        let csrf = common::csrf_of(&server, &applicant, "/apply").await;
        let started = applicant
            .post(server.url("/apply"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("municipality", "3301"),
                ("case_type", "municipal_housing"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 303);
        let location = started.headers()["location"].to_str().unwrap().to_string();
        let draft_path = location.split('?').next().unwrap().to_string();
        let page = common::page_text(&server, &applicant, &location).await;
        let code = hidden_code(&page);
        assert_eq!(code.len(), 10);

        // Saving an incomplete application keeps it; submitting names what is missing.
        let national_id = synthetic_id(1990, 6, 15, 321);
        let mut fields = vec![
            ("address_line", "Prøvestien 9".to_string()),
            ("postal_code", "3015".into()),
            ("postal_city", "Drammen".into()),
            ("phone", "+47 90000000".into()),
            ("members[0].national_id", national_id.clone()),
            ("members[0].given_name", "Sara".into()),
            ("members[0].family_name", "Eksempelsen".into()),
            ("current_housing", "with_family_or_friends".into()),
            ("submit", "save".into()),
            ("csrf", csrf.clone()),
        ];
        let saved = applicant
            .post(server.url(&draft_path))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
        let html = saved.text().await.unwrap();
        assert!(html.contains("Søknaden er lagret"));
        assert_eq!(common::title_of(&html), "Søknad – Husly", "the form page's title");

        // Another browser needs the code; a wrong code opens nothing.
        let other = client();
        let asked = common::page_text(&server, &other, &draft_path).await;
        assert!(asked.contains("name=\"code\""));
        let other_csrf = common::csrf_of(&server, &other, &draft_path).await;
        assert_ne!(other_csrf, csrf, "each browser has its own token");
        let wrong = other
            .post(server.url(&format!("{draft_path}/code")))
            .form(&[("csrf", other_csrf.as_str()), ("code", "WRONGCODE9")])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 422);
        let right = other
            .post(server.url(&format!("{draft_path}/code")))
            .form(&[("csrf", other_csrf.as_str()), ("code", code.to_lowercase().as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(right.status(), 303);
        let resumed = common::page_text(&server, &other, &draft_path).await;
        assert!(
            resumed.contains("Prøvestien 9") && resumed.contains("Eksempelsen"),
            "the draft kept what was typed"
        );

        fields.retain(|(k, _)| *k != "submit" && *k != "csrf");
        fields.push(("csrf", other_csrf.clone()));
        fields.push(("submit", "submit".into()));
        let refused = other.post(server.url(&draft_path)).form(&fields).send().await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        for missing in [
            "#f-reasons",
            "#f-lawful_residence",
            "#f-registered_in_municipality_since",
            "#f-confirmed",
        ] {
            assert!(html.contains(missing), "{missing} is named");
        }

        fields.extend([
            ("reasons", "economy".to_string()),
            ("lawful_residence", "yes".into()),
            ("registered_in_municipality_since", "01.03.2015".into()),
            ("rent_arrears", "no".into()),
            ("economy[0].income", "190000".into()),
            ("economy[0].wealth", "0".into()),
            // NAV is not among the fixture's partners; the Bo-team is a follow-up team.
            ("consents", "nav".into()),
            ("consents", "follow_up_team".into()),
            ("confirmed", "1".into()),
        ]);
        let sent = other.post(server.url(&draft_path)).form(&fields).send().await.unwrap();
        assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap_or_default());
        let receipt = common::page_text(&server, &other, &format!("{draft_path}/receipt")).await;
        let year = time::OffsetDateTime::now_utc().year();
        assert!(receipt.contains(&format!("{year}-0000")), "a reference on the receipt");
        assert!(receipt.contains("Saken din") && receipt.contains("Ingen brev ennå"));
        assert_eq!(common::case_state(&receipt), "Mottatt");
        // Submitting twice creates nothing new.
        let again = other.post(server.url(&draft_path)).form(&fields).send().await.unwrap();
        assert_eq!(again.status(), 303);

        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let queue = common::page_text(&server, &caseworker, "/cases?filter=unassigned").await;
        assert!(queue.contains("Sara Eksempelsen"), "{queue}");
        assert_eq!(queue.matches("Sara Eksempelsen").count(), 1, "one case, not two");

        // The caseworker sends an interim answer; the applicant reads it where the receipt was.
        let row = queue
            .split("<tr>")
            .find(|row| row.contains("Sara Eksempelsen"))
            .expect("the row");
        let case_path = row
            .split("href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the case link")
            .to_string();
        let csrf = common::csrf_of(&server, &caseworker, &case_path).await;
        let expected = husly_domain::validation::format_date(common::today() + time::Duration::days(30));
        let sent = caseworker
            .post(server.url(&format!("{case_path}/interim")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", "1"),
                ("interim_reason", "Vi venter på opplysninger fra Nav."),
                ("expected_by", expected.as_str()),
                ("language", "nb"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303);
        let receipt = common::page_text(&server, &other, &format!("{draft_path}/receipt")).await;
        let letter = receipt
            .split("href=\"")
            .map(|s| s.split('"').next().unwrap_or_default())
            .find(|href| href.contains("/letters/"))
            .expect("the applicant sees the letter")
            .to_string();
        let pdf = other.get(server.url(&letter)).send().await.unwrap();
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        // Without the code the letter is not found.
        assert_eq!(client().get(server.url(&letter)).send().await.unwrap().status(), 404);

        // The caseworker takes the case; the applicant writes from the status page: nothing at all
        // is refused with the field named, a message lands on the case with a task for the
        // caseworker, and the applicant sees it was received.
        let sent = caseworker
            .post(server.url(&format!("{case_path}/assign")))
            .form(&[("csrf", csrf.as_str()), ("version", "2"), ("to", "me")])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap_or_default());
        let receipt_path = format!("{draft_path}/receipt");
        let visitor_csrf = common::csrf_of(&server, &other, &receipt_path).await;
        let write = |text: &'static str| {
            let form = reqwest::multipart::Form::new()
                .text("csrf", visitor_csrf.clone())
                .text("text", text);
            other
                .post(server.url(&format!("{draft_path}/messages")))
                .multipart(form)
                .send()
        };
        let empty = write("   ").await.unwrap();
        assert_eq!(empty.status(), 422);
        let html = empty.text().await.unwrap();
        assert!(
            html.contains("id=\"f-text-error\"") && html.contains("href=\"#f-text\""),
            "{html}"
        );
        let sent = write("Lønnsslippen kommer i posten i morgen.").await.unwrap();
        assert_eq!(sent.status(), 303);
        assert_eq!(
            sent.headers()["location"],
            format!("{receipt_path}?sent=1#write").as_str()
        );
        let receipt = common::page_text(&server, &other, &format!("{receipt_path}?sent=1")).await;
        assert!(receipt.contains("Vi har fått det du sendte"), "{receipt}");
        assert!(receipt.contains("Lønnsslippen kommer i posten i morgen."));
        let case_page = common::page_text(&server, &caseworker, &case_path).await;
        assert!(
            case_page.contains("Fra søkeren") && case_page.contains("Lønnsslippen kommer i posten i morgen."),
            "{case_page}"
        );
        assert!(
            case_page.contains("Se på det søkeren har sendt"),
            "a task for the caseworker"
        );
        assert!(
            case_page.contains("Søkeren sendte en melding eller et dokument"),
            "on the timeline"
        );
        let queue = common::page_text(&server, &caseworker, "/cases").await;
        assert!(
            queue.contains("Se på det søkeren har sendt"),
            "in the caseworker's own tasks"
        );
        // Without the code nothing is sent.
        let form = reqwest::multipart::Form::new()
            .text("csrf", visitor_csrf.clone())
            .text("text", "Hei");
        let stranger = client()
            .post(server.url(&format!("{draft_path}/messages")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(stranger.status(), 403, "no CSRF cookie, no draft cookie");

        // The person's own view: the consents the household has given, each withdrawn at once
        // after a confirmation, and who has seen their data and why, also as a PDF.
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let case_id: husly_domain::CaseId = case_path.trim_start_matches("/cases/").parse().unwrap();
        let household = store.case(fixture.home, case_id).await.unwrap().household_id;
        let person = store.household(fixture.home, household).await.unwrap().members[0]
            .person
            .id
            .to_string();
        // The tick on the form is the person's consent, given in self-service, to the
        // municipality's follow-up team: contact details and the application, for a year.
        let given = store.consents_of_household(fixture.home, household).await.unwrap();
        assert_eq!(given.len(), 1, "one consent: no NAV office is registered");
        let form_consent = &given[0];
        assert_eq!(form_consent.organisation_id, fixture.partner_organisation);
        assert_eq!(form_consent.person.to_string(), person);
        assert_eq!(
            (form_consent.evidence, form_consent.recorded_by.as_deref()),
            (husly_domain::consent::ConsentEvidence::SelfService, None)
        );
        assert_eq!(
            form_consent.categories,
            [
                husly_domain::consent::ConsentCategory::Contact,
                husly_domain::consent::ConsentCategory::Case
            ]
        );
        assert_eq!(form_consent.valid_from, common::today());
        let staff_view = common::page_text(&server, &caseworker, &format!("/households/{household}/consents")).await;
        assert!(staff_view.contains("Samarbeid om søknaden om bolig"), "{staff_view}");
        let partner = login(&server, &fixture.users[&Role::Partner].0, PASSWORD).await;
        let door = server.url(&format!("/partner/households/{household}"));
        assert_eq!(partner.get(&door).send().await.unwrap().status(), 200);
        let privacy = format!("{draft_path}/privacy");
        let receipt = common::page_text(&server, &other, &receipt_path).await;
        assert!(
            receipt.contains(&format!("href=\"{privacy}\"")),
            "linked from the status page"
        );
        let html = common::page_text(&server, &other, &privacy).await;
        for seen in [
            "Bo-teamet",
            "Gjelder",
            "Test partner",
            "Samarbeidspartner",
            "På husstandens samtykke",
            "Saksbehandling",
        ] {
            assert!(html.contains(seen), "{seen}: {html}");
        }
        assert!(!html.contains("partner@drammen.example"), "no staff e-mail addresses");
        let consent = store.consents_of_household(fixture.home, household).await.unwrap()[0]
            .id
            .clone();
        let withdraw = format!("{draft_path}/consents/{consent}/withdraw");
        let visitor_csrf = common::csrf_of(&server, &other, &privacy).await;
        let asked = other
            .post(server.url(&withdraw))
            .form(&[("csrf", visitor_csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), 200);
        assert!(
            asked.text().await.unwrap().contains("Trekke tilbake samtykket?"),
            "confirmed first"
        );
        assert_eq!(
            partner.get(&door).send().await.unwrap().status(),
            200,
            "not yet withdrawn"
        );
        let done = other
            .post(server.url(&withdraw))
            .form(&[("csrf", visitor_csrf.as_str()), ("confirmed", "yes"), ("reason", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        assert_eq!(done.headers()["location"], format!("{privacy}?withdrawn=1").as_str());
        assert_eq!(
            partner.get(&door).send().await.unwrap().status(),
            404,
            "withdrawn at once"
        );
        let kept = store.consents_of_household(fixture.home, household).await.unwrap();
        let withdrawal = kept[0].withdrawal.as_ref().expect("withdrawn");
        assert_eq!(withdrawal.by, None, "by the person");
        let html = common::page_text(&server, &other, &format!("{privacy}?withdrawn=1")).await;
        assert!(
            html.contains("Samtykket er trukket tilbake") && html.contains("Trukket tilbake"),
            "{html}"
        );
        let pdf = other.get(server.url(&format!("{privacy}.pdf"))).send().await.unwrap();
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        assert_eq!(
            client().get(server.url(&privacy)).send().await.unwrap().status(),
            404,
            "not without the code"
        );
    }
}

/// The anonymous door has quotas: drafts per address and hour, documents per draft, and a draft's
/// code guessed no faster than a password; every 429 says when to try again.
#[tokio::test]
async fn the_self_service_door_has_quotas() {
    let db = Database::sqlite();
    prepare(&db.url).await;
    let config = db.dir.path().join("husly.toml");
    std::fs::write(
        &config,
        "apply_drafts_per_hour = 2\napply_documents_per_draft = 1\napply_bytes_per_municipality_per_day = 60\n",
    )
    .unwrap();
    let server = start(&db, &["--demo", "--config", config.to_str().unwrap()]);
    let applicant = client();
    let csrf = common::csrf_of(&server, &applicant, "/apply").await;
    let new_draft = || {
        applicant
            .post(server.url("/apply"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("municipality", "3301"),
                ("case_type", "municipal_housing"),
            ])
            .send()
    };
    let first = new_draft().await.unwrap();
    assert_eq!(first.status(), 303);
    let draft_path = first.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // One document fits this draft; the second is refused with the reason, beside the file field.
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
    let upload = || {
        let part = reqwest::multipart::Part::bytes(pdf.clone()).file_name("leiekontrakt.pdf");
        applicant
            .post(server.url(&format!("{draft_path}/documents")))
            .multipart(
                reqwest::multipart::Form::new()
                    .text("csrf", csrf.clone())
                    .part("file", part),
            )
            .send()
    };
    assert_eq!(upload().await.unwrap().status(), 303);
    let refused = upload().await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("så mange vedlegg som den kan ha (1)")
    );

    let second = new_draft().await.unwrap();
    assert_eq!(second.status(), 303);
    let third = new_draft().await.unwrap();
    assert_eq!(third.status(), 429, "a third draft within the hour");
    let wait: u64 = third.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3000..=3600).contains(&wait), "{wait}");

    // The municipality's day of uploads (60 bytes here) is used up by the first document: another
    // draft's upload waits until that one is a day old.
    let second_path = second.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let part = reqwest::multipart::Part::bytes(pdf.clone()).file_name("lonnsslipp.pdf");
    let full = applicant
        .post(server.url(&format!("{second_path}/documents")))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .part("file", part),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 429);
    let wait: u64 = full.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((86_000..=86_400).contains(&wait), "{wait}");

    // Guessing the code: after five wrong guesses from one address, each next one waits.
    let guesser = client();
    let guesser_csrf = common::csrf_of(&server, &guesser, &draft_path).await;
    for _ in 0..5 {
        let wrong = guesser
            .post(server.url(&format!("{draft_path}/code")))
            .form(&[("csrf", guesser_csrf.as_str()), ("code", "WRONGCODE9")])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 422);
    }
    let throttled = guesser
        .post(server.url(&format!("{draft_path}/code")))
        .form(&[("csrf", guesser_csrf.as_str()), ("code", "WRONGCODE9")])
        .send()
        .await
        .unwrap();
    assert_eq!(throttled.status(), 429);
    assert!(throttled.headers().contains_key("retry-after"));
}
