//! The command-line contracts: id check, user and token administration, audit verify,
//! export/import across backends, configuration, help and errors.

use crate::common;

use common::{Database, husly, synthetic_id};
use std::io::Write;
use std::process::{Output, Stdio};

fn run(db: &Database, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = husly();
    command
        .args(args)
        .args(["--database", &db.url, "--data-dir"])
        .arg(db.dir.path())
        .env_remove("HUSLY_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("husly");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn id_check_reports_each_number_and_fails_on_any_invalid() {
    let db = Database::sqlite();
    let synthetic = synthetic_id(1985, 5, 17, 100);
    let ok = run(
        &db,
        &["id", "check", "--allow-synthetic", &synthetic, "--lang", "en"],
        None,
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(
        text(&ok.stdout),
        format!("{synthetic}\tvalid\tsynthetic national identity number (Test-Norge, month + 80)\n")
    );

    // From standard input, one a line; synthetic numbers are refused without the flag.
    let input = format!("{synthetic}\n12345678901\n\n0101 90x\n");
    let bad = run(&db, &["id", "check"], Some(&input));
    assert_eq!(bad.status.code(), Some(1));
    let out = text(&bad.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].contains("\tinvalid\t") && lines[0].contains("syntetisk"),
        "{out}"
    );
    assert!(lines[1].starts_with("12345678901\tinvalid\t"), "{out}");
    assert!(lines[2].contains("«x»") || lines[2].contains('x'), "{out}");
}

#[test]
fn help_and_errors() {
    let db = Database::sqlite();
    for command in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["seed", "--help"],
        vec!["user", "add", "--help"],
        vec!["id", "check", "--help"],
    ] {
        let out = run(&db, &command, None);
        assert!(out.status.success(), "{command:?}");
        assert!(text(&out.stdout).contains("Usage"), "{command:?}");
    }
    let wrong = run(
        &db,
        &[
            "user",
            "add",
            "--municipality",
            "1234",
            "--email",
            "a@b.no",
            "--role",
            "boss",
            "--password-stdin",
        ],
        Some("x\n"),
    );
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("unknown role \"boss\""),
        "{}",
        text(&wrong.stderr)
    );
    assert!(text(&wrong.stdout).is_empty());
    let bad_url = husly().args(["migrate", "--database", "mysql://x"]).output().unwrap();
    assert!(!bad_url.status.success());
    assert!(text(&bad_url.stderr).contains("sqlite: or postgres://"));
}

#[test]
fn configuration_is_layered_and_secrets_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("husly.toml");
    std::fs::write(
        &file,
        "database = \"postgres://husly:topsecret@db.example/husly\"\naddr = \"0.0.0.0:9000\"\n",
    )
    .unwrap();
    let out = husly()
        .arg("config")
        .env("HUSLY_CONFIG", &file)
        .env_remove("HUSLY_DATABASE_URL")
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        shown.contains("husly:***@db.example") && !shown.contains("topsecret"),
        "{shown}"
    );
    assert!(shown.contains("0.0.0.0:9000"));
    // An environment variable wins over the file.
    let out = husly()
        .arg("config")
        .env("HUSLY_CONFIG", &file)
        .env("HUSLY_DATABASE_URL", "sqlite:///tmp/x.db")
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("sqlite:///tmp/x.db"));
    std::fs::write(&file, "colour = \"blue\"\n").unwrap();
    let out = husly().arg("config").env("HUSLY_CONFIG", &file).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("colour"), "{}", text(&out.stderr));
}

