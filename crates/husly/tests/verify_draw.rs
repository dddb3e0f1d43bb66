//! `husly verify-draw`: a published draw verifies (exit 0), a tampered one names the first
//! difference (exit 1), and a file that is not a published draw is refused (exit 2).

use crate::common;

use common::husly;
use husly_domain::allocation::draw::{PublishedDraw, Seed};
use std::io::Write;
use std::process::{Output, Stdio};

fn verify_draw(path: &str, stdin: Option<&str>, lang: &str) -> Output {
    let mut child = husly()
        .args(["verify-draw", path, "--lang", lang])
        .env_remove("HUSLY_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("husly");
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

fn published() -> PublishedDraw {
    let entries = (1..=12).map(|i| format!("H-{i:04}"));
    PublishedDraw::new(Seed(std::array::from_fn(|i| (i * 7) as u8)), entries).expect("valid entries")
}

#[test]
fn a_published_draw_verifies_and_a_tampered_one_names_the_difference() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = published();
    let path = dir.path().join("draw.json");
    std::fs::write(&path, serde_json::to_string_pretty(&good).unwrap()).unwrap();
    let out = verify_draw(path.to_str().unwrap(), None, "nb");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Trekningen stemmer: 12 oppføringer, samme rekkefølge.\n"
    );

    // The same file on standard input.
    let json = serde_json::to_string(&good).unwrap();
    let out = verify_draw("-", Some(&json), "en");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("The draw matches: 12 entries"));

    // Two places of the order swapped.
    let mut swapped = good.clone();
    swapped.order.swap(2, 3);
    let out = verify_draw("-", Some(&serde_json::to_string(&swapped).unwrap()), "nb");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!(
            "Trekningen stemmer ikke: plass 3 i den publiserte rekkefølgen er «{}», men trekningen gir «{}».\n",
            good.order[3], good.order[2]
        )
    );

    // Another seed than the one committed to.
    let mut other_seed = good.clone();
    other_seed.seed = Seed([1; 32]);
    let out = verify_draw("-", Some(&serde_json::to_string(&other_seed).unwrap()), "nb");
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stdout);
    assert!(
        said.contains("hashen av frøverdien") && said.contains(&good.commitment),
        "{said}"
    );

    // An entry added after the input was frozen.
    let mut added = good.clone();
    added.entries.push("H-0099".into());
    let out = verify_draw("-", Some(&serde_json::to_string(&added).unwrap()), "nb");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("inndata-hashen"), "{}", text(&out.stdout));
}

#[test]
fn a_file_that_is_not_a_published_draw_is_refused_naming_the_problem() {
    let out = verify_draw("-", Some("this is not JSON"), "nb");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("er ikke en publisert trekning"),
        "{}",
        text(&out.stderr)
    );

    let mut value = serde_json::to_value(published()).unwrap();
    value["seed"] = "abcd".into();
    let out = verify_draw("-", Some(&value.to_string()), "nb");
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.contains("feltet seed") && said.contains("not 32"), "{said}");

    let out = verify_draw("/nonexistent/draw.json", None, "nb");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Kunne ikke lese /nonexistent/draw.json"),
        "{}",
        text(&out.stderr)
    );
}
