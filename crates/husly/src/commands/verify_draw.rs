//! `husly verify-draw FILE`: re-runs a published draw (docs/verify-draw.md) and says whether the
//! commitment, the input hash and the order all match. Exit code 0 when they do, 1 when they do
//! not (the first difference is named), 2 when the file cannot be read or is not a published draw.

use husly_domain::Lang;
use husly_domain::allocation::draw::{PublishedDraw, verify};
use husly_web::draw_words::mismatch_text;
use husly_web::i18n::Tr;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

const MISMATCH: u8 = 1;
const INVALID_FILE: u8 = 2;

pub fn run(lang: Lang, file: &Path) -> ExitCode {
    let tr = Tr::new(lang);
    let stdin = file == Path::new("-");
    let name = if stdin {
        tr.t("verify_draw.stdin").to_string()
    } else {
        file.display().to_string()
    };
    let text = if stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read_to_string(file)
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            let problem = e.to_string();
            eprintln!(
                "{}",
                tr.f("verify_draw.unreadable", &[("file", &name), ("problem", &problem)])
            );
            return ExitCode::from(INVALID_FILE);
        }
    };
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let published: PublishedDraw = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(published) => published,
        Err(e) => {
            let path = e.path().to_string();
            let problem = e.into_inner().to_string();
            let message = if path == "." || path == "?" || path.is_empty() {
                tr.f("verify_draw.invalid_json", &[("file", &name), ("problem", &problem)])
            } else {
                tr.f(
                    "verify_draw.invalid_field",
                    &[("file", &name), ("field", &path), ("problem", &problem)],
                )
            };
            eprintln!("{message}");
            return ExitCode::from(INVALID_FILE);
        }
    };
    match verify(&published) {
        Ok(()) => {
            let count = published.entries.len().to_string();
            println!("{}", tr.f("verify_draw.ok", &[("count", &count)]));
            ExitCode::SUCCESS
        }
        Err(mismatch) => {
            println!("{}", mismatch_text(tr, &published, &mismatch));
            ExitCode::from(MISMATCH)
        }
    }
}
