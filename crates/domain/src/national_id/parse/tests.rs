//! Table tests for `parse`.
//!
//! Only numbers that cannot belong to real people are used: birth dates after today
//! (2030–2039), impossible dates, and synthetic numbers. Every literal was computed with a
//! separate script and the key ones are verified by hand below.

use super::*;
use time::macros::date;

const ALLOW: SyntheticPolicy = SyntheticPolicy::Allow;
const REJECT: SyntheticPolicy = SyntheticPolicy::Reject;

fn ok(input: &str, policy: SyntheticPolicy) -> ParsedId {
    match parse(input, policy) {
        Ok(parsed) => parsed,
        Err(e) => panic!("{input:?} should parse, got {e:?}"),
    }
}

fn err(input: &str, policy: SyntheticPolicy) -> IdError {
    match parse(input, policy) {
        Ok(_) => panic!("{input:?} should be refused"),
        Err(e) => e,
    }
}

#[test]
fn classic_fodselsnummer() {
    // 02013299997 is Skatteetaten's own example in nyttfnr2032.md (born 02.01.2032, 999):
    //   k1: 0·3+2·7+0·6+1·1+3·8+2·9+9·4+9·5+9·2 = 156, 156 mod 11 = 2, k1 = 11−2 = 9
    //   k2: 0·5+2·4+0·3+1·2+3·7+2·6+9·5+9·4+9·3+9·2 = 169, 169 mod 11 = 4, k2 = 11−4 = 7
    // 31123990008 (31.12.2039, individnummer 900):
    //   k1: 3·3+1·7+1·6+2·1+3·8+9·9+9·4+0·5+0·2 = 165, 165 mod 11 = 0, k1 = 0
    //   k2: 3·5+1·4+1·3+2·2+3·7+9·6+9·5+0+0+0·2 = 146, 146 mod 11 = 3, k2 = 8
    // 29023650078 (29.02.2036, a leap day, individnummer 500):
    //   k1: 2·3+9·7+0·6+2·1+3·8+6·9+5·4+0+0 = 169, 169 mod 11 = 4, k1 = 7
    //   k2: 2·5+9·4+0·3+2·2+3·7+6·6+5·5+0+0+7·2 = 146, 146 mod 11 = 3, k2 = 8
    for (input, birth) in [
        ("02013299997", date!(2032 - 01 - 02)),
        ("31123990008", date!(2039 - 12 - 31)),
        ("29023650078", date!(2036 - 02 - 29)),
        ("01013250150", date!(2032 - 01 - 01)),
    ] {
        let parsed = ok(input, REJECT);
        assert_eq!(parsed.id.as_str(), input);
        assert_eq!(parsed.kind, IdKind::Fodselsnummer);
        assert_eq!(parsed.synthetic, None);
        assert_eq!(parsed.rule, CheckDigitRule::Classic);
        assert_eq!(parsed.birth_date(), Some(birth), "{input}");
        assert_eq!(parsed.day_month(), (birth.day(), u8::from(birth.month())));
    }
}

#[test]
fn d_nummer_has_no_birth_date() {
    // 42013250183: day 02 + 40, 01.2032, individnummer 501.
    let parsed = ok("42013250183", REJECT);
    assert_eq!(parsed.kind, IdKind::DNummer);
    assert_eq!(parsed.day_month(), (2, 1));
    assert_eq!(parsed.birth_date(), None);
    assert_eq!(parsed.rule, CheckDigitRule::Classic);
}

