//! A check on the architecture: the pages and the API are two faces of the same use cases. Every
//! use case a page calls is also called by the API, unless it is listed below with the reason;
//! and the API imports nothing from the pages, nor the pages from the API.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Use cases only a page calls, and why the API has none.
    const PAGE_ONLY: &[(&str, &str)] = &[
        (
            "bostotte_outreach",
            "the list alone for the CSV and XLSX downloads (a mail merge); the API answers with the list and its contacts (`outreach_with_contacts`)",
        ),
        (
            "open_count",
            "the count of open reminders on the search page, where a worker's day starts; the API's reminder list carries `open`",
        ),
        (
            "job_history",
            "the daily jobs' runs for an administrator; monitoring reads the same from `/metrics` (runs by outcome, last duration and success per job)",
        ),
        (
            "contract_of_offer",
            "the offer page's link to the contract written from it; in the API a contract names its offer (`offer_id`)",
        ),
        (
            "plan_report",
            "the status report as PDF and XLSX downloads; the API gives the same figures as JSON per plan and goal",
        ),
        (
            "open_case",
            "opens the case to show the case page again after a form; the API answers with the case",
        ),
        (
            "overview_of",
            "the case page of a case already opened; the API reads `case_overview`",
        ),
        (
            "household_overview",
            "the household page; the API reads the household and its timeline as two resources",
        ),
        (
            "case_file",
            "the case file as one ZIP for a person; API clients read the case, letters and documents",
        ),
        (
            "log_in",
            "the API signs every call with a key; there is no session to start",
        ),
        (
            "log_out",
            "the API has no session to end; an administrator revokes a key",
        ),
        (
            "record_lockout",
            "the login throttle's entry in the access log; the API has no password to guess",
        ),
        (
            "choose_municipality",
            "a session's working municipality; an API call names its municipality",
        ),
        (
            "users",
            "staff accounts are managed in the browser: a leaked API key must not be able to mint accounts or keys",
        ),
        ("create_user", "as `users`: no API key creates accounts"),
        ("managed_user", "as `users`"),
        ("set_roles", "as `users`: no API key grants roles"),
        ("set_disabled", "as `users`"),
        ("reset_password", "as `users`"),
        ("create_token", "as `users`: no API key mints keys"),
        ("revoke_token", "as `users`"),
        (
            "assignees",
            "the list of caseworkers in the page's task form; an API client names the caseworker by id",
        ),
        (
            "plan_to_edit",
            "fills a page's form to change the plan; API clients read the plan and send the change",
        ),
        (
            "open_establishment_grant",
            "a button on the startlån case page; API clients register the grant application with its economy",
        ),
    ];

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((path.display().to_string(), text));
            }
        }
    }

    fn read(dir: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
        out
    }

    /// The public functions of the use-case crate.
    fn use_cases() -> BTreeSet<String> {
        read("../usecases/src")
            .iter()
            .flat_map(|(_, text)| {
                text.match_indices("pub async fn ")
                    .map(|(at, _)| {
                        let rest = &text[at + "pub async fn ".len()..];
                        rest[..rest.find('(').unwrap_or(0)].to_string()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The use cases called (`…::name(`) in the sources of a folder.
    fn called(dir: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
        let files = read(dir);
        known
            .iter()
            .filter(|name| files.iter().any(|(_, text)| text.contains(&format!("::{name}("))))
            .cloned()
            .collect()
    }

    #[test]
    fn every_use_case_of_a_page_is_also_in_the_api() {
        let known = use_cases();
        assert!(known.len() > 20, "found only {known:?}");
        let pages = called("src/pages", &known);
        let api = called("src/api", &known);
        let missing: Vec<&String> = pages
            .iter()
            .filter(|name| !api.contains(*name) && !PAGE_ONLY.iter().any(|(page_only, _)| page_only == name))
            .collect();
        assert!(
            missing.is_empty(),
            "use cases pages call but the API does not: {missing:?}"
        );
        for (name, reason) in PAGE_ONLY {
            assert!(
                pages.contains(*name),
                "{name} is listed as page-only but no page calls it"
            );
            assert!(
                !api.contains(*name),
                "{name} is listed as page-only but the API calls it"
            );
            assert!(!reason.is_empty());
        }
    }

    #[test]
    fn the_api_and_the_pages_do_not_import_each_other() {
        for (path, text) in read("src/api") {
            assert!(!text.contains("crate::pages"), "{path} imports from the pages");
        }
        for (path, text) in read("src/pages") {
            assert!(!text.contains("crate::api"), "{path} imports from the API");
        }
    }
}
