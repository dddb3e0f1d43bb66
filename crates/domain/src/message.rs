//! A text for a person, as a catalogue key and its arguments.
//!
//! The domain and the store never write sentences: they name what happened with a stable key
//! (`error.household.postal_code`, `refusal.not_now`, `national_id.check_digit_2`) and the values
//! the sentence needs. The catalogue (`husly-catalogue`) words the key in bokmål, nynorsk or English, so
//! a page, the JSON API and the command line say the same thing in the reader's language.

use std::borrow::Cow;

/// A catalogue key with the values for its `{name}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: Cow<'static, str>,
    pub args: Vec<(&'static str, Arg)>,
}

/// A placeholder's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Written as is in every language: a number, a date, an amount, a value the user typed.
    Text(String),
    /// Another catalogue key, worded in the same language (a state, a step, a kind of tenure).
    Key(Cow<'static, str>),
    /// Catalogue keys, each worded and the list joined with semicolons.
    Keys(Vec<Cow<'static, str>>),
}

impl Message {
    pub fn new(key: impl Into<Cow<'static, str>>) -> Message {
        Message {
            key: key.into(),
            args: Vec::new(),
        }
    }

    /// Adds a value written as is.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Adds a value that is itself a catalogue key.
    pub fn arg_key(mut self, name: &'static str, key: impl Into<Cow<'static, str>>) -> Message {
        self.args.push((name, Arg::Key(key.into())));
        self
    }

    /// Adds a list of catalogue keys.
    pub fn arg_keys(mut self, name: &'static str, keys: Vec<Cow<'static, str>>) -> Message {
        self.args.push((name, Arg::Keys(keys)));
        self
    }
}

/// A value shown back to the user in a message, cut so a huge input cannot flood the page.
pub fn shorten(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        value.chars().take(MAX).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_keep_their_order_and_kind() {
        let m = Message::new("refusal.not_now")
            .arg_key("state", "case_state.received")
            .arg("until", "01.02.2027");
        assert_eq!(m.key, "refusal.not_now");
        assert_eq!(
            m.args,
            [
                ("state", Arg::Key("case_state.received".into())),
                ("until", Arg::Text("01.02.2027".into()))
            ]
        );
    }

    #[test]
    fn long_values_are_cut() {
        assert_eq!(shorten("kort"), "kort");
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), 41);
    }
}
