//! Shared test harness: a real `husly` process on a free port, against a fresh database.
//!
//! The server is the built binary (`CARGO_BIN_EXE_husly`), started with `--addr 127.0.0.1:0`;
//! the harness reads the real address from the first line of its standard output (the CLI's
//! contract) and keeps everything it writes to standard error, so tests can inspect the logs.
#![allow(dead_code)]

pub mod fixture;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub const POSTGRES_VAR: &str = "HUSLY_TEST_POSTGRES_URL";

/// A fresh database for one test: a SQLite file in a temporary directory, or a new PostgreSQL
/// database on the server named by `HUSLY_TEST_POSTGRES_URL`.
pub struct Database {
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Database {
    pub fn sqlite() -> Database {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("husly.db").display());
        Database { url, dir }
    }

    pub async fn postgres() -> Option<Database> {
        let base = std::env::var(POSTGRES_VAR).ok()?;
        let db = husly_store::testing::TestDb::postgres()
            .await
            .expect("create PostgreSQL test database")?;
        let url = db.url.clone();
        db.store.close().await;
        assert!(url.starts_with("postgres"), "{base}");
        Some(Database {
            url,
            dir: tempfile::tempdir().expect("temporary directory"),
        })
    }

    /// SQLite always, PostgreSQL too when configured. In CI (`CI=true`) PostgreSQL is required.
    pub async fn all() -> Vec<Database> {
        let mut all = vec![Database::sqlite()];
        match Database::postgres().await {
            Some(pg) => all.push(pg),
            None => assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI must run the PostgreSQL tests: set {POSTGRES_VAR}"
            ),
        }
        all
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }
}