#[tokio::test]
async fn users_tokens_seed_audit_and_a_move_between_backends() {
    let dbs = Database::all().await;
    let source = &dbs[0];
    let seeded = run(
        source,
        &["seed", "--households", "30", "--municipalities", "2", "--seed", "5"],
        None,
    );
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    assert!(text(&seeded.stdout).contains("3301 Drammen: 30 households"));
    let added = run(
        source,
        &[
            "user",
            "add",
            "--municipality",
            "3301",
            "--email",
            "Kari@Drammen.example",
            "--role",
            "caseworker",
            "--password-stdin",
        ],
        Some("et langt passord her\n"),
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let token = run(source, &["token", "create", "--user", "kari@drammen.example"], None);
    assert!(text(&token.stdout).trim().starts_with("husly_"));
    let listed = text(&run(source, &["user", "list"], None).stdout);
    assert!(
        listed.contains("kari@drammen.example") && listed.contains("3301:caseworker"),
        "{listed}"
    );
    let verified = run(source, &["audit", "verify"], None);
    assert!(verified.status.success());
    assert!(text(&verified.stdout).starts_with("audit log intact"));

    // Export, import into every backend, export again: identical archives.
    let first = source.dir.path().join("first.jsonl");
    assert!(run(source, &["export", first.to_str().unwrap()], None).status.success());
    // The archive holds everyone's data and the password hashes: only its owner may read it;
    // likewise backups and the directory they go to.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&first), 0o600, "export");
        let backups = source.dir.path().join("backups/nightly");
        assert!(
            run(source, &["backup", backups.to_str().unwrap()], None)
                .status
                .success()
        );
        assert_eq!(mode(&backups), 0o700, "backup directory");
        let backup = std::fs::read_dir(&backups).unwrap().next().unwrap().unwrap().path();
        assert_eq!(mode(&backup), 0o600, "backup");
    }
    for target in [Database::sqlite()].into_iter().chain(Database::postgres().await) {
        let imported = run(&target, &["import", first.to_str().unwrap()], None);
        assert!(imported.status.success(), "{}", text(&imported.stderr));
        assert!(text(&imported.stdout).contains("audit log verified"));
        let second = target.dir.path().join("second.jsonl");
        assert!(
            run(&target, &["export", second.to_str().unwrap()], None)
                .status
                .success()
        );
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap(),
            "round trip into {}",
            target.url
        );
        let again = run(&target, &["import", first.to_str().unwrap()], None);
        assert!(!again.status.success() && text(&again.stderr).contains("empty database"));
    }

    // Disabling and resetting.
    assert!(
        run(source, &["user", "disable", "--email", "kari@drammen.example"], None)
            .status
            .success()
    );
    assert!(text(&run(source, &["user", "list"], None).stdout).contains("disabled"));
    let reset = run(
        source,
        &[
            "user",
            "reset-password",
            "--email",
            "kari@drammen.example",
            "--password-stdin",
        ],
        Some("kort\n"),
    );
    assert!(!reset.status.success() && text(&reset.stderr).contains("at least 12"));
}

#[tokio::test]
async fn audit_verify_names_the_first_tampered_entry() {
    let db = Database::sqlite();
    assert!(run(&db, &["seed", "--households", "3"], None).status.success());
    for i in 0..3 {
        let email = format!("user{i}@demo.example");
        run(
            &db,
            &[
                "user",
                "add",
                "--municipality",
                "9999",
                "--email",
                &email,
                "--role",
                "admin",
                "--password-stdin",
            ],
            Some("et langt passord her\n"),
        );
    }
    let store = husly_store::Store::connect(&db.url, &Default::default()).await.unwrap();
    sqlx::query("UPDATE audit_entry SET purpose = 'nothing to see' WHERE seq = 2 AND chain <> 'installation'")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let out = run(&db, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("entry 2") && err.contains("changed"), "{err}");
}

/// Someone with write access to the database removes the newest entry of a chain and moves its
/// head back: the chain alone still verifies, but the checkpoint kept outside the database does
/// not agree, and `audit verify` says so.
#[tokio::test]
async fn audit_verify_compares_with_the_checkpoints_outside_the_database() {
    let db = Database::sqlite();
    assert!(run(&db, &["seed", "--households", "3"], None).status.success());
    let checkpoint = run(&db, &["audit", "checkpoint"], None);
    assert!(checkpoint.status.success(), "{}", text(&checkpoint.stderr));
    let file = db.dir.path().join("audit-checkpoints.jsonl");
    let key = db.dir.path().join("audit-checkpoint.key");
    #[cfg(unix)]
    for path in [&file, &key] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is private", path.display());
    }
    let intact = run(&db, &["audit", "verify"], None);
    assert!(intact.status.success(), "{}", text(&intact.stderr));
    assert!(text(&intact.stdout).contains("agrees with 1 audit checkpoints"));

    let store = husly_store::Store::connect(&db.url, &Default::default()).await.unwrap();
    let (chain, seq): (String, i64) =
        sqlx::query_as("SELECT chain, seq FROM audit_chain_head WHERE seq > 1 ORDER BY chain LIMIT 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
    husly_store::testing::rewrite_audit_chain_without(&store, &chain, seq)
        .await
        .unwrap();
    assert_eq!(store.verify_audit().await.unwrap().first_break, None);
    store.close().await;
    let out = run(&db, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("REWRITTEN") && err.contains(&format!("entry {seq}")),
        "{err}"
    );
}

