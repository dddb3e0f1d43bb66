//! The caseworker's main flow in a real browser: headless Chromium driven over WebDriver
//! (chromedriver + fantoccini), with an axe-core accessibility check (WCAG 2.1 A and AA) of every
//! page on the way. It ends with an application for municipal housing: sent by an anonymous
//! applicant, then assessed, approved, decided and appealed.
//!
//! Needs `HUSLY_CHROMEDRIVER` (path to chromedriver), `HUSLY_AXE_JS` (path to axe-core's
//! `axe.min.js`) and optionally `HUSLY_CHROMIUM` (default `/usr/bin/chromium`); `scripts/test`
//! installs them and sets all three. Without them the test is skipped, except in CI (`CI=true`),
//! where it fails. `HUSLY_SCREENSHOTS=DIR` saves screenshots of some pages into DIR.

use crate::common;

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// WCAG 2.0/2.1, levels A and AA.
const AXE_RUN: &str = r#"
return axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
}).then(r => ({
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
  })),
  passes: r.passes.length,
  incomplete: r.incomplete.map(v => v.id),
}));
"#;

/// Proves that axe really reports: an image without a text alternative must be flagged.
const AXE_CANARY: &str = r#"
const img = document.createElement('img');
img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
img.id = 'axe-canary';
document.body.appendChild(img);
return axe.run('#axe-canary', { runOnly: { type: 'rule', values: ['image-alt'] } })
  .then(r => r.violations.map(v => v.id))
  .finally(() => img.remove());
"#;

const WAIT: Duration = Duration::from_secs(15);

struct Setup {
    chromedriver: String,
    chromium: String,
    axe_js: String,
}

/// The tools from the environment, or `None` (test skipped) outside CI.
fn setup() -> Option<Setup> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(chromedriver), Some(axe_js)) = (var("HUSLY_CHROMEDRIVER"), var("HUSLY_AXE_JS")) else {
        let message = "browser test needs HUSLY_CHROMEDRIVER and HUSLY_AXE_JS (run scripts/test, which sets them)";
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the browser test: {message}"
        );
        eprintln!("SKIPPED: {message}");
        return None;
    };
    let chromium = var("HUSLY_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".to_string());
    for path in [&chromedriver, &chromium, &axe_js] {
        assert!(std::path::Path::new(path).is_file(), "{path} does not exist");
    }
    Some(Setup {
        chromedriver,
        chromium,
        axe_js,
    })
}

/// A running chromedriver in its own process group; dropping it kills the group, so no
/// chromedriver or Chromium outlives the test, even when it panics.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start(path: &str, log: &std::path::Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start {path}: {e}"));
        let mut driver = Driver { child, port };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited at start-up: {status}");
            }
            if let Ok(response) = http.get(driver.url("/status")).send().await {
                let status: Value = response.json().await.unwrap_or_default();
                if status["value"]["ready"] == json!(true) {
                    return driver;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on port {}",
                driver.port
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("kill -KILL -- -{} 2>/dev/null", self.child.id());
        let _ = Command::new("sh").args(["-c", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn connect(driver: &Driver, chromium: &str, profile: &std::path::Path) -> Client {
    let mut capabilities = fantoccini::wd::Capabilities::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1024",
                "--lang=nb-NO",
                format!("--user-data-dir={}", profile.display()),
            ],
            // The interface language follows Accept-Language: ask for bokmål, the default.
            "prefs": { "intl.accept_languages": "nb-NO,nb" },
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url(""))
        .await
        .expect("start a WebDriver session in Chromium")
}

/// One browser session's worth of helpers.
struct Browser {
    client: Client,
    base: String,
    axe_source: String,
    /// Accessibility violations found so far, one report per page.
    violations: std::sync::Mutex<Vec<String>>,
    /// The number of pages checked with axe.
    checked: std::sync::atomic::AtomicUsize,
    /// The paths axe has checked: a page arrived at for the first time is checked on arrival.
    axed: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// A line per page checked, shown (the last of them) only when the flow fails, so that the
    /// failure's own message comes first in the test's output.
    journal: Arc<std::sync::Mutex<Vec<String>>>,
    screenshots: Option<std::path::PathBuf>,
}

impl Browser {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.path().to_string())
            .unwrap_or_default()
    }

    /// Waits until the current path satisfies `ok`; returns it. A page not yet checked with axe
    /// is checked now, so every page the flow visits is checked at least once.
    async fn wait_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let path = self.path().await;
            if ok(&path) {
                let checked = self.axed.lock().expect("axed").contains(&path);
                if !checked {
                    self.axe(what).await;
                }
                return path;
            }
            assert!(Instant::now() < deadline, "expected to be on {what}, still on {path}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element matching the CSS selector.
    async fn find(&self, css: &str) -> Element {
        match self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element {css} on {}: {e}", self.path().await),
        }
    }

    async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// The text of the element matching the CSS selector; found again if the page was replaced
    /// between finding it and reading it.
    async fn text(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.find(css).await.text().await {
                Ok(text) => return text,
                Err(e) if e.is_stale_element_reference() && Instant::now() < deadline => {}
                Err(e) => panic!("the text of {css} on {}: {e}", self.path().await),
            }
        }
    }

    /// Replaces the value of the field with the given id.
    async fn fill(&self, id: &str, value: &str) {
        let field = self.find(&format!("#{id}")).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear #{id}: {e}"));
        if !value.is_empty() {
            field
                .send_keys(value)
                .await
                .unwrap_or_else(|e| panic!("type into #{id}: {e}"));
        }
    }

    async fn value(&self, id: &str) -> String {
        self.find(&format!("#{id}"))
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// Chooses the option with the given visible text in the select with the given id.
    async fn select(&self, id: &str, label: &str) {
        self.find(&format!("#{id}"))
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("choose {label:?} in #{id}: {e}"));
    }

    /// Clicks a submit button and waits for the page it leads to, also when that page has the
    /// same address (a form posted back to itself, or a redirect back to the form).
    async fn submit(&self, css: &str) {
        self.client
            .execute("window.huslyPreviousPage = true;", vec![])
            .await
            .expect("mark the page");
        self.click(css).await;
        let deadline = Instant::now() + WAIT;
        loop {
            let loaded = self
                .client
                .execute(
                    "return window.huslyPreviousPage !== true && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if matches!(loaded, Ok(Value::Bool(true))) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after clicking {css} on {}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Checks that the field with the given id is marked invalid, with its error message next to it
    /// and linked from the error summary.
    async fn assert_field_error(&self, field: &str) {
        let input = self.find(&format!("#{field}")).await;
        assert_eq!(
            input.attr("aria-invalid").await.expect("attr").as_deref(),
            Some("true"),
            "{field}"
        );
        let described = input.attr("aria-describedby").await.expect("attr").unwrap_or_default();
        assert!(
            described.split_whitespace().any(|id| id == format!("{field}-error")),
            "{field}: {described}"
        );
        let message = self
            .text(&format!(".field--error:has(> #{field}) > .error-message#{field}-error"))
            .await;
        assert!(!message.trim().is_empty(), "{field} has an empty error message");
        assert!(
            self.has(&format!(".error-summary a[href=\"#{field}\"]")).await,
            "summary does not link to {field}"
        );
    }

    async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn screenshot(&self, name: &str) {
        let Some(dir) = &self.screenshots else { return };
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(dir).expect("screenshot directory");
        let file = dir.join(format!("{name}.png"));
        std::fs::write(&file, png).expect("write screenshot");
        eprintln!("screenshot: {}", file.display());
    }

    /// Runs axe-core on the current page and records its violations.
    /// Visits each page at phone widths (375 and 320 px) and asserts that nothing spills over the side:
    /// the page does not scroll sideways, and every element wider than the screen sits inside a
    /// region that scrolls on its own (a table's labelled, focusable region). Runs axe there too.
    async fn at_phone_width(&mut self, pages: &[&str]) {
        for width in [375, 320] {
            self.client.set_window_size(width, 812).await.expect("phone width");
            for page in pages {
                self.goto(page).await;
                self.wait_path(page, |p| page.starts_with(p)).await;
                let found = self.client.execute(OVERFLOW, vec![]).await.expect("measure the page");
                assert_eq!(
                    found["spills"],
                    json!([]),
                    "{page} at {width} px: elements spill over the side ({found})"
                );
                assert!(
                    found["page"].as_u64() <= found["screen"].as_u64(),
                    "{page} at {width} px scrolls sideways ({found})"
                );
                self.screenshot(&format!("phone{width}{}", page.replace('/', "-")))
                    .await;
                self.axe(&format!("{page} at {width} px")).await;
            }
        }
        self.client.set_window_size(1280, 1024).await.expect("desktop width");
    }

    async fn axe(&self, page: &str) {
        let loaded = self
            .client
            .execute("return typeof window.axe;", vec![])
            .await
            .expect("probe axe");
        if loaded != json!("object") {
            self.client
                .execute(&self.axe_source, vec![])
                .await
                .expect("inject axe-core");
        }
        let result = match self.client.execute(AXE_RUN, vec![]).await {
            Ok(result) => result,
            Err(e) => panic!("axe on {page} ({}): {e}", self.path().await),
        };
        if self.checked.load(Ordering::Relaxed) == 0 {
            let canary = self.client.execute(AXE_CANARY, vec![]).await.expect("axe canary");
            assert_eq!(
                canary,
                json!(["image-alt"]),
                "axe did not flag an image without alt text"
            );
        }
        let passes = result["passes"].as_u64().unwrap_or(0);
        assert!(passes > 0, "axe checked nothing on {page}: {result}");
        self.checked.fetch_add(1, Ordering::Relaxed);
        let path = self.path().await;
        self.axed.lock().expect("axed").insert(path);
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        // The page as the browser holds it: no text shown as its raw catalogue key.
        let source = self.client.source().await.expect("page source");
        let raw = common::raw_keys(&source);
        assert!(raw.is_empty(), "{page} ({url}) shows raw catalogue keys: {raw:?}");
        let incomplete = result["incomplete"].as_array().map(|a| a.len()).unwrap_or(0);
        self.journal.lock().expect("journal").push(format!(
            "axe {page}: {passes} rules passed, {} violated, {incomplete} to review by hand{} ({url})",
            violations.len(),
            if incomplete > 0 {
                result["incomplete"].to_string()
            } else {
                String::new()
            },
        ));
        if violations.is_empty() {
            return;
        }
        let mut report = format!("{page} ({url}):");
        for v in &violations {
            report.push_str(&format!(
                "\n  [{}] {}: {} <{}>",
                v["impact"], v["id"], v["help"], v["helpUrl"]
            ));
            for node in v["nodes"].as_array().into_iter().flatten() {
                report.push_str(&format!("\n      {}  {}", node["target"], node["html"]));
                if let Some(summary) = node["summary"].as_str() {
                    for line in summary.lines() {
                        report.push_str(&format!("\n        {line}"));
                    }
                }
            }
        }
        eprintln!("{report}");
        self.violations.lock().expect("violations").push(report);
    }
}

/// What sticks out past the right edge of the screen, outside any region that scrolls sideways.
const OVERFLOW: &str = r#"
const screen = document.documentElement.clientWidth;
const scrolls = (el) => {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
  }
  return false;
};
const spills = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || r.right <= screen + 1 || scrolls(el)) continue;
  spills.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''));
}
return { page: document.documentElement.scrollWidth, screen, spills: spills.slice(0, 10) };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caseworker_flow_in_chromium_is_accessible() {
    let Some(setup) = setup() else { return };
    let axe_source = std::fs::read_to_string(&setup.axe_js).expect("read axe-core");

    let db = common::Database::sqlite();
    let server = common::start(&db, &["--demo"]);
    // The flow meets what the start-up's daily jobs made (a renewal review, their runs on the
    // jobs page, the outreach list): it starts when they are done, not while they run.
    let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
        .await
        .expect("connect to the demo database");
    common::scheduler_settled(&store).await;
    drop(store);
    let logins = Logins {
        caseworker: server.demo_login("caseworker"),
        approver: server.demo_login("approver"),
        admin: server.demo_login("admin"),
        leader: server.demo_login("leader"),
        housing_manager: server.demo_login("housing_manager"),
        follow_up_worker: server.demo_login("follow_up_worker"),
        partner: server.demo_login("partner"),
    };

    let scratch = tempfile::tempdir().expect("temporary directory");
    let driver = Driver::start(&setup.chromedriver, &scratch.path().join("chromedriver.log")).await;
    let client = connect(&driver, &setup.chromium, &scratch.path().join("profile")).await;

    let screenshots: Option<std::path::PathBuf> = std::env::var_os("HUSLY_SCREENSHOTS").map(Into::into);
    let browser = Browser {
        client: client.clone(),
        base: server.base.clone(),
        axe_source,
        violations: Default::default(),
        checked: Default::default(),
        axed: Default::default(),
        journal: Default::default(),
        screenshots: screenshots.clone(),
    };
    let journal = Arc::clone(&browser.journal);
    // The flow runs in its own task so that the browser is closed cleanly even when it panics.
    let outcome = tokio::spawn(flow(browser, logins)).await;
    if outcome.is_err() {
        // Show where the browser stood, and the pages before.
        {
            let journal = journal.lock().expect("journal");
            eprintln!(
                "the last of the {} pages checked:\n{}",
                journal.len(),
                journal[journal.len().saturating_sub(6)..].join("\n")
            );
        }
        if let Ok(url) = client.current_url().await {
            eprintln!("the browser was on {url}");
        }
        if let Ok(main) = client.find(Locator::Css("main")).await {
            let text = main.text().await.unwrap_or_default();
            eprintln!("its <main> read:\n{}", text.chars().take(2000).collect::<String>());
        }
        if let (Some(dir), Ok(png)) = (&screenshots, client.screenshot().await) {
            let file = dir.join("failure.png");
            if std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&file, png))
                .is_ok()
            {
                eprintln!("screenshot: {}", file.display());
            }
        }
    }
    let _ = client.close().await;
    drop(driver);
    match outcome {
        Ok(browser) => {
            let violations = browser.violations.lock().expect("violations");
            assert!(
                violations.is_empty(),
                "axe found accessibility violations (WCAG 2.1 A/AA) on {} of {} pages:\n{}",
                violations.len(),
                browser.checked.load(Ordering::Relaxed),
                violations.join("\n"),
            );
        }
        Err(e) => {
            eprintln!("server log:\n{}", server.logs());
            match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(e) => panic!("browser flow failed: {e}"),
            }
        }
    }
}

