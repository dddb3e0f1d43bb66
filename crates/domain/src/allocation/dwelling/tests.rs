use super::*;
use crate::postal::PostalRegister;
use time::macros::date;

fn row() -> DwellingInput {
    DwellingInput {
        external_id: "FDVU-17".into(),
        address_line: "Tollbugata 12".into(),
        postal_code: "3044".into(),
        postal_city: String::new(),
        district: "Bragernes".into(),
        gnr: "114".into(),
        bnr: "208".into(),
        unit_number: "h0203".into(),
        dwelling_type: "ordinary_rental".into(),
        ownership: "municipal".into(),
        bedrooms: "2".into(),
        area_m2: "61".into(),
        floor: "2".into(),
        lift: "ja".into(),
        wheelchair_accessible: "nei".into(),
        monthly_rent_kr: "9 850".into(),
        ..DwellingInput::default()
    }
}

fn check(input: &DwellingInput) -> Result<ValidDwelling, Vec<FieldError>> {
    validate_dwelling(input, PostalRegister::embedded(), "")
}

fn fields(errors: Vec<FieldError>) -> Vec<(String, &'static str)> {
    errors.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn a_complete_row_is_read_with_the_place_from_the_register_and_rent_in_ore() {
    let dwelling = check(&row()).unwrap();
    assert_eq!(dwelling.postal_city, "Drammen");
    assert_eq!(dwelling.unit_number.as_deref(), Some("H0203"));
    assert_eq!(dwelling.monthly_rent_ore, 985_000);
    assert_eq!(
        dwelling.matrikkel,
        Matrikkel {
            gnr: Some(114),
            bnr: Some(208),
            fnr: None,
            snr: None
        }
    );
    assert!(dwelling.lift && !dwelling.wheelchair_accessible);
    assert_eq!(dwelling.dwelling_type, DwellingType::OrdinaryRental);
}

#[test]
fn the_text_form_reads_back_to_the_same_dwelling() {
    let dwelling = check(&row()).unwrap();
    assert_eq!(check(&dwelling.to_input()).unwrap(), dwelling);
}

#[test]
fn norwegian_names_of_type_and_ownership_are_understood() {
    let input = DwellingInput {
        dwelling_type: "Omsorgsbolig".into(),
        ownership: "innleid".into(),
        ..row()
    };
    let dwelling = check(&input).unwrap();
    assert_eq!(
        (dwelling.dwelling_type, dwelling.ownership),
        (DwellingType::CareDwelling, OwnershipForm::LeasedIn)
    );
}

#[test]
fn every_problem_is_named_with_its_field_and_the_prefix() {
    let input = DwellingInput {
        address_line: " ".into(),
        postal_code: "30".into(),
        dwelling_type: "castle".into(),
        ownership: String::new(),
        bedrooms: "two".into(),
        area_m2: "0".into(),
        floor: "99".into(),
        unit_number: "A12".into(),
        lift: "maybe".into(),
        monthly_rent_kr: "-5".into(),
        ..row()
    };
    let errors = fields(validate_dwelling(&input, PostalRegister::embedded(), "rows[3].").unwrap_err());
    assert_eq!(
        errors,
        vec![
            ("rows[3].address_line".to_string(), "required"),
            ("rows[3].postal_code".to_string(), "postal_code.invalid"),
            ("rows[3].unit_number".to_string(), "unit_number"),
            ("rows[3].dwelling_type".to_string(), "unknown_value"),
            ("rows[3].ownership".to_string(), "required"),
            ("rows[3].bedrooms".to_string(), "not_a_whole_number"),
            ("rows[3].area_m2".to_string(), "out_of_range"),
            ("rows[3].floor".to_string(), "out_of_range"),
            ("rows[3].lift".to_string(), "not_yes_or_no"),
            ("rows[3].monthly_rent_kr".to_string(), "out_of_range"),
        ]
    );
}

#[test]
fn bedrooms_and_rent_are_required() {
    let input = DwellingInput {
        bedrooms: String::new(),
        monthly_rent_kr: String::new(),
        ..row()
    };
    assert_eq!(
        fields(check(&input).unwrap_err()),
        vec![
            ("bedrooms".to_string(), "required"),
            ("monthly_rent_kr".to_string(), "required")
        ]
    );
}

#[test]
fn unit_numbers_are_a_letter_and_four_digits() {
    for ok in ["H0101", "U0102", "K0201", "L0101"] {
        assert!(is_unit_number(ok), "{ok}");
    }
    for bad in ["H101", "X0101", "H01011", "h0101", "", "H01a1"] {
        assert!(!is_unit_number(bad), "{bad}");
    }
}

#[test]
fn status_moves_follow_the_lifecycle() {
    use DwellingStatus::*;
    let start = date!(2026 - 01 - 01);
    let change = |status, reason: Option<&str>| StatusChange {
        status,
        from: date!(2026 - 03 - 01),
        reason: reason.map(str::to_string),
    };
    assert_eq!(check_status_change(Vacant, start, &change(Reserved, None)), Ok(()));
    assert_eq!(
        check_status_change(Vacant, start, &change(Decommissioned, None)),
        Err(StatusRefusal::ReasonRequired)
    );
    assert_eq!(
        check_status_change(Vacant, start, &change(Decommissioned, Some("Solgt"))),
        Ok(())
    );
    assert_eq!(
        check_status_change(Decommissioned, start, &change(Vacant, None)),
        Ok(()),
        "undone"
    );
    assert_eq!(
        check_status_change(Let, start, &change(Vacant, None)),
        Err(StatusRefusal::NotAllowed { from: Let, to: Vacant }),
        "a let dwelling is freed by ending its tenancy"
    );
    assert_eq!(
        check_status_change(Vacant, start, &change(Let, None)),
        Err(StatusRefusal::NotAllowed { from: Vacant, to: Let })
    );
    let early = StatusChange {
        from: date!(2025 - 12 - 31),
        ..change(Reserved, None)
    };
    assert_eq!(
        check_status_change(Vacant, start, &early),
        Err(StatusRefusal::BeforeCurrent)
    );
    for status in DwellingStatus::ALL {
        assert!(
            !status.manual_moves().contains(status),
            "{status:?} to itself is no change"
        );
    }
}