#[test]
fn municipalities_are_added_once() {
    let db = Database::sqlite();
    let added = run(
        &db,
        &["municipality", "add", "--number", "3301", "--name", "Drammen"],
        None,
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let again = run(
        &db,
        &["municipality", "add", "--number", "3301", "--name", "Drammen"],
        None,
    );
    assert!(!again.status.success() && text(&again.stderr).contains("already exists"));
    let bad = run(&db, &["municipality", "add", "--number", "33", "--name", "X"], None);
    assert!(!bad.status.success() && text(&bad.stderr).contains("four digits"));
    assert_eq!(
        text(&run(&db, &["municipality", "list"], None).stdout),
        "3301\tDrammen\n"
    );
}

/// A command leaves the SQLite database as whole files, its write-ahead log folded in: copying
/// `husly.db` after `husly seed` copies the seeded rows, also when the command failed.
#[test]
fn commands_leave_no_write_ahead_log_behind() {
    let db = Database::sqlite();
    let files = || {
        let mut names: Vec<String> = std::fs::read_dir(db.dir.path())
            .expect("data directory")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let seeded = run(&db, &["seed", "--households", "30"], None);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    assert_eq!(files(), ["husly.db", "husly.db-access"]);
    let refused = run(&db, &["municipality", "add", "--number", "33", "--name", "X"], None);
    assert!(!refused.status.success());
    assert_eq!(files(), ["husly.db", "husly.db-access"]);

    // The copy alone holds the seeded households.
    let copy = Database::sqlite();
    std::fs::copy(db.dir.path().join("husly.db"), copy.dir.path().join("husly.db")).expect("copy");
    std::fs::copy(
        db.dir.path().join("husly.db-access"),
        copy.dir.path().join("husly.db-access"),
    )
    .expect("copy");
    let verified = run(&copy, &["audit", "verify"], None);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(
        text(&verified.stdout).contains("audit log intact"),
        "{}",
        text(&verified.stdout)
    );
    let listed = run(&copy, &["municipality", "list"], None);
    assert_eq!(text(&listed.stdout), "9999\tDemo kommune\t(demo)\n");
}

/// The data directory holds the audit checkpoints and their signing key: when a command creates it
/// (also when the database is elsewhere, as PostgreSQL always is), only its owner may enter it.
#[cfg(unix)]
#[tokio::test]
async fn a_data_directory_made_for_the_checkpoints_is_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    for db in Database::all().await {
        let data = db.dir.path().join("new/data");
        let written = husly()
            .args(["audit", "checkpoint", "--database", &db.url, "--data-dir"])
            .arg(&data)
            .env_remove("HUSLY_CONFIG")
            .env_remove("HUSLY_AUDIT_CHECKPOINT_KEY")
            .output()
            .expect("husly");
        assert!(written.status.success(), "{}: {}", db.url, text(&written.stderr));
        let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "{}: data directory", db.url);
        assert_eq!(mode(&data.join("audit-checkpoint.key")), 0o600, "{}: key", db.url);
        assert_eq!(
            mode(&data.join("audit-checkpoints.jsonl")),
            0o600,
            "{}: checkpoints",
            db.url
        );
    }
}