/// The demo logins (e-mail, password) the flow signs in with.
struct Logins {
    caseworker: (String, String),
    approver: (String, String),
    admin: (String, String),
    leader: (String, String),
    housing_manager: (String, String),
    follow_up_worker: (String, String),
    partner: (String, String),
}

async fn flow(mut b: Browser, logins: Logins) -> Browser {
    // 1. Log in.
    b.goto("/login").await;
    b.find("#email").await;
    b.axe("login").await;
    b.fill("email", &logins.caseworker.0).await;
    b.fill("password", &logins.caseworker.1).await;
    b.click("main form[action=\"/login\"] button[type=\"submit\"]").await;
    b.wait_path("/search", |p| p == "/search").await;

    // 2. Search, open a person and one of their households.
    b.axe("search").await;
    b.fill("q", "blomst").await;
    b.click("form[role=\"search\"] button[type=\"submit\"]").await;
    b.find("table.data-table").await;
    let first = b.text("table.data-table tbody tr a[href^=\"/people/\"]").await;
    assert!(
        first.to_lowercase().contains("blomst"),
        "first hit {first:?} is not a Blomst"
    );
    b.screenshot("search-results").await;
    b.axe("search results").await;
    b.click("table.data-table tbody tr a[href^=\"/people/\"]").await;
    b.wait_path("a person page", |p| p.starts_with("/people/")).await;
    b.axe("person").await;
    b.click("main a[href^=\"/households/\"]").await;
    b.wait_path("a household page", |p| p.starts_with("/households/")).await;
    b.find("main h2").await;
    let headings = b.client.find_all(Locator::Css("main h2")).await.expect("headings");
    let mut texts = Vec::new();
    for h in headings {
        texts.push(h.text().await.unwrap_or_default());
    }
    assert!(
        texts.iter().any(|t| t == "Tidslinje"),
        "no timeline heading among {texts:?}"
    );
    b.axe("household").await;

    // 3. Register a household with mistakes.
    b.click("nav a[href=\"/households/new\"]").await;
    b.wait_path("/households/new", |p| p == "/households/new").await;
    b.axe("new household form").await;
    assert_eq!(
        b.value("f-members-0-relation").await,
        "main_applicant",
        "row 0 starts as the main applicant"
    );
    b.fill("f-address_line", "Nettleserveien 7").await;
    b.fill("f-postal_code", "12").await;
    b.fill("f-postal_city", "Drammen").await;
    b.fill("f-from_date", "01.02.2026").await;
    b.fill("f-members-0-national_id", "12345678901").await;
    b.fill("f-members-0-given_name", "Vilja").await;
    b.fill("f-members-0-family_name", "Nettlesersen").await;
    let submit = "main form button[type=\"submit\"]:not([name])";
    b.click(submit).await;
    b.find(".error-summary").await;
    for field in ["f-postal_code", "f-members-0-national_id"] {
        b.assert_field_error(field).await;
    }
    assert_eq!(
        b.value("f-members-0-given_name").await,
        "Vilja",
        "typed values are kept"
    );
    b.screenshot("household-form-errors").await;
    let member = b.find("#f-members-0-national_id").await;
    b.client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![json!(member)])
        .await
        .expect("scroll");
    b.screenshot("household-form-errors-member").await;
    b.axe("new household form with errors").await;

    // 4. Correct the mistakes.
    let national_id = common::synthetic_id(1985, 5, 17, 100);
    b.fill("f-postal_code", "3015").await;
    b.fill("f-members-0-national_id", &national_id).await;
    b.fill("f-members-0-birth_date", "").await;
    b.click(submit).await;
    let path = b
        .wait_path("the new household", |p| {
            p.strip_prefix("/households/")
                .is_some_and(|id| !id.is_empty() && !id.contains('/') && id != "new")
        })
        .await;
    let title = b.text("main h1").await;
    assert!(
        title.contains("Vilja Nettlesersen"),
        "household {path} is titled {title:?}"
    );
    let timeline = b.text("ol.timeline").await;
    assert!(
        timeline.contains("Husstanden ble registrert"),
        "timeline of {path}: {timeline:?}"
    );
    b.screenshot("household").await;
    b.axe("registered household").await;

    // 5. The household's economy: an income with a mistake, then saved; bostøtte with a bad date,
    //    then registered.
    let economy = format!("{path}/economy");
    b.click(&format!("main a[href=\"{economy}\"]")).await;
    b.wait_path("the economy page", |p| p == economy).await;
    b.find("#f-members-0-incomes-0-amount").await;
    b.axe("economy").await;
    let save = format!("main form[action=\"{economy}\"] button[type=\"submit\"]");
    b.select("f-members-0-incomes-0-kind", "Lønn").await;
    b.fill("f-members-0-incomes-0-amount", "12,5").await;
    b.submit(&save).await;
    b.find(".error-summary").await;
    b.assert_field_error("f-members-0-incomes-0-amount").await;
    assert_eq!(b.value("f-members-0-incomes-0-kind").await, "wages", "the kind is kept");
    assert_eq!(
        b.value("f-members-0-incomes-0-amount").await,
        "12,5",
        "the amount is kept"
    );
    b.screenshot("economy-errors").await;
    b.axe("economy with errors").await;
    b.fill("f-members-0-incomes-0-amount", "250 000").await;
    b.submit(&save).await;
    b.wait_path("the economy page (saved)", |p| p == economy).await;
    assert!(!b.has(".error-summary").await, "saving a valid income shows errors");
    assert_eq!(b.value("f-members-0-incomes-0-kind").await, "wages", "saved kind");
    assert_eq!(b.value("f-members-0-incomes-0-amount").await, "250000", "saved amount");
    assert_eq!(b.value("f-members-0-incomes-1-kind").await, "", "a blank row follows");
    let register = format!("main form[action=\"{path}/benefits\"] button[type=\"submit\"]");
    b.fill("f-benefit_from", "31.02.2026").await;
    b.submit(&register).await;
    b.find(".error-summary").await;
    b.assert_field_error("f-benefit_from").await;
    assert_eq!(b.value("f-benefit_from").await, "31.02.2026", "the date is kept");
    b.axe("economy with a bad bostøtte date").await;
    b.fill("f-benefit_from", "01.03.2026").await;
    b.submit(&register).await;
    b.wait_path("the economy page (bostøtte registered)", |p| p == economy)
        .await;
    let benefits = b.text("#benefits-heading + ul").await;
    assert!(
        benefits.contains("Bostøtte: 01.03.2026"),
        "benefits after registering: {benefits:?}"
    );

    // 6. The bostøtte estimate, started from the saved income: a result, then a bad month.
    b.click(&format!("main a[href=\"{path}\"]")).await;
    b.wait_path("the household page", |p| p == path).await;
    let bostotte = format!("{path}/bostotte");
    b.click(&format!("main a[href=\"{bostotte}\"]")).await;
    b.wait_path("the bostøtte page", |p| p == bostotte).await;
    assert_eq!(
        b.value("f-members-0-income").await,
        "250000",
        "the income is prefilled from the economy page"
    );
    b.axe("bostøtte form").await;
    b.click("#f-tenure-rent").await;
    b.fill("f-monthly_rent", "9 000").await;
    let calculate = format!("main form[action=\"{bostotte}\"] button[type=\"submit\"]");
    b.submit(&calculate).await;
    let heading = b.text("#result-heading").await;
    assert!(heading.contains("Anslått bostøtte for"), "result heading {heading:?}");
    let amount = b.text(".result-amount").await;
    assert!(
        amount.contains("kr") && amount.chars().any(|c| c.is_ascii_digit()),
        "result amount {amount:?}"
    );
    let steps = b
        .client
        .find_all(Locator::Css(
            "section[aria-labelledby=\"result-heading\"] table tbody tr",
        ))
        .await
        .expect("steps");
    assert!(steps.len() >= 8, "{} steps in the result table", steps.len());
    assert_eq!(b.value("f-monthly_rent").await, "9 000", "the rent is kept");
    b.screenshot("bostotte-estimate").await;
    b.axe("bostøtte estimate").await;
    b.fill("f-month", "2019-13").await;
    b.submit(&calculate).await;
    b.find(".error-summary").await;
    b.assert_field_error("f-month").await;
    assert!(!b.has("#result-heading").await, "a result for an invalid month");
    b.axe("bostøtte with errors").await;

    // 7. From the outreach list to a seeded municipal tenant: the estimate starts from the
    //    registered rent, and the economy page lists the tenancy.
    b.click("nav a[href=\"/outreach\"]").await;
    b.wait_path("/outreach", |p| p == "/outreach").await;
    b.find("dl.summary-list").await;
    assert!(
        b.has("main table.data-table").await,
        "the demo data (Store::seed_households) gives no outreach candidates"
    );
    // 7a. A contact with the first household on the list: a cleared date is named, then the
    //     contact is recorded and confirmed on the list; the form works at phone width.
    let contact = b
        .find("main table.data-table tbody tr td a[href*=\"/contact\"]")
        .await
        .attr("href")
        .await
        .expect("attr")
        .unwrap_or_default();
    b.goto(&contact).await;
    b.wait_path("the contact form", |p| contact.starts_with(p)).await;
    b.fill("f-contacted_on", "").await;
    b.submit("main form.stack button[type=submit]").await;
    b.assert_field_error("f-contacted_on").await;
    b.axe("outreach contact with errors").await;
    b.fill(
        "f-contacted_on",
        &husly_domain::validation::format_date(common::today()),
    )
    .await;
    b.click("#f-channel-phone").await;
    b.click("#f-outcome-will_apply").await;
    b.submit("main form.stack button[type=submit]").await;
    b.wait_path("back on the list", |p| p == "/outreach").await;
    assert!(
        b.text("main").await.contains("Kontakten er registrert."),
        "no confirmation"
    );
    b.at_phone_width(&[contact.as_str()]).await;
    b.goto("/outreach").await;
    b.wait_path("/outreach", |p| p == "/outreach").await;
    let candidate = b
        .find("main table.data-table tbody tr a")
        .await
        .attr("href")
        .await
        .expect("attr")
        .unwrap_or_default();
    b.click("main table.data-table tbody tr a").await;
    b.wait_path("a candidate's bostøtte page", |p| p == candidate).await;
    let rent = b.value("f-monthly_rent").await;
    assert!(
        !rent.is_empty(),
        "{candidate}: the rent is not prefilled from the tenancy"
    );
    b.goto(&format!("{}/economy", candidate.trim_end_matches("/bostotte")))
        .await;
    let tenancies = b.text("table[aria-labelledby=\"tenancy-heading\"] tbody").await;
    assert!(
        tenancies.lines().any(|row| row
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .contains(&rent)),
        "the prefilled rent {rent} is not among the tenancies {tenancies:?}"
    );
    b.axe("economy with a tenancy").await;

    // 7b. The startlån calculator: a term that cannot be read, then an assessment.
    b.click("nav a[href=\"/calculators/startlan\"]").await;
    b.wait_path("/calculators/startlan", |p| p == "/calculators/startlan")
        .await;
    b.find("#f-income_after_tax_kr").await;
    b.axe("startlån calculator").await;
    b.fill("f-month", "2024-10").await;
    b.fill("f-household-adults", "2").await;
    b.click("#f-household-couple").await;
    b.fill("f-household-children_ages", "4, 9").await;
    b.fill("f-income_after_tax_kr", "52 000 kr").await;
    b.fill("f-maintenance_kr", "3 500").await;
    b.select("f-fixed_costs-0-kind", "Barnehage, SFO eller AKS").await;
    b.fill("f-fixed_costs-0-amount_kr", "3000").await;
    b.fill("f-loans-startlan-principal_kr", "2 500 000").await;
    b.fill("f-loans-startlan-term_years", "tretti").await;
    let calculate = "main form[action^=\"/calculators/startlan\"] button[type=\"submit\"]";
    b.submit(calculate).await;
    b.find(".error-summary").await;
    b.assert_field_error("f-loans-startlan-term_years").await;
    assert_eq!(
        b.value("f-income_after_tax_kr").await,
        "52 000 kr",
        "typed values are kept"
    );
    assert!(!b.has("#startlan-result-heading").await, "a result for an invalid form");
    b.axe("startlån calculator with errors").await;
    b.fill("f-loans-startlan-term_years", "30").await;
    b.submit(calculate).await;
    let heading = b.text("#startlan-result-heading").await;
    assert_eq!(heading, "Betjeningsevne for 2024-10");
    let verdict = b.text(".startlan-result .alert--success").await;
    assert!(verdict.contains("Husstanden har betjeningsevne"), "verdict {verdict:?}");
    let lines = b
        .client
        .find_all(Locator::Css(".startlan-result table tbody tr"))
        .await
        .expect("lines");
    assert!(lines.len() >= 5, "{} lines in the assessment", lines.len());
    b.screenshot("startlan-assessment").await;
    b.axe("startlån assessment").await;

    // 7c. Husbanken's instruments as cases: a startlån application with its economy and
    //     affordability, an adaptation grant, and the grant budget.
    instruments_flow(&mut b, &path).await;

    // 8. Log out.
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
    b.goto("/search").await;
    b.wait_path("/login (logged out)", |p| p == "/login").await;

    // 9. The administrator's pages: users, a new user with errors, a user, the access log.
    b.fill("email", &logins.admin.0).await;
    b.fill("password", &logins.admin.1).await;
    b.click("main form[action=\"/login\"] button[type=\"submit\"]").await;
    b.wait_path("the start page", |p| p == "/").await;
    b.axe("start page").await;
    b.click("main a[href=\"/admin/users\"]").await;
    b.wait_path("/admin/users", |p| p == "/admin/users").await;
    b.axe("users").await;
    b.goto("/admin/users/new").await;
    b.find("#f-email").await;
    b.fill("f-email", "not-an-address").await;
    b.click("main form[action=\"/admin/users/new\"] button[type=\"submit\"]")
        .await;
    b.find(".error-summary").await;
    b.axe("new user with errors").await;
    b.goto("/admin/users").await;
    b.click("main table.data-table a[href^=\"/admin/users/\"]").await;
    b.wait_path("a user page", |p| {
        p.starts_with("/admin/users/") && p != "/admin/users/new"
    })
    .await;
    b.axe("user").await;
    // The daily jobs the demo server has run since it started, each with its outcome.
    b.click("nav a[href=\"/admin/jobs\"]").await;
    b.wait_path("/admin/jobs", |p| p == "/admin/jobs").await;
    let jobs = b.text("main").await;
    assert!(
        jobs.contains("Fornyelse av leiekontrakter") && jobs.contains("Fullført"),
        "the jobs page reads {jobs:?}"
    );
    b.axe("the daily jobs").await;
    b.at_phone_width(&["/admin/jobs"]).await;
    b.goto("/admin/audit").await;
    b.find("table.data-table").await;
    b.screenshot("access-log").await;
    b.axe("access log").await;
    // "Who has looked at this person's data?": a name that matches several asks which; the
    // chosen person's log names records in words and offers the PDF for an access request.
    b.fill("f-person", "a").await;
    b.click("main form[action=\"/admin/audit\"] button[type=\"submit\"]")
        .await;
    b.find("main ul a[href*=\"person_id=\"]").await;
    b.axe("access log, choose a person").await;
    b.click("main ul a[href*=\"person_id=\"]").await;
    b.find("main a[href^=\"/admin/audit/access-request.pdf\"]").await;
    b.axe("access log for one person").await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;

    // 10. The leader lands on the demo's action plan, adds an indicator (a mistake first) and
    // reads the values computed from the cases; then the bostøtte outreach list.
    b.fill("email", &logins.leader.0).await;
    b.fill("password", &logins.leader.1).await;
    b.click("main form[action=\"/login\"] button[type=\"submit\"]").await;
    b.wait_path("the action plan", |p| p.starts_with("/plans/")).await;
    let plan = b.path().await;
    assert!(b.text("main h1").await.starts_with("Boligsosial handlingsplan"));
    assert!(
        b.text("main").await.contains("beregnet fra"),
        "the demo plan's values come from its cases"
    );
    b.screenshot("action-plan").await;
    b.axe("action plan").await;
    b.click("main a[href$=\"/indicators/new\"]").await;
    b.wait_path("the indicator form", |p| p.ends_with("/indicators/new"))
        .await;
    b.axe("new indicator form").await;
    b.fill("f-name", "Nye søkere").await;
    b.select("f-definition", "Nye søknader om kommunal bolig").await;
    b.select("f-direction", "Lavere er bedre").await;
    b.fill("f-baseline", "10").await;
    b.fill("f-target", "40").await;
    b.submit("main form button[type=\"submit\"]").await;
    b.find(".error-summary").await;
    b.assert_field_error("f-target").await;
    b.axe("indicator form with an error").await;
    b.select("f-direction", "Høyere er bedre").await;
    b.click("main form button[type=\"submit\"]").await;
    b.wait_path("the plan again", |p| p == plan).await;
    assert!(b.text(".flash").await.contains("Indikatoren er lagt til."));
    b.at_phone_width(&[plan.as_str()]).await;
    // The first goal's dashboard: each indicator's trend as a chart with its figures as a table,
    // and what a value is based on (counts only, for a leader); then the KOSTRA figures and the
    // equity tables.
    b.goto(&plan).await;
    b.click("main section > p > a[href*=\"/goals/\"]").await;
    let goal = b.wait_path("a goal's dashboard", |p| p.contains("/goals/")).await;
    assert!(b.has("main svg.chart[role=\"img\"]").await, "a chart per indicator");
    b.screenshot("goal-dashboard").await;
    b.click("main a[href$=\"/cases\"]").await;
    b.wait_path("what a value is based on", |p| p.ends_with("/cases")).await;
    assert!(b.text("main").await.contains("Rollen din gir tilgang til tallene"));
    b.at_phone_width(&[goal.as_str()]).await;
    b.click("nav a[href=\"/kostra\"]").await;
    b.wait_path("/kostra", |p| p == "/kostra").await;
    b.click("nav a[href=\"/equity\"]").await;
    b.wait_path("/equity", |p| p == "/equity").await;
    b.click("nav a[href=\"/outreach\"]").await;
    b.wait_path("/outreach", |p| p == "/outreach").await;
    let summary = b
        .text("section[aria-labelledby=\"summary-heading\"] dl.summary-list")
        .await;
    let examined: u64 = b
        .text("dl.summary-list dd")
        .await
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("examined tenancies in {summary:?}: {e}"));
    assert!(examined > 0, "the demo data has no tenancies to examine: {summary:?}");
    if !b.has("main table.data-table").await {
        let text = b.text("section[aria-labelledby=\"summary-heading\"]").await;
        assert!(
            text.contains("Ingen husstander ser ut til å ha rett til bostøtte"),
            "neither candidates nor the no-households text: {text:?}"
        );
    }
    b.screenshot("outreach").await;
    b.axe("outreach").await;
    // The leader may also set the year's grant allocations.
    b.click("nav a[href=\"/grants/budget\"]").await;
    b.wait_path("/grants/budget", |p| p == "/grants/budget").await;
    b.find("main form[action=\"/grants/budget\"] #f-allocated_kr").await;
    b.axe("grant budget with its allocation form").await;
    b.click("nav a[href=\"/outreach\"]").await;
    b.wait_path("/outreach", |p| p == "/outreach").await;
    // A leader may run the list but not open households: a link on it must still lead somewhere
    // the leader may go.
    if let Ok(link) = b.client.find(Locator::Css("main table.data-table tbody a")).await {
        let href = link.attr("href").await.expect("attr").unwrap_or_default();
        link.click().await.expect("click the first candidate");
        b.wait_path(&href, |p| p == href).await;
        let title = b.text("main h1").await;
        assert_eq!(
            title, "Beregning av bostøtte",
            "the outreach list links to {href}, which the leader may not open"
        );
    }
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;

    // 11. An application for municipal housing, from the anonymous applicant to the appeal.
    application_flow(&mut b, &logins).await;
    // 12. The housing manager's dwelling register, and the waiting list in priority order.
    dwellings_flow(&mut b, &logins).await;
    // 13. The follow-up worker's caseload, and a home visit logged on a phone.
    follow_up_flow(&mut b, &logins).await;
    // 14. Working with partners: the queue between services, a collaboration meeting recorded
    // (refused once), and the partner's door.
    partners_flow(&mut b, &logins).await;
    b
}

