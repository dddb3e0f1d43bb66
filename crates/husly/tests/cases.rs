//! The application workflow over HTTP on both backends: register → assess → propose → the
//! approver approves (never the proposer) → the letter is sent and readable as PDF → appeal →
//! upheld and forwarded → the appeal body's outcome.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, csrf_of, login, start};
use husly_domain::authz::Role;

fn post_form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn an_application_from_registration_to_the_appeal_body() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let approver = login(&server, &fixture.users[&Role::Approver].0, PASSWORD).await;
        let h = fixture.household;
        let csrf = csrf_of(&server, &caseworker, &format!("/households/{h}/applications/new")).await;

        // An incomplete, invalid registration is refused with the fields named; nothing is stored.
        let bad = caseworker
            .post(server.url(&format!("/households/{h}/applications/new")))
            .form(&post_form(&[
                ("csrf", &csrf),
                ("case_type", "municipal_housing"),
                ("received_on", "31.02.2026"),
                ("economy[0].income", "mye"),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert!(
            html.contains("href=\"#f-received_on\"") && html.contains("href=\"#f-economy-0-income\""),
            "{html}"
        );

        let created = caseworker
            .post(server.url(&format!("/households/{h}/applications/new")))
            .form(&post_form(&[
                ("csrf", &csrf),
                ("case_type", "municipal_housing"),
                ("received_on", "02.11.2026"),
                ("current_housing", "private_rental"),
                ("reasons", "economy"),
                ("reasons", "childrens_situation"),
                ("economy[0].income", "260 000"),
                ("economy[0].wealth", "0"),
                ("lawful_residence", "yes"),
                ("registered_in_municipality_since", "01.01.2018"),
                ("rent_arrears", "no"),
                ("confirmed", "1"),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 303);
        let case_url = created.headers()["location"].to_str().unwrap().to_string();
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(page.contains("Søknad om kommunal bolig"), "{page}");
        assert_eq!(common::case_state(&page), "Mottatt");
        assert!(page.contains("Vurdering etter reglene") && page.contains("Andre virkemidler"));

        let step = |http: &reqwest::Client, path: String, pairs: Vec<(String, String)>| {
            let request = http.post(server.url(&path)).form(&pairs);
            async move { request.send().await.unwrap() }
        };
        let with = |pairs: &[(&str, &str)]| {
            let mut all = post_form(pairs);
            all.push(("csrf".into(), csrf.clone()));
            all
        };
        let r = step(
            &caseworker,
            format!("{case_url}/action"),
            with(&[("version", "1"), ("action", "start_assessment")]),
        )
        .await;
        assert_eq!(r.status(), 303);
        // The page the user lands on confirms the action once, in a region screen readers announce.
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(
            page.contains(
                "<div role=\"status\" class=\"flash\"><p class=\"alert alert--success\">Vurderingen er startet.</p>"
            ),
            "{page}"
        );
        let again = common::page_text(&server, &caseworker, &case_url).await;
        assert!(!again.contains("Vurderingen er startet."), "shown once");
        // A stale version is a conflict, shown on the page.
        let r = step(
            &caseworker,
            format!("{case_url}/action"),
            with(&[("version", "1"), ("action", "start_assessment")]),
        )
        .await;
        assert_eq!(r.status(), 409);
        // The caseworker records a judgement on the rule that needs one.
        let r = step(
            &caseworker,
            format!("{case_url}/override"),
            with(&[
                ("version", "2"),
                ("rule", "other_instruments"),
                ("outcome", "met"),
                ("reason", ""),
            ]),
        )
        .await;
        assert_eq!(r.status(), 422, "a judgement needs reasons");
        let r = step(
            &caseworker,
            format!("{case_url}/override"),
            with(&[
                ("version", "2"),
                ("rule", "other_instruments"),
                ("outcome", "met"),
                (
                    "reason",
                    "Startlån er vurdert og ikke mulig; bostøtte dekker ikke behovet.",
                ),
            ]),
        )
        .await;
        assert_eq!(r.status(), 303);
        // A proposal without reasons: the error shows beside the decision's reasons, not beside
        // the application's coded reasons (both forms are on the page).
        let r = step(
            &caseworker,
            format!("{case_url}/propose"),
            with(&[("version", "3"), ("outcome", "refused"), ("reasons", "")]),
        )
        .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-decision-reasons-error\""), "{html}");
        assert!(
            html.contains("href=\"#f-decision-reasons\""),
            "the summary links to the field"
        );
        // The party has a fullmektig (forvaltningsloven § 12): a bad registration is refused by field,
        // a good one confirmed; from then on the case's letters are addressed to the fullmektig.
        let household_csrf = csrf_of(&server, &caseworker, &format!("/households/{h}")).await;
        let representative = |pairs: &[(&str, &str)]| {
            let mut form = post_form(pairs);
            form.push(("csrf".into(), household_csrf.clone()));
            caseworker
                .post(server.url(&format!("/households/{h}/representatives")))
                .form(&form)
                .send()
        };
        let fullmektig = [
            ("kind", "fullmektig"),
            ("name", "Tone Tillit"),
            ("organisation", "Advokatfirmaet Tillit"),
            ("address_line", "Postboks 12"),
            ("postal_code", "3001"),
            ("postal_city", "Drammen"),
            ("authority_from", "01.11.2026"),
            ("copy_to_party", "true"),
        ];
        let mut without_address = fullmektig.to_vec();
        without_address.retain(|(field, _)| *field != "address_line");
        let r = representative(&without_address).await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"r-address_line-error\""), "{html}");
        let r = representative(&fullmektig).await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(
            r.headers()["location"],
            format!("/households/{h}#representative").as_str()
        );
        let html = caseworker
            .get(server.url(&format!("/households/{h}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Fullmektigen eller vergen er registrert"),
            "a confirmation: {html}"
        );
        assert!(html.contains("Tone Tillit") && html.contains("Avslutt fullmakten eller vergemålet"));
        let html = caseworker
            .get(server.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Brevene i saken sendes til fullmektigen Tone Tillit."),
            "{html}"
        );
        // Before proposing, the letter the proposal would give can be read; nothing is saved.
        let proposal = [
            ("outcome", "granted"),
            (
                "granted_text",
                "Plass på ventelisten for kommunal bolig med ett soverom",
            ),
            ("reasons", "Søkeren bor i en leid bolig hun ikke kan betale for."),
            ("language", "nn"),
        ];
        let r = step(&caseworker, format!("{case_url}/preview"), with(&proposal)).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Førehandsvising") || html.contains("Forhåndsvisning"),
            "{html}"
        );
        assert!(
            html.contains("Vi har innvilga") || html.contains("innvilgar"),
            "a nynorsk grant: {html}"
        );
        assert!(
            html.contains("Tone Tillit")
                && html.contains("Du får dette brevet som fullmektig for")
                && html.contains("Kopi til:"),
            "the letter goes to the fullmektig, with a copy to the party: {html}"
        );
        let mut as_pdf = proposal.to_vec();
        as_pdf.push(("format", "pdf"));
        let r = step(&caseworker, format!("{case_url}/preview"), with(&as_pdf)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
        let r = step(&caseworker, format!("{case_url}/preview"), with(&[("language", "nb")])).await;
        assert_eq!(r.status(), 404, "no decision is proposed yet");
        // A proposal the preview cannot write is shown on the case page, the problem beside its field.
        let r = step(
            &caseworker,
            format!("{case_url}/preview"),
            with(&[("outcome", "refused"), ("reasons", "")]),
        )
        .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("id=\"f-decision-reasons-error\""));
        let r = step(
            &caseworker,
            format!("{case_url}/propose"),
            with(&[
                ("version", "3"),
                ("outcome", "granted"),
                (
                    "granted_text",
                    "Plass på ventelisten for kommunal bolig med ett soverom",
                ),
                (
                    "reasons",
                    "Søkeren bor i en leid bolig hun ikke kan betale for, og har ikke andre muligheter.",
                ),
            ]),
        )
        .await;
        assert_eq!(r.status(), 303);
        // The caseworker may not approve; the approver may.
        let r = step(
            &caseworker,
            format!("{case_url}/review"),
            with(&[("version", "4"), ("decision", "approve")]),
        )
        .await;
        assert_eq!(r.status(), 403);
        let approver_csrf = csrf_of(&server, &approver, &case_url).await;
        let r = approver
            .post(server.url(&format!("{case_url}/review")))
            .form(&post_form(&[
                ("csrf", &approver_csrf),
                ("version", "4"),
                ("decision", "approve"),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let today = husly_domain::validation::format_date(common::today());
        let r = step(
            &caseworker,
            format!("{case_url}/send"),
            with(&[
                ("version", "5"),
                ("language", "nn"),
                ("delivery", "digital"),
                ("delivered_on", &today),
            ]),
        )
        .await;
        assert_eq!(r.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(page.contains("På venteliste"), "{page}");
        let pdf_link = page
            .split("href=\"")
            .find(|s| s.contains("/letters/") && s.contains(".pdf"))
            .and_then(|s| s.split('"').next())
            .expect("a PDF link")
            .to_string();
        let pdf = caseworker.get(server.url(&pdf_link)).send().await.unwrap();
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        let shown = common::page_text(&server, &caseworker, &pdf_link.replace(".pdf", ".html")).await;
        assert!(
            shown.contains("klage") && shown.contains("Drammen kommunes klagenemnd"),
            "{shown}"
        );

        // A valid approval is not ended by one click: it needs a reason the rules allow, the
        // reasons written out and a confirmation; before its date, running out is no reason. Once
        // ended, it can be restored with the reason.
        let expire = |pairs: &[(&str, &str)]| {
            let mut form = vec![("version", "6"), ("action", "expire")];
            form.extend_from_slice(pairs);
            with(&form)
        };
        let r = step(&caseworker, format!("{case_url}/action"), expire(&[])).await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Velg hvorfor godkjenningen avsluttes") && html.contains("Bekreft at du vil avslutte"),
            "{html}"
        );
        let r = step(
            &caseworker,
            format!("{case_url}/action"),
            expire(&[
                ("expiry_reason", "validity_ended"),
                ("reason", "Ikke fornyet"),
                ("confirmed", "yes"),
            ]),
        )
        .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("Godkjenningen gjelder til"));
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(page.contains("På venteliste"), "nothing changed");
        let r = step(
            &caseworker,
            format!("{case_url}/action"),
            expire(&[
                ("expiry_reason", "asked_to_be_removed"),
                ("reason", "Søkeren ringte og ba om å bli tatt av listen."),
                ("confirmed", "yes"),
            ]),
        )
        .await;
        assert_eq!(r.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(
            page.contains("Godkjenningen ble avsluttet")
                && page.contains("Søkeren ringte og ba om å bli tatt av listen."),
            "{page}"
        );
        let r = step(
            &caseworker,
            format!("{case_url}/action"),
            with(&[
                ("version", "7"),
                ("action", "reinstate"),
                ("reason", "Søkeren angret seg samme dag."),
            ]),
        )
        .await;
        assert_eq!(r.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(
            page.contains("På venteliste") && page.contains("Godkjenningen ble gjenopprettet"),
            "{page}"
        );

        // The appeal was posted today: the day it was sent, not the day it is registered, is
        // held against the deadline (forvaltningsloven § 30).
        let posted = husly_domain::validation::format_date(common::today());
        for (version, action) in [
            ("8", "renew"),
            ("9", "register_appeal"),
            ("10", "uphold_and_forward"),
            ("11", "appeal_upheld"),
        ] {
            let r = step(
                &caseworker,
                format!("{case_url}/action"),
                with(&[
                    ("version", version),
                    ("action", action),
                    ("appeal_sent_on", &posted),
                    ("appeal_channel", "post"),
                ]),
            )
            .await;
            assert_eq!(r.status(), 303, "{action}");
        }
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(
            page.contains(&format!("Klagen ble sendt {posted} (per post), innen fristen.")),
            "{page}"
        );
        // The case file the appeal went to the appeal body with: summary, letters, documents.
        let file = caseworker
            .get(server.url(&format!("{case_url}/case-file.zip")))
            .send()
            .await
            .unwrap();
        assert_eq!(file.headers()["content-type"], "application/zip");
        let bytes = file.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"));
        let names = String::from_utf8_lossy(&bytes);
        assert!(
            names.contains("sammendrag.html") && names.contains("brev/01-decision-nn.pdf"),
            "the entries are named"
        );
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(page.contains("Avsluttet"));
        for event in [
            "Godkjenningen ble fornyet",
            "Vedtaket ble godkjent",
            "Klage ble registrert",
            "Klageinstansens avgjørelse ble registrert",
        ] {
            assert!(page.contains(event), "{event} in the timeline");
        }
        // The work queue lists the fixture's open case, not the closed one.
        let queue = common::page_text(&server, &caseworker, "/cases?filter=open").await;
        assert!(queue.contains(&format!("/cases/{}", fixture.case)));
        assert!(!queue.contains(&case_url));
    }
}

#[tokio::test]
async fn documents_are_checked_by_content_and_served_only_through_the_case() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let case_url = format!("/cases/{}", fixture.case);
        let csrf = csrf_of(&server, &caseworker, &case_url).await;
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let form = reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            caseworker
                .post(server.url(&format!("{case_url}/documents")))
                .multipart(form)
                .send()
        };
        // A program renamed to .pdf is refused by its content.
        let refused = upload("lønnsslipp.pdf", b"MZ\x90\x00not a pdf".to_vec()).await.unwrap();
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("ikke en PDF, JPEG eller PNG"));
        let pdf = b"%PDF-1.4\n% a tiny test document\n".to_vec();
        let stored = upload("../lønnsslipp mai.PDF", pdf.clone()).await.unwrap();
        assert_eq!(stored.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(
            page.contains("lønnsslipp mai.pdf"),
            "the name is cleaned and given its real extension"
        );
        let link = page
            .split("href=\"")
            .find(|s| s.contains("/documents/") && s.contains("lønnsslipp mai.pdf"))
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let download = caseworker.get(server.url(&link)).send().await.unwrap();
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(
            download.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(download.bytes().await.unwrap().as_ref(), pdf.as_slice());
        // Nobody without access to the case gets it.
        let stranger = login(&server, &fixture.stranger.0, PASSWORD).await;
        assert_eq!(stranger.get(server.url(&link)).send().await.unwrap().status(), 404);
        let partner = login(&server, &fixture.users[&Role::Partner].0, PASSWORD).await;
        assert_eq!(partner.get(server.url(&link)).send().await.unwrap().status(), 403);
        assert_eq!(
            common::client().get(server.url(&link)).send().await.unwrap().status(),
            303
        );
        // Too large for the configured limit: refused before it is read.
        // (The server answers 413 as soon as it sees the length and may close before the client has
        // written the body, which the client then reports as a broken pipe.)
        match upload(
            "stor.pdf",
            [b"%PDF-".as_slice(), &vec![b'x'; 11 * 1024 * 1024]].concat(),
        )
        .await
        {
            Ok(big) => assert_eq!(big.status(), 413),
            Err(e) => assert!(e.is_request(), "{e}"),
        }
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(!page.contains("stor.pdf"), "nothing of the refused upload is stored");
    }
}

#[tokio::test]
async fn asking_for_information_sends_a_letter_and_sets_a_deadline() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let case_url = format!("/cases/{}", fixture.case);
        let csrf = csrf_of(&server, &caseworker, &case_url).await;
        let post = |pairs: Vec<(&'static str, String)>| {
            let mut all = pairs;
            all.push(("csrf", csrf.clone()));
            caseworker
                .post(server.url(&format!("{case_url}/action")))
                .form(&all)
                .send()
        };
        let r = post(vec![("version", "2".into()), ("action", "start_assessment".into())])
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let deadline = common::today() + time::Duration::days(14);
        let bad = post(vec![
            ("version", "3".into()),
            ("action", "request_information".into()),
            ("reason", "".into()),
            ("information_due", "01.01.2020".into()),
        ])
        .await
        .unwrap();
        assert_eq!(bad.status(), 422);
        let r = post(vec![
            ("version", "3".into()),
            ("action", "request_information".into()),
            ("language", "nb".into()),
            (
                "reason",
                "Lønnsslipp for de tre siste månedene\n- Leiekontrakten".into(),
            ),
            ("information_due", husly_domain::validation::format_date(deadline)),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), 303);
        let page = common::page_text(&server, &caseworker, &case_url).await;
        assert!(page.contains("Venter på opplysninger") && page.contains("Anmodning om opplysninger"));
        let letter = page
            .split("href=\"")
            .filter(|s| s.contains("/letters/") && s.contains(".html"))
            .map(|s| s.split('"').next().unwrap().to_string())
            .next()
            .unwrap();
        let shown = common::page_text(&server, &caseworker, &letter).await;
        assert!(
            shown.contains("Leiekontrakten") && shown.contains("Lønnsslipp"),
            "{shown}"
        );
        let r = post(vec![("version", "4".into()), ("action", "information_received".into())])
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    }
}
