//! The rent ledger through the page, the API and the command line, on both backends: a file
//! with a bad row is refused whole with each problem named by row, column and reference, and
//! nothing is saved; a good file is imported with its confirmation, the contract's arrears
//! reach the threshold and it is on the list with a link to the contract; the same file again
//! changes nothing; the contract page and JSON show the reference, the months and the arrears;
//! a caseworker reads the list but cannot import; `husly import-ledger` refuses a bad file with
//! exit code 2 and imports a good one as the command line.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::rules::YearMonth;
use std::process::Stdio;

fn file(rows: &[(&str, YearMonth, &str, &str)]) -> Vec<u8> {
    let mut text = String::from("Leieforhold;Leietaker;Periode;Forfalt;Innbetalt\n");
    for (reference, month, due, paid) in rows {
        text.push_str(&format!("{reference};Ingrid;{};{due};{paid}\n", month.written()));
    }
    text.into_bytes()
}

#[tokio::test]
async fn a_ledger_is_imported_all_or_nothing_and_its_arrears_are_listed() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let reference = store.contract(f.home, &f.tenancy).await.unwrap().reference;
        assert!(reference.starts_with("L-"), "{reference}");
        let r: &str = &reference;
        let m0 = YearMonth::of(common::today());
        let (m1, m2) = (m0.previous(), m0.previous().previous());

        // The page: the list is empty, the import form is there.
        let manager = common::login(&server, &f.users[&Role::HousingManager].0, PASSWORD).await;
        let html = common::page_text(&server, &manager, "/tenancies/ledger").await;
        assert!(html.contains("Importer husleiereskontro"), "{html}");
        assert!(
            html.contains("Ingen leieforhold har restanse over terskelen."),
            "{html}"
        );
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let csrf = common::hidden(&html, "csrf");
        let upload = |bytes: Vec<u8>| {
            let part = reqwest::multipart::Part::bytes(bytes).file_name("reskontro.csv");
            let form = reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .part("file", part);
            manager.post(server.url("/tenancies/ledger")).multipart(form).send()
        };

        // A bad file: an unknown reference and a month not begun. Nothing is saved.
        let bad = file(&[
            (r, m1, "8 100,00", "8 100,00"),
            ("L-999999", m1, "8 100,00", "0"),
            (r, m0.next(), "8 100,00", "0"),
        ]);
        let refused = upload(bad).await.unwrap();
        assert_eq!(refused.status(), 422, "{}", db.url);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Rad 3, kolonne «Leieforhold»"), "{html}");
        assert!(html.contains("«L-999999»"), "the message names the reference: {html}");
        assert!(html.contains("Rad 4, kolonne «Periode»"), "{html}");
        assert!(html.contains("Ingenting er lagret."), "{html}");
        assert!(
            html.contains("aria-invalid=\"true\"") && html.contains("aria-describedby=\"f-file-hint f-file-error\""),
            "{html}"
        );
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        assert!(store.ledger_months(f.home, &f.tenancy).await.unwrap().is_empty());
        // A file larger than a form's 64 KiB is read (and refused here for its rows, not its size).
        let many: Vec<(&str, YearMonth, &str, &str)> = (0..2_000).map(|_| ("L-999999", m1, "8 100,00", "0")).collect();
        let large = file(&many);
        assert!(large.len() > 64 * 1024);
        let refused = upload(large).await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Det er 1800 feil til"), "the rest are counted: {html}");

        // A good file: this month is unpaid, a month's rent, which is the threshold.
        let good = file(&[
            (r, m2, "8 100,00", "8 100,00"),
            (r, m1, "8 100,00", "8 100,00"),
            (r, m0, "8 100,00", "-"),
        ]);
        let done = upload(good.clone()).await.unwrap();
        assert_eq!(done.status(), 200);
        let html = common::plain(&done.text().await.unwrap());
        assert!(html.contains("Husleiereskontroen er importert."), "{html}");
        assert!(html.contains("<dt>Rader i filen</dt><dd>3</dd>"), "{html}");
        assert!(html.contains("<dt>Nye måneder</dt><dd>3</dd>"), "{html}");
        assert!(
            html.contains(&format!("<a href=\"/tenancies/{}\">{reference}</a>", f.tenancy)),
            "the list links to the contract: {html}"
        );
        assert!(html.contains("8 100 kr"), "{html}");
        assert!(html.contains("minst én måneds husleie"), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        // The same file again changes nothing.
        let again = common::plain(&upload(good).await.unwrap().text().await.unwrap());
        assert!(again.contains("<dt>Uendrede måneder</dt><dd>3</dd>"), "{again}");
        assert!(again.contains("<dt>Nye måneder</dt><dd>0</dd>"), "{again}");

        // The contract page: the reference, the arrears and the months.
        let contract = common::plain(&common::page_text(&server, &manager, &format!("/tenancies/{}", f.tenancy)).await);
        assert!(contract.contains(&reference), "{contract}");
        assert!(contract.contains("Restanse på 8 100 kr"), "{contract}");
        assert!(contract.contains(&m0.written()), "{contract}");
        assert!(
            common::raw_keys(&contract).is_empty(),
            "{:?}",
            common::raw_keys(&contract)
        );

        // A caseworker reads the list but may not import.
        let caseworker = common::login(&server, &f.users[&Role::Caseworker].0, PASSWORD).await;
        let html = common::page_text(&server, &caseworker, "/tenancies/ledger").await;
        assert!(
            html.contains(&reference) && !html.contains("multipart/form-data"),
            "{html}"
        );
        let form = reqwest::multipart::Form::new()
            .text("csrf", common::hidden(&html, "csrf"))
            .part("file", reqwest::multipart::Part::bytes(file(&[])).file_name("r.csv"));
        let forbidden = caseworker
            .post(server.url("/tenancies/ledger"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(forbidden.status(), 403);

        // The API: the same import, a bad file refused naming the row.
        let token = f.users[&Role::HousingManager].1.clone();
        let api_upload = |token: String, bytes: Vec<u8>| {
            let part = reqwest::multipart::Part::bytes(bytes).file_name("reskontro.csv");
            common::client()
                .post(server.url("/api/v1/tenancies/ledger?municipality=3301"))
                .bearer_auth(token)
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
        };
        let refused = api_upload(token.clone(), file(&[("L-999999", m0, "8100", "0")]))
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "rows[2].reference", "{body}");
        assert_eq!(body["error"]["fields"][0]["code"], "unknown_tenancy", "{body}");
        // Last month only part paid: two months behind, 12 200 kr.
        let later = file(&[
            (r, m2, "8 100,00", "8 100,00"),
            (r, m1, "8 100,00", "4 000,00"),
            (r, m0, "8 100,00", "-"),
        ]);
        let imported = api_upload(token.clone(), later).await.unwrap();
        assert_eq!(imported.status(), 200);
        let body: serde_json::Value = imported.json().await.unwrap();
        assert_eq!(
            (&body["created"], &body["updated"], &body["unchanged"]),
            (&serde_json::json!(0), &serde_json::json!(1), &serde_json::json!(2)),
            "{body}"
        );
        let list = common::api_json(&server, "/api/v1/tenancies/arrears?municipality=3301", &token).await;
        let line = list["tenancies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tenancy_id"] == f.tenancy.as_str())
            .unwrap_or_else(|| panic!("{list}"));
        assert_eq!(line["reference"], reference.as_str());
        assert_eq!(line["arrears"]["arrears_ore"], 1_220_000);
        assert_eq!(line["arrears"]["unpaid_months"], 2);
        assert_eq!(line["arrears"]["oldest_unpaid"], m1.to_string());
        let reasons: Vec<&str> = line["arrears"]["signals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["months_of_rent", "months_behind"], "{list}");
        assert_eq!(list["threshold"]["months_of_rent"], "1", "{list}");
        assert_eq!(list["imports"][0]["via"], "api", "{list}");
        let detail = common::api_json(&server, &format!("/api/v1/tenancies/{}", f.tenancy), &token).await;
        assert_eq!(detail["contract"]["reference"], reference.as_str());
        assert_eq!(detail["ledger"]["arrears"]["arrears_ore"], 1_220_000, "{detail}");
        assert_eq!(detail["ledger"]["months"][0]["month"], m0.to_string(), "{detail}");
        let caseworker_token = f.users[&Role::Caseworker].1.clone();
        let forbidden = api_upload(caseworker_token, file(&[])).await.unwrap();
        assert_eq!(forbidden.status(), 403);

        // The command line: a bad file exits with 2 naming the row; a good one is imported.
        let dir = tempfile::tempdir().unwrap();
        let cli = |bytes: Vec<u8>| {
            let path = dir.path().join("reskontro.csv");
            std::fs::write(&path, bytes).unwrap();
            common::husly()
                .arg("import-ledger")
                .arg(&path)
                .args(["--municipality", "3301", "--database", &db.url, "--data-dir"])
                .arg(db.dir.path())
                .env_remove("HUSLY_CONFIG")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .output()
                .unwrap()
        };
        let bad = cli(file(&[(r, m0, "åtte tusen", "0")]));
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert_eq!(bad.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("Rad 2, kolonne «Forfalt»"), "{stderr}");
        assert!(stderr.contains("Ingenting er lagret."), "{stderr}");
        let good = cli(file(&[(r, m0, "8 100,00", "8 100,00")]));
        let stdout = String::from_utf8_lossy(&good.stdout);
        assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
        assert!(stdout.contains("Rader i filen: 1"), "{stdout}");
        assert!(stdout.contains("Endrede måneder: 1"), "{stdout}");
        let months = store.ledger_months(f.home, &f.tenancy).await.unwrap();
        assert_eq!(months.last().map(|m| m.paid_ore), Some(810_000));
        let history = store.ledger_imports(f.home, 10).await.unwrap();
        assert_eq!(
            history.iter().map(|i| i.via.as_str()).collect::<Vec<_>>(),
            ["cli", "api", "page", "page"]
        );
        assert_eq!(store.verify_audit().await.unwrap().first_break, None);
    }
}
