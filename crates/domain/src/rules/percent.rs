//! Percentages written as text in rule files ("16.44 %") and held exactly in basis points.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A percentage with at most two decimals, stored as hundredths of a percent (basis points), so
/// that 16.44 % is exactly 1 644 and 73.7 % is 7 370. Rule files never hold binary floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(i64);

impl Percent {
    pub const DENOMINATOR: i64 = 10_000;

    pub fn from_basis_points(bp: i64) -> Self {
        Self(bp)
    }

    pub fn basis_points(self) -> i64 {
        self.0
    }

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty() || fraction.len() > 2 || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(fraction).map(Self)
    }

    /// As Norwegian text writes it, with a decimal comma: `16,44 %`.
    pub fn with_decimal_comma(self) -> String {
        self.to_string().replace('.', ",")
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        if fraction == 0 {
            write!(f, "{whole} %")
        } else if fraction % 10 == 0 {
            write!(f, "{whole}.{} %", fraction / 10)
        } else {
            write!(f, "{whole}.{fraction:02} %")
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Percent::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a percentage like \"16.44 %\"")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(Percent::parse("16.44 %"), Some(Percent(1644)));
        assert_eq!(Percent::parse("73.7%"), Some(Percent(7370)));
        assert_eq!(Percent::parse("0.12 %"), Some(Percent(12)));
        assert_eq!(Percent::parse("65"), Some(Percent(6500)));
        assert_eq!(Percent::parse("2,5 %"), Some(Percent(250)));
        for bad in ["", "%", "1.234 %", "-1 %", "abc", ".5"] {
            assert_eq!(Percent::parse(bad), None, "{bad}");
        }
        assert_eq!(Percent(1644).to_string(), "16.44 %");
        assert_eq!(Percent(7370).to_string(), "73.7 %");
        assert_eq!(Percent(250).to_string(), "2.5 %");
    }
}