async fn partners_flow(b: &mut Browser, logins: &Logins) {
    b.log_in(&logins.follow_up_worker).await;
    // The follow-up worker's reminders: the demo's plans due for review within the week, one
    // marked done with a confirmation, and the list at phone widths.
    b.goto("/search").await;
    b.click("main .alert a[href=\"/reminders\"]").await;
    b.wait_path("the reminders", |p| p == "/reminders").await;
    // Posted back to the same address: wait for the new page, not the address.
    b.submit("section[aria-labelledby=\"open-heading\"] tbody tr button")
        .await;
    b.wait_path("the reminders again", |p| p == "/reminders").await;
    assert!(
        b.text("main").await.contains("Påminnelsen er markert som gjort."),
        "the confirmation"
    );
    b.find("#done-heading").await;
    b.axe("the reminders, one done").await;
    b.at_phone_width(&["/reminders"]).await;
    b.goto("/referrals").await;
    b.find("#action-queue-heading").await;
    b.axe("the queue between services").await;
    // The demo's first open action of the unit leads to its household's meetings.
    b.click("section[aria-labelledby=\"action-queue-heading\"] tbody tr a")
        .await;
    let meetings = b
        .wait_path("a household's meetings", |p| p.ends_with("/meetings"))
        .await;
    b.find("#f-record-summary").await;
    // No summary, and an action without its owner: refused, each named.
    b.fill("f-record-summary", "").await;
    b.fill("f-record-actions-0-description", "Ringe utleier om vannlekkasjen")
        .await;
    b.submit("main form[action$=\"/meetings\"] button[type=\"submit\"]")
        .await;
    b.assert_field_error("f-record-summary").await;
    b.assert_field_error("f-record-actions-0-owner").await;
    b.axe("a meeting refused").await;
    b.fill("f-record-summary", "Husstanden og Bo-teamet gikk gjennom vinteren.")
        .await;
    b.select("f-record-actions-0-owner", "Boligtjenesten").await;
    let due = husly_domain::validation::format_date(common::today() + time::Duration::days(14));
    b.fill("f-record-actions-0-due_on", &due).await;
    b.submit("main form[action$=\"/meetings\"] button[type=\"submit\"]")
        .await;
    b.wait_path("back on the meetings", |p| p == meetings).await;
    let main = b.text("main").await;
    assert!(main.contains("Møtet er registrert."), "{main}");
    assert!(main.contains("Ringe utleier om vannlekkasjen"), "{main}");
    let household = meetings.trim_end_matches("/meetings").to_string();
    for part in ["referrals", "consents"] {
        b.goto(&format!("{household}/{part}")).await;
        b.find("main h1").await;
        b.axe(&format!("a household's {part}")).await;
    }
    b.at_phone_width(&[meetings.as_str(), "/referrals"]).await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;

    b.log_in(&logins.partner).await;
    b.goto("/partner").await;
    b.find("main table.data-table").await;
    b.axe("the partner's start page").await;
    b.click("main table.data-table tbody tr a").await;
    let door = b
        .wait_path("a household at the partner's door", |p| {
            p.starts_with("/partner/households/")
        })
        .await;
    b.find("#meetings-heading").await;
    b.axe("a household at the partner's door").await;
    b.at_phone_width(&["/partner", door.as_str()]).await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
}