#[test]
fn synthetic_numbers_need_allow() {
    // (input, kind, id kind, day/month, birth date)
    let cases = [
        // Tenor, individnummer 000 → 1900s.
        (
            "17858500060",
            SyntheticKind::Tenor,
            IdKind::Fodselsnummer,
            Some(date!(1985 - 05 - 17)),
        ),
        // Tenor, 900–999 with year ≥ 40 → 1900s.
        (
            "17858590035",
            SyntheticKind::Tenor,
            IdKind::Fodselsnummer,
            Some(date!(1985 - 05 - 17)),
        ),
        // Tenor, 500–749 with year ≥ 54 → 1800s.
        (
            "17858550084",
            SyntheticKind::Tenor,
            IdKind::Fodselsnummer,
            Some(date!(1885 - 05 - 17)),
        ),
        (
            "01819950020",
            SyntheticKind::Tenor,
            IdKind::Fodselsnummer,
            Some(date!(1899 - 01 - 01)),
        ),
        // Tenor, 750 with year 53: no series, so no birth date.
        ("01815375005", SyntheticKind::Tenor, IdKind::Fodselsnummer, None),
        ("01815350002", SyntheticKind::Tenor, IdKind::Fodselsnummer, None),
        // Nav/Dolly, month + 40.
        (
            "17458500088",
            SyntheticKind::Nav,
            IdKind::Fodselsnummer,
            Some(date!(1985 - 05 - 17)),
        ),
        // Synthetic D-number: day + 40 and month + 80.
        ("57858550078", SyntheticKind::Tenor, IdKind::DNummer, None),
    ];
    for (input, synthetic, kind, birth) in cases {
        let parsed = ok(input, ALLOW);
        assert_eq!(parsed.synthetic, Some(synthetic), "{input}");
        assert_eq!(parsed.kind, kind, "{input}");
        assert_eq!(parsed.birth_date(), birth, "{input}");
        assert_eq!(err(input, REJECT), IdError::SyntheticNotAllowed { kind: synthetic });
    }
    assert_eq!(ok("57858550078", ALLOW).day_month(), (17, 5));
}

#[test]
fn rule_2032_accepts_k1_remainders_one_to_three() {
    // Prefix 020132998: Σ k1-weights = 0·3+2·7+0·6+1·1+3·8+2·9+9·4+9·5+8·2 = 154 ≡ 0.
    // So the remainder (154 + k1) mod 11 equals k1 itself. Σ k2-weights over the first nine
    // digits = 148 ≡ 5, and k2 = (−(148 + 2·k1)) mod 11:
    //   k1 0 → k2 6 (classic), k1 1 → 4, k1 2 → 2, k1 3 → 0, k1 4 → 9 (remainder 4: invalid).
    // Skatteetaten mentions 02013299806 and 02013299903 in nyttfnr2032.md.
    for (input, rule) in [
        ("02013299806", CheckDigitRule::Classic),
        ("02013299814", CheckDigitRule::From2032),
        ("02013299822", CheckDigitRule::From2032),
        ("02013299830", CheckDigitRule::From2032),
        ("02013299903", CheckDigitRule::From2032),
        ("02013299911", CheckDigitRule::From2032),
    ] {
        let parsed = ok(input, REJECT);
        assert_eq!(parsed.rule, rule, "{input}");
        let expected_birth = (rule == CheckDigitRule::Classic).then_some(date!(2032 - 01 - 02));
        assert_eq!(parsed.birth_date(), expected_birth, "{input}");
        assert_eq!(parsed.day_month(), (2, 1));
    }
    assert_eq!(err("02013299849", REJECT), IdError::FirstCheckDigit);
    // A 2032-rule synthetic number with year 00: century unknown, 29 February accepted.
    let parsed = ok("29820050140", ALLOW);
    assert_eq!((parsed.rule, parsed.birth_date()), (CheckDigitRule::From2032, None));
}

#[test]
fn wrong_check_digits() {
    // k1 9 → 8: (156 + 8) mod 11 = 10.
    assert_eq!(err("02013299987", REJECT), IdError::FirstCheckDigit);
    assert_eq!(err("02013299996", REJECT), IdError::SecondCheckDigit);
    assert_eq!(err("02013299990", REJECT), IdError::SecondCheckDigit);
}

#[test]
fn check_digit_ten_is_impossible() {
    // 01.01.2030 Tenor with individnummer 500: Σ = 100 ≡ 1, so classic k1 would be 10 and
    // no digit gives remainder 0; only the 2032 rule can accept this prefix.
    for k1 in 0..=9u8 {
        for k2 in 0..=9u8 {
            if let Ok(parsed) = parse(&format!("018130500{k1}{k2}"), ALLOW) {
                assert_eq!(parsed.rule, CheckDigitRule::From2032);
            }
        }
    }
    // 0201325019: k2 would have to be 10, so no eleventh digit is valid.
    for k2 in 0..=9u8 {
        assert_eq!(err(&format!("0201325019{k2}"), REJECT), IdError::SecondCheckDigit);
    }
}