/// A backup encrypted to an age key can leave the machine: it does not read as an archive, the
/// key opens it to the archive an export writes (which imports), and a key that is not one is
/// refused before anything is written.
#[tokio::test]
async fn an_encrypted_backup_opens_with_its_key_only() {
    let source = Database::sqlite();
    let seeded = run(&source, &["seed", "--households", "5", "--seed", "7"], None);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let key = age::x25519::Identity::generate();
    let public = key.to_public().to_string();
    let backups = source.dir.path().join("sealed");
    let sealed = run(
        &source,
        &["backup", backups.to_str().unwrap(), "--recipient", &public],
        None,
    );
    assert!(sealed.status.success(), "{}", text(&sealed.stderr));
    let file = std::fs::read_dir(&backups).unwrap().next().unwrap().unwrap().path();
    assert!(file.to_str().unwrap().ends_with(".jsonl.age"), "{}", file.display());
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
    assert!(
        !String::from_utf8_lossy(&bytes).contains("\"table\""),
        "no archive line in clear"
    );

    let archive = age::decrypt(&key, &bytes).expect("the key opens it");
    let opened = source.dir.path().join("opened.jsonl");
    std::fs::write(&opened, &archive).unwrap();
    let target = Database::sqlite();
    let imported = run(&target, &["import", opened.to_str().unwrap()], None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let other = age::x25519::Identity::generate();
    assert!(age::decrypt(&other, &bytes).is_err(), "another key does not open it");

    let refused = run(
        &source,
        &[
            "backup",
            source.dir.path().join("never").to_str().unwrap(),
            "--recipient",
            "age1notakey",
        ],
        None,
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("is not an age public key"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!source.dir.path().join("never").exists(), "nothing written");
}

/// `husly seed --years N` spreads the cases over N years, the older ones decided and most
/// housing applications among them closed on moving in, so the action plan's snapshot job fills
/// in a trend for every year on its first run.
#[tokio::test]
async fn seed_with_years_of_history_gives_every_year_a_value() {
    let dbs = Database::all().await;
    let db = &dbs[0];
    let refused = run(db, &["seed", "--households", "10", "--years", "11"], None);
    assert!(!refused.status.success(), "at most ten years");
    let seeded = run(
        db,
        &[
            "seed",
            "--households",
            "400",
            "--case-percent",
            "100",
            "--years",
            "6",
            "--seed",
            "3",
        ],
        None,
    );
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
        .await
        .expect("store");
    let municipality = store.municipalities().await.unwrap().remove(0);
    let today = common::today();
    let facts = store
        .case_facts(
            municipality.id,
            time::Date::from_calendar_date(today.year() - 10, time::Month::January, 1).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(facts.len(), 400);
    let oldest = facts.iter().map(|f| f.received_on).min().unwrap();
    assert!((today - oldest).whole_days() < 6 * 365, "{oldest}");
    let years: std::collections::BTreeSet<i32> = facts.iter().map(|f| f.received_on.year()).collect();
    assert!(years.len() >= 6, "{years:?}");
    let settled = facts
        .iter()
        .filter(|f| (today - f.received_on).whole_days() >= 120)
        .collect::<Vec<_>>();
    assert!(settled.iter().all(|f| f.decided_on.is_some()), "old cases are decided");
    assert!(
        settled
            .iter()
            .any(|f| f.state == husly_domain::cases::CaseState::Closed),
        "housing applications closed on moving in"
    );
    let run = husly_usecases::indicator_values::take_indicator_snapshots(&store, today)
        .await
        .unwrap();
    assert_eq!(run.municipalities, 1);
    let taken = store.snapshot_years(municipality.id).await.unwrap();
    assert_eq!(taken, (oldest.year()..=today.year()).collect::<Vec<_>>());

    // The job reads its facts a year at a time; its values are those of one read of every year.
    let definitions: Vec<&husly_domain::indicators::Definition> =
        husly_domain::indicators::Definitions::embedded().all.iter().collect();
    let span = husly_usecases::indicator_values::LoadedFacts::load(
        &store,
        (municipality.id, &municipality.number),
        &definitions,
        (oldest.year(), today.year()),
        today,
    )
    .await
    .unwrap();
    let keys: Vec<&str> = definitions.iter().map(|d| d.key.as_str()).collect();
    let saved = store
        .year_end_snapshots(municipality.id, &keys, oldest.year(), today.year())
        .await
        .unwrap();
    assert_eq!(saved.len(), definitions.len() * taken.len());
    for snapshot in &saved {
        let definition = definitions.iter().find(|d| d.key == snapshot.definition).unwrap();
        let value = span.value(definition, snapshot.year, today);
        assert_eq!(
            (snapshot.value, snapshot.counted, snapshot.numerator),
            (
                value.map(|v| v.figure),
                value.map_or(0, |v| v.cases),
                value.and_then(|v| v.numerator)
            ),
            "{} in {}",
            snapshot.definition,
            snapshot.year
        );
    }
    let past_values = saved
        .iter()
        .filter(|s| s.year < today.year() && s.value.is_some())
        .count();
    assert!(past_values > 20, "{past_values} values of past years");
}