pub struct Server {
    pub base: String,
    pub stdout_lines: Vec<String>,
    pub stderr: Arc<Mutex<String>>,
    child: Child,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Everything the server logged so far.
    pub fn logs(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Demo login (email, password) for a role, as printed at start-up.
    pub fn demo_login(&self, role: &str) -> (String, String) {
        let line = self
            .stdout_lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{role} ")))
            .unwrap_or_else(|| panic!("no demo login for {role} in {:?}", self.stdout_lines));
        let parts: Vec<&str> = line.split_whitespace().collect();
        (parts[1].to_string(), parts[2].to_string())
    }

    /// Kills the process with SIGKILL (no shutdown, no flush).
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

pub fn husly() -> Command {
    Command::new(env!("CARGO_BIN_EXE_husly"))
}

/// Starts `husly serve` as [`start`] does, with these settings in a configuration file (TOML).
pub fn start_configured(db: &Database, extra: &[&str], settings: &str) -> Server {
    let file = db.dir.path().join("husly.toml");
    std::fs::write(&file, settings).expect("write the configuration");
    let config = format!("--config={}", file.display());
    let mut args = vec![config.as_str()];
    args.extend_from_slice(extra);
    start(db, &args)
}

/// Starts `husly serve` on a free port. `extra` adds arguments (e.g. `--demo`).
pub fn start(db: &Database, extra: &[&str]) -> Server {
    let mut command = husly();
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--database", &db.url, "--data-dir"])
        .arg(db.dir.path())
        .args(extra)
        .env("RUST_LOG", "info")
        .env_remove("HUSLY_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start husly");
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut err_pipe = child.stderr.take().expect("stderr");
    let sink = stderr.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = err_pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut s) = sink.lock() {
                s.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    reader.read_line(&mut first).expect("read first line");
    let Some(base) = first.trim().strip_prefix("husly listening on ") else {
        let logs = stderr.lock().map(|s| s.clone()).unwrap_or_default();
        panic!("unexpected first line {first:?}; stderr: {logs}");
    };
    let base = base.to_string();
    let mut stdout_lines = Vec::new();
    if extra.contains(&"--demo") {
        // Seven demo logins follow the heading line.
        for _ in 0..8 {
            let mut line = String::new();
            reader.read_line(&mut line).expect("demo login line");
            stdout_lines.push(line.trim_end().to_string());
        }
    }
    std::thread::spawn(move || for _ in reader.lines() {});
    Server {
        base,
        stdout_lines,
        stderr,
        child,
    }
}

/// A page's text with its no-break and narrow no-break spaces (in amounts and counts) as plain
/// spaces, so a test can look for "16 200 kr".
#[allow(dead_code)]
pub fn plain(html: &str) -> String {
    html.replace(['\u{a0}', '\u{202f}'], " ")
}

/// The body of a GET as text (the page a test reads).
#[allow(dead_code)]
pub async fn page_text(server: &Server, http: &reqwest::Client, path: &str) -> String {
    http.get(server.url(path))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body")
}

/// The text of a page's `<title>`, checked to be plain text (no markup leaked into it).
#[allow(dead_code)]
pub fn title_of(html: &str) -> &str {
    let start = html.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = html[start..].find("</title>").map_or(start, |i| start + i);
    let title = &html[start..end];
    assert!(
        !title.contains('<') && !title.trim().is_empty(),
        "the title is not plain text: {title:?}"
    );
    title
}

/// The case's state as its page shows it (the element `#case-state`), so a check reads the state
/// and not a word that could stand anywhere on the page.
pub fn case_state(html: &str) -> String {
    let start = html.find("id=\"case-state\"").expect("the page shows the case's state");
    let text = &html[start..];
    let text = &text[text.find('>').expect("the element's tag ends") + 1..];
    text[..text.find('<').expect("the element ends")].trim().to_string()
}

/// Texts of a page that are catalogue keys shown raw (`case_state.received`): a text the catalogue
/// lacks is shown as its key, which a reader must never meet. Text between tags and the values of
/// `title`, `aria-label` and `placeholder` are read; a key has lowercase words joined by dots
/// (and is not a file's name).
pub fn raw_keys(html: &str) -> Vec<String> {
    let looks_like_key = |text: &str| {
        let text = text.trim();
        let parts: Vec<&str> = text.split('.').collect();
        parts.len() >= 2
            && parts.iter().all(|p| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            })
            && parts[0].bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            // A file's name (an uploaded document) is not a key.
            && !["pdf", "png", "jpg", "jpeg", "zip", "csv", "xlsx", "html", "json"].contains(&parts[parts.len() - 1])
    };
    let body = html.split("<body").nth(1).unwrap_or(html);
    let mut found = Vec::new();
    for piece in body.split('<') {
        let Some((tag, text)) = piece.split_once('>') else {
            continue;
        };
        if tag.starts_with("script") || tag.starts_with("style") {
            continue;
        }
        if looks_like_key(text) {
            found.push(text.trim().to_string());
        }
        for attribute in ["title=\"", "aria-label=\"", "placeholder=\""] {
            if let Some(value) = tag.split(attribute).nth(1).and_then(|v| v.split('"').next())
                && looks_like_key(value)
            {
                found.push(value.to_string());
            }
        }
    }
    found
}

/// Audit entries of both logs (changes and accesses) written for people (not by the server's
/// own jobs, actor `system`, or the command line, `cli`, which may write theirs while a test
/// counts).
pub async fn audit_entries_by_people(store: &husly_store::Store) -> i64 {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM audit_entry WHERE actor NOT IN ('system', 'cli')) \
         + (SELECT COUNT(*) FROM access_entry WHERE actor NOT IN ('system', 'cli'))",
    )
    .fetch_one(store.pool())
    .await
    .expect("count audit entries")
}

/// The JSON an API read answers, asked with an API token.
pub async fn api_json(server: &Server, path: &str, token: &str) -> serde_json::Value {
    client()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("a JSON answer")
}

/// An HTTP client that keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// The value of a hidden input `name` in an HTML page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden field {name}")) + marker.len();
    html[start..].split('"').next().unwrap_or_default().to_string()
}