#[test]
fn invalid_dates() {
    // Correct check digits throughout, so only the date is wrong.
    for input in [
        "31043250062", // 31 April
        "30023250043", // 30 February
        "29023350015", // 29 February 2033 (no century has it)
        "00013250030", // day 00
        "01133250189", // month 13
        "01213250066", // month tens 2: neither a month nor an offset
        "29320050012", // Tenor month tens 3
    ] {
        assert_eq!(err(input, ALLOW), IdError::InvalidDate, "{input}");
    }
    // Tenor 29.02.00 with individnummer 000: the century is known (1900), not a leap year.
    assert_eq!(err("29820000100", ALLOW), IdError::InvalidDate);
    // The same date with individnummer 500 is 29.02.2000, which exists.
    assert_eq!(ok("29820050043", ALLOW).birth_date(), Some(date!(2000 - 02 - 29)));
}

#[test]
fn separators_and_whitespace() {
    for input in [
        "020132 99997",
        "020132-99997",
        "02.01.32 999 97",
        "  02013299997\n",
        "\t020132 - 99997 ",
        "020132\u{a0}99997",   // non-breaking space
        "020132\u{2013}99997", // en dash from a word processor
        "0 2 0 1 3 2 9 9 9 9 7",
    ] {
        assert_eq!(ok(input, REJECT).id.as_str(), "02013299997", "{input:?}");
    }
}

#[test]
fn invalid_characters_name_character_and_position() {
    for (input, ch, position) in [
        ("020132/99997", '/', 7),
        ("0201329999x", 'x', 11),
        ("O2013299997", 'O', 1),
        ("-02013299997", '-', 1),
        ("02013299997.", '.', 12),
        ("  02013299997-", '-', 14),
        ("02😀013299997", '😀', 3),
        ("ø2013299997", 'ø', 1),
        ("０２013299997", '０', 1), // full-width digit
        ("020132\u{200B}99997", '\u{200B}', 7),
    ] {
        assert_eq!(
            err(input, REJECT),
            IdError::InvalidCharacter { ch, position },
            "{input:?}"
        );
    }
}

#[test]
fn length_errors() {
    assert_eq!(err("", REJECT), IdError::Empty);
    assert_eq!(err(" \t\n", REJECT), IdError::Empty);
    assert_eq!(err("0201329999", REJECT), IdError::WrongLength { digits: 10 });
    assert_eq!(err("020132999970", REJECT), IdError::WrongLength { digits: 12 });
    assert_eq!(err("1", REJECT), IdError::WrongLength { digits: 1 });
    // 64 characters are fine, 65 are not.
    let padded = format!("{:<64}", "02013299997");
    assert_eq!(padded.chars().count(), 64);
    assert!(parse(&padded, REJECT).is_ok());
    assert_eq!(err(&format!("{padded} "), REJECT), IdError::TooLong);
    assert_eq!(err(&"9".repeat(1_000_000), REJECT), IdError::TooLong);
}

#[test]
fn fh_numbers_are_not_supported() {
    assert_eq!(err("81234567890", ALLOW), IdError::NotSupported);
    assert_eq!(err("91234567890", REJECT), IdError::NotSupported);
}

#[test]
fn national_id_shape_and_display() {
    let parsed = ok("020132 99997", REJECT);
    assert_eq!(parsed.id.to_string(), "02013299997");
    assert_eq!(parsed.id.as_ref(), "02013299997");
    assert!(!format!("{parsed:?}").contains("02013299997"), "Debug must not leak");
    assert_eq!(NationalId::from_trusted_digits("02013299997"), Some(parsed.id));
    assert_eq!(NationalId::from_trusted_digits("0201329999"), None);
    assert_eq!(NationalId::from_trusted_digits("0201329999x"), None);
    assert_eq!(NationalId::from_trusted_digits("٠٢٠١٣٢٩٩٩٩٧"), None);
}

#[test]
fn labels() {
    assert_eq!(IdKind::Fodselsnummer.code(), "fodselsnummer");
    assert_eq!(IdKind::DNummer.code(), "d_nummer");
}