async fn follow_up_flow(b: &mut Browser, logins: &Logins) {
    b.log_in(&logins.follow_up_worker).await;
    b.goto("/follow-up").await;
    b.find("main table.data-table").await;
    assert!(
        b.text("main").await.contains("Husleierestanse"),
        "the demo's caseload shows arrears"
    );
    b.axe("the follow-up caseload").await;
    b.click("main table.data-table tbody tr a").await;
    let page = b
        .wait_path("a household's follow-up", |p| p.ends_with("/follow-up"))
        .await;
    b.axe("a household's follow-up").await;
    // At the door, on a phone: a home visit held, first without its note, then with it.
    b.client.set_window_size(375, 812).await.expect("phone width");
    b.click("#f-log-kind-home_visit").await;
    b.click("#f-log-outcome-held").await;
    b.fill("f-log-note", "").await;
    b.submit("main form[action$=\"/follow-up/log\"] button[type=\"submit\"]")
        .await;
    b.assert_field_error("f-log-note").await;
    b.axe("a visit refused without its note, at 375 px").await;
    b.fill(
        "f-log-note",
        "Hjemmebesøk. Vi gikk gjennom husleien og avtalte fast trekk.",
    )
    .await;
    b.submit("main form[action$=\"/follow-up/log\"] button[type=\"submit\"]")
        .await;
    b.wait_path("back on the follow-up page", |p| p == page).await;
    let main = b.text("main").await;
    assert!(main.contains("Kontakten er registrert."), "{main}");
    assert!(main.contains("avtalte fast trekk"), "{main}");
    b.screenshot("follow-up-visit-375").await;
    b.client.set_window_size(1280, 1024).await.expect("desktop width");
    b.at_phone_width(&["/follow-up", page.as_str()]).await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
}

