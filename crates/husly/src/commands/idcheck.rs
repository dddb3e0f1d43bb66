//! `husly id check`: validate identity numbers before an import.

use crate::config::Config;
use husly_domain::Lang;
use husly_domain::national_id::{SyntheticPolicy, parse};
use husly_web::i18n::Tr;
use std::io::BufRead;
use std::process::ExitCode;

/// One output line for one input: `NUMBER<TAB>valid<TAB>KIND` or `INPUT<TAB>invalid<TAB>REASON`.
pub fn check_line(input: &str, policy: SyntheticPolicy, lang: Lang) -> (bool, String) {
    let tr = Tr::new(lang);
    match parse(input, policy) {
        Ok(parsed) => {
            let kind = tr.t(&format!("id_kind.{}", parsed.kind.code())).to_string();
            let kind = match parsed.synthetic {
                None => kind,
                Some(source) => tr.f(&format!("idcheck.synthetic.{}", source.code()), &[("kind", &kind)]),
            };
            (true, format!("{}\tvalid\t{kind}", parsed.id))
        }
        Err(e) => (
            false,
            format!("{}\tinvalid\t{}", input.trim(), tr.message(&e.message())),
        ),
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
