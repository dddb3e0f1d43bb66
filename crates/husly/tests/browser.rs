//! The caseworker's main flow in a real browser: headless Chromium driven over WebDriver
//! (chromedriver + fantoccini), with an axe-core accessibility check (WCAG 2.1 A and AA) of every
//! page on the way.
//!
//! Needs `HUSLY_CHROMEDRIVER` (path to chromedriver), `HUSLY_AXE_JS` (path to axe-core's
//! `axe.min.js`) and optionally `HUSLY_CHROMIUM` (default `/usr/bin/chromium`); `scripts/test`
//! installs them and sets all three. Without them the test is skipped, except in CI (`CI=true`),
//! where it fails. `HUSLY_SCREENSHOTS=DIR` saves screenshots of some pages into DIR.

mod common;

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
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
    violations: Vec<String>,
    /// The number of pages checked with axe.
    checked: usize,
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

    /// Waits until the current path satisfies `ok`; returns it.
    async fn wait_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let path = self.path().await;
            if ok(&path) {
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

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("element text")
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
    async fn axe(&mut self, page: &str) {
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
        if self.checked == 0 {
            let canary = self.client.execute(AXE_CANARY, vec![]).await.expect("axe canary");
            assert_eq!(
                canary,
                json!(["image-alt"]),
                "axe did not flag an image without alt text"
            );
        }
        let passes = result["passes"].as_u64().unwrap_or(0);
        assert!(passes > 0, "axe checked nothing on {page}: {result}");
        self.checked += 1;
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let incomplete = result["incomplete"].as_array().map(|a| a.len()).unwrap_or(0);
        eprintln!(
            "axe {page}: {passes} rules passed, {} violated, {incomplete} to review by hand{} ({url})",
            violations.len(),
            if incomplete > 0 {
                result["incomplete"].to_string()
            } else {
                String::new()
            },
        );
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
        self.violations.push(report);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caseworker_flow_in_chromium_is_accessible() {
    let Some(setup) = setup() else { return };
    let axe_source = std::fs::read_to_string(&setup.axe_js).expect("read axe-core");

    let db = common::Database::sqlite();
    let server = common::start(&db, &["--demo"]);
    let login = (server.demo_login("caseworker"), server.demo_login("admin"));

    let scratch = tempfile::tempdir().expect("temporary directory");
    let driver = Driver::start(&setup.chromedriver, &scratch.path().join("chromedriver.log")).await;
    let client = connect(&driver, &setup.chromium, &scratch.path().join("profile")).await;

    let screenshots: Option<std::path::PathBuf> = std::env::var_os("HUSLY_SCREENSHOTS").map(Into::into);
    let browser = Browser {
        client: client.clone(),
        base: server.base.clone(),
        axe_source,
        violations: Vec::new(),
        checked: 0,
        screenshots: screenshots.clone(),
    };
    // The flow runs in its own task so that the browser is closed cleanly even when it panics.
    let outcome = tokio::spawn(flow(browser, login)).await;
    if outcome.is_err() {
        // Show where the browser stood.
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
            assert!(
                browser.violations.is_empty(),
                "axe found accessibility violations (WCAG 2.1 A/AA) on {} of {} pages:\n{}",
                browser.violations.len(),
                browser.checked,
                browser.violations.join("\n"),
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

async fn flow(mut b: Browser, ((email, password), admin): ((String, String), (String, String))) -> Browser {
    // 1. Log in.
    b.goto("/login").await;
    b.find("#email").await;
    b.axe("login").await;
    b.fill("email", &email).await;
    b.fill("password", &password).await;
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
        let input = b.find(&format!("#{field}")).await;
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
        let message = b
            .text(&format!(".field--error:has(> #{field}) > .error-message#{field}-error"))
            .await;
        assert!(!message.trim().is_empty(), "{field} has an empty error message");
        assert!(
            b.has(&format!(".error-summary a[href=\"#{field}\"]")).await,
            "summary does not link to {field}"
        );
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

    // 5. Log out.
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
    b.goto("/search").await;
    b.wait_path("/login (logged out)", |p| p == "/login").await;

    // 6. The administrator's pages: users, a new user with errors, a user, the access log.
    b.fill("email", &admin.0).await;
    b.fill("password", &admin.1).await;
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
    b.goto("/admin/audit").await;
    b.find("table.data-table").await;
    b.screenshot("access-log").await;
    b.axe("access log").await;
    b.click("form[action=\"/logout\"] button").await;
    b.wait_path("/login", |p| p == "/login").await;
    b
}