async fn dwellings_flow(b: &mut Browser, logins: &Logins) {
    b.log_in(&logins.housing_manager).await;
    b.goto("/dwellings").await;
    b.find("main table.data-table").await;
    b.axe("dwelling register").await;
    b.click("main a[href=\"/dwellings/new\"]").await;
    b.wait_path("/dwellings/new", |p| p == "/dwellings/new").await;
    // Bad input first: named beside its field and in the summary.
    b.fill("f-address_line", "Skippergata 4").await;
    b.fill("f-postal_code", "3015").await;
    b.fill("f-bedrooms", "to").await;
    b.fill("f-monthly_rent_kr", "8 900").await;
    b.submit("main form button[type=\"submit\"]").await;
    b.assert_field_error("f-bedrooms").await;
    b.axe("dwelling form with an error").await;
    b.fill("f-bedrooms", "2").await;
    b.click("#f-wheelchair_accessible").await;
    b.submit("main form button[type=\"submit\"]").await;
    let dwelling = b.wait_path("the new dwelling", |p| p.starts_with("/dwellings/0")).await;
    assert!(b.text(".flash").await.contains("Boligen er registrert."));
    // Out of use: a reason, then a confirmation.
    b.select("f-status", "Tatt ut av bruk").await;
    b.fill("f-reason", "Brannskadet").await;
    b.submit("main form[action$=\"/status\"] button[type=\"submit\"]").await;
    assert!(b.text("main").await.contains("Bekreft at boligen tas ut av bruk"));
    b.axe("confirming that a dwelling is taken out of use").await;
    b.submit("main form[action$=\"/status\"] button[type=\"submit\"]").await;
    assert!(b.text(".flash").await.contains("Statusen er endret."));
    b.axe("a dwelling with its history").await;
    b.at_phone_width(&["/dwellings", dwelling.as_str(), "/dwellings/new"])
        .await;
    // Tenancies: those running out within a year, one contract whose end is refused without a
    // day and a reason, and the contract form for an accepted offer of the demo.
    b.goto("/tenancies?list=expiring&months=12").await;
    b.find("main table.data-table").await;
    b.axe("the tenancies running out within a year").await;
    b.click("main table.data-table tbody tr a").await;
    let tenancy = b.wait_path("a tenancy", |p| p.starts_with("/tenancies/0")).await;
    b.click("main details summary").await;
    b.fill("f-end-ended_on", "").await;
    b.submit("main form[action$=\"/end\"] button[type=\"submit\"]").await;
    b.assert_field_error("f-end-ended_on").await;
    b.assert_field_error("f-end-reason").await;
    b.axe("ending a tenancy, refused with its errors").await;
    b.goto("/offers?all=1").await;
    let accepted = b
        .row_with("main table.data-table", "Takket ja")
        .await
        .expect("the demo has an accepted offer");
    accepted
        .find(Locator::Css("a"))
        .await
        .expect("the offer's link")
        .click()
        .await
        .expect("open the offer");
    let offer = b.wait_path("an accepted offer", |p| p.starts_with("/offers/0")).await;
    b.click(&format!("main a[href=\"{offer}/contract\"]")).await;
    let form = b.wait_path("the contract form", |p| p.ends_with("/contract")).await;
    b.fill("f-monthly_rent_kr", "0").await;
    b.submit("main form button[type=\"submit\"]").await;
    b.assert_field_error("f-monthly_rent_kr").await;
    b.axe("the contract form with an error").await;
    b.at_phone_width(&["/tenancies", tenancy.as_str(), form.as_str()]).await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
    b.log_in(&logins.caseworker).await;
    // A renewal review the server opened for a contract nearing its end: not renewed, with the
    // plan and a startlån referral, through four eyes, to the letter.
    b.goto("/cases?filter=open&case_type=tenancy_renewal").await;
    b.click("main table.data-table tbody tr a").await;
    let review = b.wait_path("a renewal review", |p| p.starts_with("/cases/0")).await;
    assert!(b.text("main").await.contains("Fornyelse av leiekontrakt"));
    b.axe("a renewal review").await;
    b.at_phone_width(&[review.as_str()]).await;
    b.submit(&format!(
        "form[action=\"{review}/action\"]:has(input[name=\"action\"][value=\"start_assessment\"]) button"
    ))
    .await;
    assert_eq!(b.case_state().await, "Under vurdering");
    // The children's best interests are weighed before anything is decided for a family.
    let children = "table[aria-labelledby=\"assessment-heading\"] tbody \
                    tr:has(input[name=\"rule\"][value=\"childrens_best_interests\"])";
    if b.has(children).await {
        b.click(&format!("{children} details > summary")).await;
        b.fill(
            "f-override-childrens_best_interests",
            "Barna kan bli boende i nærmiljøet; familien får hjelp til ny bolig før perioden løper ut.",
        )
        .await;
        b.submit(&format!(
            "{children} form[action=\"{review}/override\"] button[type=\"submit\"]"
        ))
        .await;
    }
    b.click("#f-outcome-refused").await;
    b.click("#f-section6-no_need").await;
    b.fill(
        "f-decision-reasons",
        "Husstanden har inntekt over grensen og kan kjøpe bolig.",
    )
    .await;
    b.submit(&format!("form[action=\"{review}/propose\"] button[type=\"submit\"]"))
        .await;
    b.assert_field_error("f-transition_plan").await;
    b.axe("a renewal review, not renewed without a plan").await;
    b.click("#f-outcome-refused").await;
    b.click("#f-section6-no_need").await;
    b.fill(
        "f-decision-reasons",
        "Husstanden har inntekt over grensen og kan kjøpe bolig.",
    )
    .await;
    b.fill(
        "f-transition_plan",
        "Vi hjelper husstanden med å søke startlån og å finne bolig innen kontrakten løper ut.",
    )
    .await;
    b.click("#f-startlan_referral").await;
    b.submit(&format!("form[action=\"{review}/propose\"] button[type=\"submit\"]"))
        .await;
    assert!(!b.has(".error-summary").await, "proposing shows errors");
    assert_eq!(b.case_state().await, "Vedtak foreslått");
    b.log_out().await;
    b.log_in(&logins.approver).await;
    b.goto(&review).await;
    b.wait_path(&review, |p| p == review).await;
    b.submit(&format!("form[action=\"{review}/review\"] button[value=\"approve\"]"))
        .await;
    assert_eq!(b.case_state().await, "Vedtak godkjent");
    b.log_out().await;
    b.log_in(&logins.caseworker).await;
    b.goto(&review).await;
    b.wait_path(&review, |p| p == review).await;
    b.click("#f-delivery-digital").await;
    b.submit(&format!("form[action=\"{review}/send\"] button[type=\"submit\"]"))
        .await;
    assert!(!b.has(".error-summary").await, "sending shows errors");
    assert_eq!(b.case_state().await, "Avslått");
    let view = format!("main a[href^=\"{review}/letters/\"][href$=\".html\"]");
    b.click(&view).await;
    b.wait_path("the renewal letter", |p| p.contains("/letters/")).await;
    let text = b.text("article.letter").await;
    assert!(
        text.contains("Vedtak om fornyelse av leiekontrakt")
            && text.contains("blir ikke fornyet")
            && text.contains("Slik hjelper vi deg videre")
            && text.contains("startlån"),
        "the renewal letter reads {text:?}"
    );
    b.axe("a renewal decision letter").await;
    b.goto("/waiting-list").await;
    b.find("main h1").await;
    if b.has("main details summary").await {
        b.click("main details summary").await;
    }
    b.axe("the waiting list").await;
    b.at_phone_width(&["/waiting-list"]).await;
    // The demo's allocation rounds: the drawn one with its proposal, an offer with its forms.
    b.goto("/allocation/rounds").await;
    b.find("main table.data-table").await;
    b.axe("the allocation rounds").await;
    b.click("main table.data-table tbody tr a").await;
    let round = b.wait_path("a round", |p| p.starts_with("/allocation/rounds/0")).await;
    b.find("main h1").await;
    b.axe("an allocation round with its proposal").await;
    b.goto("/offers").await;
    b.click("main table.data-table tbody tr a").await;
    let offer = b.wait_path("an offer", |p| p.starts_with("/offers/0")).await;
    b.axe("an offer waiting for an answer").await;
    b.at_phone_width(&["/allocation/rounds", round.as_str(), "/offers", offer.as_str()])
        .await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
}

