//! `husly id check`: validate identity numbers before an import.

use crate::config::Config;
use husly_domain::Lang;
use husly_domain::national_id::{SyntheticKind, SyntheticPolicy, parse};
use std::io::BufRead;
use std::process::ExitCode;

/// One output line for one input: `NUMBER<TAB>valid<TAB>KIND` or `INPUT<TAB>invalid<TAB>REASON`.
pub fn check_line(input: &str, policy: SyntheticPolicy, lang: Lang) -> (bool, String) {
    match parse(input, policy) {
        Ok(parsed) => {
            let kind = match lang {
                Lang::Nb => parsed.kind.label_nb(),
                Lang::En => parsed.kind.label_en(),
            };
            let kind = match (parsed.synthetic, lang) {
                (None, _) => kind.to_string(),
                (Some(SyntheticKind::Tenor), Lang::Nb) => format!("syntetisk {kind} (Test-Norge, måned + 80)"),
                (Some(SyntheticKind::Nav), Lang::Nb) => format!("syntetisk {kind} (NAV/H-nummer, måned + 40)"),
                (Some(SyntheticKind::Tenor), Lang::En) => format!("synthetic {kind} (Test-Norge, month + 80)"),
                (Some(SyntheticKind::Nav), Lang::En) => format!("synthetic {kind} (NAV/H-number, month + 40)"),
            };
            (true, format!("{}\tvalid\t{kind}", parsed.id))
        }
        Err(e) => (false, format!("{}\tinvalid\t{}", input.trim(), e.message(lang))),
    }
}

pub fn run(config: &Config, allow_synthetic: bool, numbers: Vec<String>) -> ExitCode {
    let policy = if allow_synthetic {
        SyntheticPolicy::Allow
    } else {
        SyntheticPolicy::Reject
    };
    let inputs: Box<dyn Iterator<Item = String>> = if numbers.is_empty() {
        Box::new(
            std::io::stdin()
                .lock()
                .lines()
                .map_while(Result::ok)
                .filter(|l| !l.trim().is_empty()),
        )
    } else {
        Box::new(numbers.into_iter())
    };
    let mut all_valid = true;
    for input in inputs {
        let (valid, line) = check_line(&input, policy, config.lang);
        all_valid &= valid;
        println!("{line}");
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