/// Logs in through the real login form; returns the client with its session cookie.
pub async fn login(server: &Server, email: &str, password: &str) -> reqwest::Client {
    let http = client();
    let page = http
        .get(server.url("/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("body");
    let csrf = hidden(&page, "csrf");
    let response = http
        .post(server.url("/login"))
        .form(&[("csrf", csrf.as_str()), ("email", email), ("password", password)])
        .send()
        .await
        .expect("login post");
    assert_eq!(response.status(), 303, "login as {email} failed");
    http
}

/// The CSRF token of the signed-in session, read from any page's logout form.
pub async fn csrf_of(server: &Server, http: &reqwest::Client, page: &str) -> String {
    let html = http
        .get(server.url(page))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    hidden(&html, "csrf")
}

/// A synthetic (Test-Norge, month + 80) identity number for a birth date.
pub fn synthetic_id(year: i32, month: u8, day: u8, individual: u16) -> String {
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).expect("month"), day).expect("date");
    husly_domain::national_id::synthetic_tenor_next(date, individual).to_string()
}

/// The CSRF token from a page, if the page is reachable for this user.
pub async fn csrf_of_any(server: &Server, http: &reqwest::Client, page: &str) -> Option<String> {
    let response = http.get(server.url(page)).send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let html = response.text().await.ok()?;
    html.contains("name=\"csrf\" value=\"").then(|| hidden(&html, "csrf"))
}

/// Today's date in Norway, as the server reads it: the tests compare their dates with the
/// server's, which are Oslo dates (UTC's date is the day before between midnight and 01:00/02:00).
pub fn today() -> time::Date {
    husly_domain::oslo::date_at(time::OffsetDateTime::now_utc())
}

/// The cells of an XLSX workbook's sheet number `sheet` (from 1), row by row, as text: shared strings resolved,
/// numbers as written (whole numbers without decimals). Read with the zip crate and a few string
/// searches; the workbook is the one Husly writes, not any workbook.
#[allow(dead_code)]
pub fn xlsx_cells(bytes: &[u8], sheet: usize) -> Vec<Vec<String>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a ZIP archive");
    let mut part = |name: &str| -> String {
        let mut text = String::new();
        if let Ok(mut file) = archive.by_name(name) {
            file.read_to_string(&mut text).expect(name);
        }
        text
    };
    let shared = part("xl/sharedStrings.xml");
    let sheet = part(&format!("xl/worksheets/sheet{sheet}.xml"));
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let inner = |element: &str, tag: &str| -> Option<String> {
        let open = element.find(&format!("<{tag}"))?;
        let start = open + element[open..].find('>')? + 1;
        let end = start + element[start..].find(&format!("</{tag}>"))?;
        Some(unescape(&element[start..end]))
    };
    let strings: Vec<String> = shared
        .split("<si>")
        .skip(1)
        .map(|si| inner(si, "t").unwrap_or_default())
        .collect();
    sheet
        .split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<c ")
                .skip(1)
                .map(|cell| {
                    let attributes = &cell[..cell.find('>').unwrap_or(0)];
                    if attributes.contains("t=\"s\"") {
                        let index: usize = inner(cell, "v").expect("a shared string's index").parse().unwrap();
                        strings[index].clone()
                    } else if attributes.contains("t=\"inlineStr\"") {
                        inner(cell, "t").unwrap_or_default()
                    } else {
                        let value = inner(cell, "v").unwrap_or_default();
                        value.strip_suffix(".0").map(str::to_string).unwrap_or(value)
                    }
                })
                .collect()
        })
        .collect()
}

/// Waits (at most thirty seconds, for a loaded test machine) until a started server's scheduler has finished today's run of
/// its last job (the outreach lists, after every other), so that a test comparing the whole
/// database before and after an action sees only what the action did.
#[allow(dead_code)]
pub async fn scheduler_settled(store: &husly_store::Store) {
    let last = husly_usecases::daily_jobs::DAILY_JOBS[husly_usecases::daily_jobs::DAILY_JOBS.len() - 1];
    for _ in 0..300 {
        let runs = store.job_runs(last, 1).await.expect("job runs");
        if runs.first().is_some_and(|r| r.finished_at.is_some()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the scheduler did not finish today's jobs within thirty seconds");
}