impl Browser {
    /// Signs in through the login form (opening it if needed) and waits until the browser leaves it.
    async fn log_in(&self, (email, password): &(String, String)) {
        if self.path().await != "/login" {
            self.goto("/login").await;
        }
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.click("main form[action=\"/login\"] button[type=\"submit\"]").await;
        self.wait_path(&format!("a page after logging in as {email}"), |p| p != "/login")
            .await;
    }

    async fn log_out(&self) {
        self.click("form[action=\"/logout\"] button").await;
        self.wait_path("/login", |p| p == "/login").await;
    }

    /// The state a case page shows (the tag after the title).
    async fn case_state(&self) -> String {
        self.text("#case-state").await
    }

    /// The first row of the table matching `table` whose text contains `text`.
    async fn row_with(&self, table: &str, text: &str) -> Option<Element> {
        self.find(table).await;
        let rows = self
            .client
            .find_all(Locator::Css(&format!("{table} tbody tr")))
            .await
            .expect("rows");
        for row in rows {
            if row.text().await.unwrap_or_default().contains(text) {
                return Some(row);
            }
        }
        None
    }

    /// Like `row_with`, but pages on through "Neste side" as a caseworker would until the row
    /// turns up or the pages run out.
    async fn row_on_some_page(&self, table: &str, text: &str) -> Option<Element> {
        loop {
            if let Some(row) = self.row_with(table, text).await {
                return Some(row);
            }
            let links = self
                .client
                .find_all(Locator::Css("main nav.pagination a"))
                .await
                .expect("pagination links");
            let mut has_next = false;
            for link in links {
                has_next |= link.text().await.unwrap_or_default() == "Neste side";
            }
            if !has_next {
                return None;
            }
            // The next-page link is always the last one.
            self.submit("main nav.pagination a:last-child").await;
        }
    }
}

/// Registers an application of the given type (a `case_type` code) for a household from its page,
/// with every item a complete application needs; returns the new case's path. `check` runs axe on
/// the form.
async fn register_application(b: &mut Browser, household: &str, case_type: &str, check: bool) -> String {
    b.goto(household).await;
    let form = format!("{household}/applications/new");
    b.click(&format!("main a[href=\"{form}\"]")).await;
    b.wait_path(&form, |p| p == form).await;
    if check {
        b.axe("register application").await;
    }
    b.click(&format!("#f-case_type-{case_type}")).await;
    assert!(!b.value("f-received_on").await.is_empty(), "no default date received");
    b.select("f-current_housing", "Leier privat").await;
    b.click("#f-reason-economy").await;
    b.click("#f-lawful_residence-yes").await;
    b.fill("f-registered_in_municipality_since", "01.02.2026").await;
    b.click("#f-rent_arrears-no").await;
    b.fill("f-economy-0-income", "250 000").await;
    b.fill("f-economy-0-wealth", "0").await;
    b.click("#f-confirmed-box").await;
    b.click(&format!("main form[action=\"{form}\"] button[type=\"submit\"]"))
        .await;
    let case = b
        .wait_path("the registered case", |p| {
            p.strip_prefix("/cases/")
                .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        })
        .await;
    assert_eq!(b.case_state().await, "Mottatt");
    case
}

/// Husbanken's instruments as cases for a household: a startlån application whose economy is
/// recorded (first with an income that cannot be read) and assessed for affordability, an
/// adaptation grant with its purpose and amounts, and the grant budget they draw on.
async fn instruments_flow(b: &mut Browser, household: &str) {
    let now = time::OffsetDateTime::now_utc();
    let month = format!("{:04}-{:02}", now.year(), u8::from(now.month()));

    // A startlån application, taken into assessment.
    let case = register_application(b, household, "startlan", true).await;
    assert_eq!(b.text("main h1 + p .tag--role").await, "Søknad om startlån");
    b.submit(&format!(
        "form[action=\"{case}/action\"]:has(input[name=\"action\"][value=\"start_assessment\"]) button"
    ))
    .await;
    assert_eq!(b.case_state().await, "Under vurdering");

    // Its economy: an income that cannot be read names that field and keeps what was typed.
    let details = "section[aria-labelledby=\"economy-heading\"] details";
    assert_eq!(
        b.text(&format!("{details} > summary")).await,
        "Registrer eller endre husstandens økonomi og lånet"
    );
    if b.find(details).await.attr("open").await.expect("attr").is_none() {
        b.click(&format!("{details} > summary")).await;
    }
    b.fill("f-month", &month).await;
    b.fill("f-household-adults", "1").await;
    b.fill("f-income_after_tax_kr", "mye").await;
    b.fill("f-loans-startlan-principal_kr", "1 800 000").await;
    b.fill("f-loans-startlan-term_years", "25").await;
    b.select("f-loans-startlan-kind", "Annuitetslån (like terminbeløp)")
        .await;
    let save = format!("{details} form[action=\"{case}/finance\"] button[type=\"submit\"]");
    b.submit(&save).await;
    b.find(".error-summary").await;
    b.assert_field_error("f-income_after_tax_kr").await;
    assert_eq!(b.value("f-income_after_tax_kr").await, "mye", "typed values are kept");
    assert_eq!(
        b.value("f-loans-startlan-principal_kr").await,
        "1 800 000",
        "typed values are kept"
    );
    assert!(!b.has("#startlan-result-heading").await, "a result for an invalid form");
    b.screenshot("case-startlan-errors").await;
    b.axe("case: startlån economy with errors").await;

    // Saved: the case shows the affordability, and the proposal starts from the loan applied for.
    b.fill("f-income_after_tax_kr", "38 000").await;
    b.submit(&save).await;
    b.wait_path(&case, |p| p == case).await;
    assert!(!b.has(".error-summary").await, "saving the economy shows errors");
    assert_eq!(
        b.text("#startlan-result-heading").await,
        format!("Betjeningsevne for {month}")
    );
    let verdict = b.text(".startlan-result .alert").await;
    assert!(
        verdict.contains("betjeningsevne"),
        "no verdict on the affordability: {verdict:?}"
    );
    assert_eq!(b.value("f-amount_kr").await, "1800000", "the suggested loan amount");
    b.screenshot("case-startlan-affordability").await;
    b.axe("case: startlån with its affordability").await;

    // An adaptation grant: an amount that cannot be read, then the grant recorded.
    let case = register_application(b, household, "adaptation_grant", false).await;
    assert_eq!(
        b.text("main h1 + p .tag--role").await,
        "Søknad om tilskudd til tilpasning"
    );
    let details = "section[aria-labelledby=\"economy-heading\"] details";
    assert_eq!(
        b.text(&format!("{details} > summary")).await,
        "Registrer eller endre tilskuddet det søkes om"
    );
    if b.find(details).await.attr("open").await.expect("attr").is_none() {
        b.click(&format!("{details} > summary")).await;
    }
    b.fill("f-grant-purpose", "Trappeheis og bredere dører").await;
    b.fill("f-grant-cost_kr", "180 000").await;
    b.fill("f-grant-applied_kr", "hundre tusen").await;
    b.select("f-grant-tenure", "eier boligen").await;
    let save = format!("{details} form[action=\"{case}/finance\"] button[type=\"submit\"]");
    b.submit(&save).await;
    b.find(".error-summary").await;
    b.assert_field_error("f-grant-applied_kr").await;
    assert_eq!(b.value("f-grant-cost_kr").await, "180 000", "typed values are kept");
    b.axe("case: grant with errors").await;
    b.fill("f-grant-applied_kr", "150 000").await;
    b.submit(&save).await;
    b.wait_path(&case, |p| p == case).await;
    assert!(!b.has(".error-summary").await, "saving the grant shows errors");
    let facts = b.text("section[aria-labelledby=\"economy-heading\"] dl.facts").await;
    assert!(
        facts.contains("Trappeheis og bredere dører") && facts.contains("150"),
        "the recorded grant reads {facts:?}"
    );
    let year = now.year();
    assert!(
        b.has(&format!(
            "section[aria-labelledby=\"economy-heading\"] a[href=\"/grants/budget?year={year}\"]"
        ))
        .await,
        "the grant case does not show this year's budget (the demo municipality has allocations)"
    );
    b.screenshot("case-grant").await;
    b.axe("case: grant recorded").await;

    // The grant budget, from the menu: a caseworker may read it but not set it.
    b.click("nav a[href=\"/grants/budget\"]").await;
    b.wait_path("/grants/budget", |p| p == "/grants/budget").await;
    assert_eq!(b.text("main h1").await, format!("Tilskuddsbudsjett {year}"));
    assert!(
        b.row_with("main table.data-table", "Tilskudd til tilpasning")
            .await
            .is_some(),
        "the budget has no line for adaptation grants: {:?}",
        b.text("main table.data-table").await
    );
    assert!(
        !b.has("main form[action=\"/grants/budget\"]").await,
        "a caseworker is offered to set the budget"
    );
    b.screenshot("grant-budget").await;
    b.axe("grant budget").await;
}

/// Fetches a URL with the browser's own session (its cookies) and describes the response.
const FETCH: &str = r#"
return fetch(arguments[0], { credentials: 'same-origin' }).then(r => r.arrayBuffer().then(b => ({
  status: r.status,
  type: r.headers.get('content-type'),
  head: String.fromCharCode(...new Uint8Array(b.slice(0, 5))),
  size: b.byteLength,
})));
"#;

/// An application for municipal housing end to end: an anonymous applicant applies (first with
/// items missing), the caseworker assesses and proposes a grant, the approver approves, the
/// caseworker sends the decision letter, and an appeal is registered.
async fn application_flow(b: &mut Browser, logins: &Logins) {
    // The applicant starts from the login page, without logging in.
    assert_eq!(b.path().await, "/login", "the applicant starts logged out");
    let link = "main a[href=\"/apply\"]";
    assert_eq!(b.text(link).await, "Søk her uten å logge inn");
    b.click(link).await;
    b.wait_path("/apply", |p| p == "/apply").await;
    b.axe("apply: start").await;
    b.select("f-municipality", "Demo kommune").await;
    b.click("#f-case_type-municipal_housing").await;
    b.click("main form[action=\"/apply\"] button[type=\"submit\"]").await;
    let draft = b
        .wait_path("a new draft application", |p| {
            p.strip_prefix("/apply/")
                .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        })
        .await;
    let code = b.text("#draft-code").await;
    assert!(
        code.len() >= 6 && code.chars().all(|c| c.is_ascii_alphanumeric()),
        "draft code {code:?}"
    );
    b.axe("apply: new draft with its code").await;

    // Sending with items missing names each of them.
    let national_id = common::synthetic_id(1988, 11, 23, 457);
    b.fill("f-address_line", "Søknadsveien 12").await;
    b.fill("f-postal_code", "3015").await;
    b.fill("f-postal_city", "Drammen").await;
    b.fill("f-phone", "+47 91234567").await;
    b.fill("f-members-0-national_id", &national_id).await;
    b.fill("f-members-0-given_name", "Ragnhild").await;
    b.fill("f-members-0-family_name", "Søknadsen").await;
    let send = "main form[action^=\"/apply/\"] button[name=\"submit\"][value=\"submit\"]";
    b.submit(send).await;
    b.find(".error-summary").await;
    for missing in [
        "f-current_housing",
        "f-reasons",
        "f-lawful_residence",
        "f-registered_in_municipality_since",
        "f-rent_arrears",
        "f-confirmed",
    ] {
        assert!(
            b.has(&format!(".error-summary a[href=\"#{missing}\"]")).await,
            "the error summary does not name {missing}: {:?}",
            b.text(".error-summary").await
        );
    }
    for field in ["f-current_housing", "f-registered_in_municipality_since"] {
        b.assert_field_error(field).await;
    }
    assert_eq!(
        b.value("f-members-0-family_name").await,
        "Søknadsen",
        "typed values are kept"
    );
    assert_eq!(b.path().await, draft, "still on the draft");
    b.screenshot("apply-errors").await;
    b.axe("apply: draft with items missing").await;

    // The rest, then sent: a receipt with the reference.
    b.select("f-current_housing", "Bor hos familie eller venner").await;
    b.click("#f-reason-economy").await;
    b.click("#f-lawful_residence-yes").await;
    b.fill("f-registered_in_municipality_since", "01.03.2015").await;
    b.click("#f-rent_arrears-no").await;
    b.fill("f-economy-0-income", "190 000").await;
    b.fill("f-economy-0-wealth", "0").await;
    b.click("#f-confirmed-box").await;
    b.click(send).await;
    let receipt = format!("{draft}/receipt");
    b.wait_path(&receipt, |p| p == receipt).await;
    let reference = b.text("#reference").await;
    let year = time::OffsetDateTime::now_utc().year();
    assert!(
        reference.starts_with(&format!("{year}-")),
        "reference {reference:?} on the receipt"
    );
    b.screenshot("apply-receipt").await;
    b.axe("apply: receipt").await;

    // The caseworker finds the case among the unassigned ones and opens it.
    b.log_in(&logins.caseworker).await;
    b.goto("/cases/workload").await;
    assert!(b.text("main h1").await.contains("Arbeidsfordeling"));
    b.axe("workload").await;
    b.click("nav a[href=\"/cases\"]").await;
    b.wait_path("/cases", |p| p == "/cases").await;
    b.submit("main a[href=\"/cases?filter=unassigned\"]").await;
    let tab = b.text("main a[aria-current=\"page\"]").await;
    let count = tab
        .strip_prefix("Uten saksbehandler (")
        .and_then(|rest| rest.strip_suffix(')'));
    assert!(
        count.is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
        "the unassigned filter is chosen and says how many cases it holds: {tab:?}"
    );
    let queue = "main table.data-table";
    let Some(row) = b.row_on_some_page(queue, "Ragnhild Søknadsen").await else {
        panic!(
            "the unassigned cases do not list the applicant: {:?}",
            b.text(queue).await
        );
    };
    let row_text = row.text().await.unwrap_or_default();
    assert!(
        row_text.contains(&reference),
        "the queue row {row_text:?} lacks {reference}"
    );
    b.axe("work queue: unassigned").await;
    let link = row
        .find(Locator::Css("a[href^=\"/cases/\"]"))
        .await
        .expect("a link to the case");
    let case = link.attr("href").await.expect("attr").unwrap_or_default();
    link.click().await.expect("open the case");
    b.wait_path(&case, |p| p == case).await;
    assert!(b.text("main h1").await.contains(&reference), "the case page's title");
    assert_eq!(b.case_state().await, "Mottatt");
    b.axe("case: received").await;

    // A journal note: an empty one is refused beside its field; then one kept for case handling.
    let note = format!("form[action=\"{case}/notes\"] button[type=\"submit\"]");
    b.submit(&note).await;
    assert!(
        b.has("#f-note-text-error").await,
        "an empty note is refused beside its field"
    );
    b.fill("f-note-text", "Ringte søkeren; hun sender lønnsslippen innen fredag.")
        .await;
    b.click("#f-note-case_handling").await;
    b.submit(&note).await;
    assert!(
        b.text("#notes").await.contains("Ringte søkeren"),
        "the note is on the case"
    );
    assert!(b.text(".flash").await.contains("Notatet er lagret."));
    b.axe("case: a journal note").await;

    // A task for the caseworker, due in a week; it is listed on the case.
    let week = common::today() + time::Duration::days(7);
    let due = format!("{:02}.{:02}.{}", week.day(), u8::from(week.month()), week.year());
    b.click("#tasks details > summary").await;
    b.fill("f-task-title", "Ring søkeren om lønnsslippen").await;
    b.fill("f-task-due_on", &due).await;
    b.axe("case: giving a task").await;
    b.submit(&format!("form[action=\"{case}/tasks\"] button[type=\"submit\"]"))
        .await;
    assert!(
        b.text("#tasks").await.contains("Ring søkeren om lønnsslippen"),
        "the task is on the case"
    );
    assert!(b.text(".flash").await.contains("Oppgaven er lagt til."));

    // Take it, assess it, judge the rule that needs a judgement, propose a grant.
    b.submit(&format!("form[action=\"{case}/assign\"] button[type=\"submit\"]"))
        .await;
    assert!(
        b.text("main dl.summary-list").await.contains("Demo saksbehandler"),
        "the case is not assigned to the caseworker"
    );
    b.submit(&format!(
        "form[action=\"{case}/action\"]:has(input[name=\"action\"][value=\"start_assessment\"]) button"
    ))
    .await;
    assert_eq!(b.case_state().await, "Under vurdering");
    let rule = "table[aria-labelledby=\"assessment-heading\"] tbody \
                tr:has(input[name=\"rule\"][value=\"other_instruments\"])";
    assert_eq!(b.text(&format!("{rule} th")).await, "Andre virkemidler");
    let result = b.text(&format!("{rule} td:last-child")).await;
    assert!(result.starts_with("Må vurderes"), "the rule's result {result:?}");
    b.click(&format!("{rule} details > summary")).await;
    b.select("f-override-other_instruments-outcome", "Oppfylt").await;
    b.fill(
        "f-override-other_instruments",
        "Startlån og bostøtte er vurdert og dekker ikke behovet.",
    )
    .await;
    b.axe("case: under assessment, judging a rule").await;
    b.submit(&format!(
        "{rule} form[action=\"{case}/override\"] button[type=\"submit\"]"
    ))
    .await;
    let result = b.text(&format!("{rule} td:last-child")).await;
    assert!(
        result.starts_with("Oppfylt (saksbehandlers vurdering)") && result.contains("Startlån og bostøtte"),
        "the judged rule's result {result:?}"
    );
    b.click("#f-outcome-granted").await;
    b.fill(
        "f-granted_text",
        "Plass på ventelisten for kommunal bolig med ett soverom",
    )
    .await;
    b.fill(
        "f-decision-reasons",
        "Søkeren bor hos venner og har ikke mulighet til å skaffe bolig selv.",
    )
    .await;
    b.submit(&format!("form[action=\"{case}/propose\"] button[type=\"submit\"]"))
        .await;
    assert!(!b.has(".error-summary").await, "proposing shows errors");
    assert_eq!(b.case_state().await, "Vedtak foreslått");
    b.screenshot("case-proposed").await;
    b.axe("case: decision proposed").await;
    b.log_out().await;

    // The approver approves.
    b.log_in(&logins.approver).await;
    b.click("nav a[href=\"/cases\"]").await;
    b.wait_path("/cases", |p| p == "/cases").await;
    b.submit("main a[href=\"/cases?filter=to_approve\"]").await;
    b.axe("work queue: awaiting approval").await;
    b.click(&format!("main table.data-table a[href=\"{case}\"]")).await;
    b.wait_path(&case, |p| p == case).await;
    assert_eq!(b.case_state().await, "Vedtak foreslått");
    b.axe("case: to approve").await;
    b.submit(&format!("form[action=\"{case}/review\"] button[value=\"approve\"]"))
        .await;
    assert_eq!(b.case_state().await, "Vedtak godkjent");
    b.axe("case: approved").await;
    b.log_out().await;

    // The caseworker sends the decision in nynorsk: the case is on the waiting list, with a letter.
    b.log_in(&logins.caseworker).await;
    b.click("nav a[href=\"/cases\"]").await;
    b.wait_path("/cases", |p| p == "/cases").await;
    b.click(&format!("main table.data-table a[href=\"{case}\"]")).await;
    b.wait_path(&case, |p| p == case).await;
    assert_eq!(b.case_state().await, "Vedtak godkjent");
    b.axe("case: approved, with the form that sends the decision").await;
    b.select("f-language-send", "Nynorsk").await;
    // The day it reaches the applicant follows from how it is sent, unless the caseworker gives
    // one: by post, three working days later; the case shows that day.
    assert!(
        b.value("f-delivered_on").await.is_empty(),
        "the delivery date is not today by default"
    );
    b.click("#f-delivery-paper").await;
    b.submit(&format!("form[action=\"{case}/send\"] button[type=\"submit\"]"))
        .await;
    assert!(!b.has(".error-summary").await, "sending shows errors");
    assert_eq!(b.case_state().await, "På venteliste");
    let pdf_link = format!("main a[href^=\"{case}/letters/\"][href$=\".pdf\"]");
    assert_eq!(b.text(&pdf_link).await, "PDF");
    let pdf = b
        .find(&pdf_link)
        .await
        .attr("href")
        .await
        .expect("attr")
        .unwrap_or_default();
    b.axe("case: on the waiting list").await;
    let view = format!("main a[href^=\"{case}/letters/\"][href$=\".html\"]");
    assert_eq!(b.text(&view).await, "Vis");
    let letter = b
        .find(&view)
        .await
        .attr("href")
        .await
        .expect("attr")
        .unwrap_or_default();
    b.click(&view).await;
    b.wait_path(&letter, |p| p == letter).await;
    let text = b.text("article.letter").await;
    assert!(
        text.contains("Vedtak") && text.to_lowercase().contains("klage"),
        "the letter reads {text:?}"
    );
    b.screenshot("decision-letter").await;
    b.axe("decision letter").await;
    assert!(
        b.has(&format!("main a[href=\"{pdf}\"]")).await,
        "the letter page links to {pdf}"
    );
    let fetched = b.client.execute(FETCH, vec![json!(pdf)]).await.expect("fetch the PDF");
    assert_eq!(fetched["status"], json!(200), "{pdf}: {fetched}");
    assert_eq!(fetched["type"], json!("application/pdf"), "{pdf}: {fetched}");
    assert_eq!(fetched["head"], json!("%PDF-"), "{pdf}: {fetched}");

    // Ending the approval is not one click: without a reason the rules allow, the reasons and
    // a confirmation, it is refused and nothing changes.
    b.goto(&case).await;
    b.wait_path(&case, |p| p == case).await;
    b.click("main details.panel > summary").await;
    b.submit(&format!(
        "form[action=\"{case}/action\"]:has(input[name=\"action\"][value=\"expire\"]) button"
    ))
    .await;
    assert!(
        b.has(".error-summary").await,
        "ending the approval unconfirmed names what is missing"
    );
    assert!(b.has("#f-confirmed-error").await, "the confirmation is asked for");
    assert!(
        b.has("#f-expire-reason-error").await && !b.has("#f-reason-error").await,
        "the note's error shows beside this form, not the appeal's"
    );
    assert_eq!(b.case_state().await, "På venteliste");
    b.screenshot("case-expire-unconfirmed").await;
    b.axe("case: ending the approval, unconfirmed").await;

    // An appeal: when and how it was sent decide whether it is in time (forvaltningsloven § 30);
    // without them it is not registered.
    b.goto(&case).await;
    b.wait_path(&case, |p| p == case).await;
    let register_appeal =
        format!("form[action=\"{case}/action\"]:has(input[name=\"action\"][value=\"register_appeal\"]) button");
    b.submit(&register_appeal).await;
    assert!(
        b.has("#f-appeal_sent_on-error").await && b.has("#f-appeal_channel-error").await,
        "an appeal without its date and channel is refused beside those fields"
    );
    let posted = husly_domain::validation::format_date(common::today());
    b.fill("f-appeal_sent_on", &posted).await;
    b.click("#f-appeal-channel-post").await;
    b.submit(&register_appeal).await;
    assert!(!b.has(".error-summary").await, "registering the appeal shows errors");
    assert_eq!(b.case_state().await, "Klage mottatt");
    assert!(
        b.text("main").await.contains("innen fristen"),
        "the timeline says the appeal came in time"
    );
    b.axe("case: appeal received").await;

    // At phone width: the work queue, the case with its assessment table, and the public door.
    b.at_phone_width(&["/apply", "/cases", &case]).await;
    b.log_out().await;
}
