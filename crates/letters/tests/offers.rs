//! The offer of a municipal dwelling (tilbud om kommunal utleiebolig) in every language, read back
//! from the PDF: the dwelling, the rent in kroner, the answer date and how to answer, the right to
//! see the dwelling, the decline rule as the municipality's policy sets it — and no appeal clause,
//! since an offer is not a decision.

mod common;

use common::{flow_text, offer_letter, page_texts};
use husly_letters::{
    Content, DeclineGround, DwellingType, Language, Letter, LetterError, LetterKind, Offer, Templates, render_html,
    render_html_fragment, render_pdf,
};
use time::macros::date;

fn pdf_text(letter: &Letter) -> String {
    let pdf = render_pdf(letter, &Templates::builtin()).unwrap_or_else(|err| panic!("{err}"));
    flow_text(&page_texts(&pdf), letter.language)
}

fn assert_contains(text: &str, wanted: &str, context: &str) {
    let wanted: String = wanted.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&wanted), "{context}: missing {wanted:?} in\n{text}");
}

fn assert_lacks(text: &str, unwanted: &str, context: &str) {
    let unwanted: String = unwanted.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !text.contains(&unwanted),
        "{context}: {unwanted:?} should not be in\n{text}"
    );
}

fn content(letter: &mut Letter) -> &mut Offer {
    match &mut letter.content {
        Content::Offer(offer) => offer,
        _ => unreachable!("an offer letter"),
    }
}

/// What the sample offer must say, per language.
fn expected(language: Language) -> Vec<&'static str> {
    match language {
        Language::Nb => vec![
            "Tilbud om kommunal utleiebolig",
            "Vi viser til søknaden din om kommunal bolig. Du står på ventelisten, og nå kan vi tilby deg å leie boligen",
            "Adresse: Tollbugata 7, leilighet H0203, 3044 Drammen",
            "Type bolig: ordinær utleiebolig",
            "Soverom: 2",
            "Størrelse: 64 m²",
            "Etasje: 2",
            "Heis: ja",
            "Tilgjengelig med rullestol: nei",
            "Husleie: 9 850,50 kroner per måned",
            "Ledig fra: 1. mars 2026",
            "Svarfristen er 11. februar 2026.",
            "Du svarer ved å ringe eller sende e-post til Kåre Sæther.",
            "Oppgi referansen 2026/1234.",
            "Du kan be om å få se boligen før du svarer.",
            "kontakter vi deg for å skrive leiekontrakt",
            "teller det ikke mot deg hvis du takker nei av en av disse grunnene:",
            "Boligen passer ikke på grunn av helsen din",
            "Du eller noen i husstanden vil ikke være trygge der",
            "Boligen ligger for langt fra barnas skole eller fra arbeidet ditt.",
            "Du har skaffet deg en annen bolig selv.",
            "Du kan i alt takke nei uten rimelig grunn én gang. Takker du nei uten rimelig grunn flere ganger enn det, kan kommunen ta deg av ventelisten.",
            "Hvis du ikke svarer innen fristen, går tilbudet ut, og andre kan få tilbud om boligen. Vi regner det da som at du har takket nei uten rimelig grunn.",
            "Hvis kommunen bestemmer seg for å ta deg av ventelisten, får du et eget vedtak om det. Det vedtaket kan du klage på.",
            "Du kan kontakte Kåre Sæther på telefon 32 04 12 34",
        ],
        Language::Nn => vec![
            "Tilbod om kommunal utleigebustad",
            "Vi viser til søknaden din om kommunal bustad. Du står på ventelista, og no kan vi tilby deg å leige bustaden",
            "Adresse: Tollbugata 7, leilighet H0203, 3044 Drammen",
            "Type bustad: ordinær utleigebustad",
            "Soverom: 2",
            "Storleik: 64 m²",
            "Heis: ja",
            "Tilgjengeleg med rullestol: nei",
            "Husleige: 9 850,50 kroner per månad",
            "Ledig frå: 1. mars 2026",
            "Svarfristen er 11. februar 2026.",
            "Du svarar ved å ringje eller sende e-post til Kåre Sæther.",
            "Oppgi referansen 2026/1234.",
            "Du kan be om å få sjå bustaden før du svarar.",
            "tel det ikkje mot deg dersom du takkar nei av ein av desse grunnane:",
            "Bustaden ligg for langt frå skulen til borna eller frå arbeidet ditt.",
            "Du kan til saman takke nei utan rimeleg grunn éin gong.",
            "Vi reknar det då som at du har takka nei utan rimeleg grunn.",
            "Dersom kommunen bestemmer seg for å ta deg av ventelista, får du eit eige vedtak om det. Det vedtaket kan du klage på.",
        ],
        Language::En => vec![
            "Offer of a municipal rental home",
            "We refer to your application for municipal housing. You are on the waiting list",
            "Address: Tollbugata 7, leilighet H0203, 3044 Drammen",
            "Type of home: ordinary rental home",
            "Bedrooms: 2",
            "Size: 64 m²",
            "Floor: 2 (in Norway the ground floor is floor 1)",
            "Lift: yes",
            "Wheelchair accessible: no",
            "Rent: NOK 9 850.50 a month",
            "Available from: 1 March 2026",
            "The deadline for your answer is 11 February 2026.",
            "To answer, telephone or e-mail Kåre Sæther.",
            "Please give our reference 2026/1234.",
            "You can ask to see the home before you answer.",
            "The home is too far from your children's school or from your work.",
            "In all, you may decline without a reasonable ground once.",
            "We will then count it as a decline without a reasonable ground.",
            "If the municipality decides to take you off the waiting list, you will receive a separate decision about it. You can appeal against that decision.",
        ],
    }
}

#[test]
fn an_offer_names_the_dwelling_the_rent_the_deadline_and_the_rule_in_every_language() {
    for language in Language::ALL {
        let context = format!("{language:?}");
        let letter = offer_letter(language);
        assert_eq!(letter.kind(), LetterKind::Offer);
        assert_eq!(LetterKind::Offer.code(), "offer");
        let text = pdf_text(&letter);
        for wanted in expected(language) {
            assert_contains(&text, wanted, &context);
        }
        // The HTML says the same.
        let html = render_html(&letter, &Templates::builtin()).unwrap();
        assert!(
            html.contains(&format!("<html lang=\"{}\">", language.code())),
            "{context}"
        );
        let fragment = render_html_fragment(&letter, &Templates::builtin()).unwrap();
        assert!(
            fragment.contains("Tollbugata 7, leilighet H0203, 3044 Drammen"),
            "{context}"
        );
        assert!(
            !fragment.contains('{') && !fragment.contains('}'),
            "{context}: {fragment}"
        );
    }
}

/// An offer is not an enkeltvedtak: no appeal clause, no appeal deadline, no decision heading.
/// Only the separate decision a removal from the list would be is said to be appealable.
#[test]
fn an_offer_has_no_appeal_clause() {
    for (language, unwanted) in [
        (
            Language::Nb,
            ["Du kan klage på vedtaket", "Klagefristen", "forvaltningsloven §§ 28"],
        ),
        (
            Language::Nn,
            ["Du kan klage på vedtaket", "Klagefristen", "forvaltningslova §§ 28"],
        ),
        (
            Language::En,
            [
                "You can appeal against this decision",
                "deadline for appealing",
                "sections 28 and 29",
            ],
        ),
    ] {
        let text = pdf_text(&offer_letter(language));
        for unwanted in unwanted {
            assert_lacks(&text, unwanted, &format!("{language:?}"));
        }
    }
}

#[test]
fn the_rent_is_shown_in_kroner() {
    for (ore, nb, en) in [
        (
            985_050,
            "Husleie: 9 850,50 kroner per måned",
            "Rent: NOK 9 850.50 a month",
        ),
        (
            1_200_000,
            "Husleie: 12 000 kroner per måned",
            "Rent: NOK 12 000 a month",
        ),
        (780_000, "Husleie: 7 800 kroner per måned", "Rent: NOK 7 800 a month"),
        (0, "Husleie: 0 kroner per måned", "Rent: NOK 0 a month"),
    ] {
        let mut letter = offer_letter(Language::Nb);
        content(&mut letter).monthly_rent_ore = ore;
        assert_contains(&pdf_text(&letter), nb, &format!("{ore} øre"));
        letter.language = Language::En;
        assert_contains(&pdf_text(&letter), en, &format!("{ore} øre"));
    }
    // Øre are never shown as kroner: 9 850 kroner is not 985 000.
    let text = pdf_text(&offer_letter(Language::Nb));
    assert_lacks(&text, "985 050", "øre");
}

/// The decline paragraphs follow the policy's values: the reasonable grounds listed (or said to
/// be none), how many declines without one are allowed, and whether silence counts.
#[test]
fn the_decline_rule_follows_the_policy() {
    let base = offer_letter(Language::Nb);

    let mut strict = base.clone();
    let rules = &mut content(&mut strict).decline_rules;
    rules.reasonable_grounds.clear();
    rules.unreasonable_declines_allowed = 0;
    rules.expiry_counts_as_decline = false;
    let text = pdf_text(&strict);
    assert_contains(
        &text,
        "Kommunens regler nevner ingen grunner som gjør at et nei ikke teller mot deg.",
        "no grounds",
    );
    assert_lacks(&text, "av en av disse grunnene", "no grounds");
    assert_lacks(&text, "Si fra hvorfor", "no grounds");
    assert_contains(
        &text,
        "Takker du nei uten rimelig grunn, kan kommunen ta deg av ventelisten.",
        "none allowed",
    );
    assert_lacks(&text, "Du kan i alt takke nei", "none allowed");
    assert_contains(
        &text,
        "Det teller ikke som et nei uten rimelig grunn.",
        "silence does not count",
    );
    assert_lacks(
        &text,
        "Vi regner det da som at du har takket nei",
        "silence does not count",
    );
    assert_contains(
        &text,
        "Det vedtaket kan du klage på.",
        "the removal is still a decision",
    );

    let mut lenient = base.clone();
    let rules = &mut content(&mut lenient).decline_rules;
    rules.reasonable_grounds = DeclineGround::ALL.to_vec();
    rules.unreasonable_declines_allowed = 3;
    let text = pdf_text(&lenient);
    for ground in [
        "Husleien er for høy for deg.",
        "Boligen er for liten eller for stor for husstanden.",
        "Du ønsker ikke å bo i området.",
        "Du er ikke fornøyd med standarden på boligen.",
        "En annen grunn som kommunen mener er rimelig.",
    ] {
        assert_contains(&text, ground, "every ground");
    }
    assert_contains(
        &text,
        "Du kan i alt takke nei uten rimelig grunn tre ganger.",
        "three allowed",
    );
    assert_contains(
        &text,
        "Vi regner det da som at du har takket nei uten rimelig grunn.",
        "silence counts",
    );

    // Only the grounds the policy lists.
    let text = pdf_text(&base);
    assert_lacks(
        &text,
        "Husleien er for høy for deg.",
        "rent is not a reasonable ground here",
    );
    assert_lacks(&text, "Du ønsker ikke å bo i området.", "location is not either");

    let mut nynorsk = lenient.clone();
    nynorsk.language = Language::Nn;
    content(&mut nynorsk).decline_rules.unreasonable_declines_allowed = 2;
    assert_contains(
        &pdf_text(&nynorsk),
        "Du kan til saman takke nei utan rimeleg grunn to gonger.",
        "nn",
    );
    let mut english = lenient;
    english.language = Language::En;
    content(&mut english).decline_rules.unreasonable_declines_allowed = 2;
    assert_contains(
        &pdf_text(&english),
        "you may decline without a reasonable ground twice.",
        "en",
    );
}

/// What the register does not know is left out, not guessed; a one-room flat says so; an
/// applicant who applied online is told the status page answers too.
#[test]
fn unknown_facts_are_left_out_and_online_applicants_can_answer_online() {
    let mut letter = offer_letter(Language::Nb);
    let offer = content(&mut letter);
    offer.dwelling.bedrooms = 0;
    offer.dwelling.area_m2 = None;
    offer.dwelling.floor = None;
    offer.dwelling.lift = None;
    offer.dwelling.wheelchair_accessible = None;
    offer.dwelling.dwelling_type = DwellingType::YouthDwelling;
    offer.available_from = None;
    offer.answer_online = true;
    let text = pdf_text(&letter);
    assert_contains(&text, "Soverom: ingen eget soverom", "studio");
    assert_contains(&text, "Type bolig: ungdomsbolig", "type");
    for unknown in ["Størrelse:", "Etasje:", "Heis:", "rullestol", "Ledig fra:"] {
        assert_lacks(&text, unknown, "unknown");
    }
    assert_contains(
        &text,
        "Du kan svare på siden der du følger søknaden din (med lenken og koden du fikk da du søkte). Du kan også svare ved å ringe eller sende e-post til Kåre Sæther.",
        "online",
    );

    let mut below = offer_letter(Language::Nb);
    content(&mut below).dwelling.floor = Some(-1);
    assert_contains(&pdf_text(&below), "Etasje: −1", "below the ground floor");
}

#[test]
fn an_offer_without_what_it_needs_is_refused_with_the_field() {
    let refuse = |edit: fn(&mut Offer)| {
        let mut letter = offer_letter(Language::Nb);
        edit(content(&mut letter));
        match render_pdf(&letter, &Templates::builtin()) {
            Err(LetterError::Invalid { field, .. }) => field,
            other => panic!("expected an invalid letter, got {other:?}"),
        }
    };
    assert_eq!(
        refuse(|o| o.dwelling.address_lines = vec![" ".to_owned()]),
        "content.dwelling.address_lines"
    );
    assert_eq!(
        refuse(|o| o.dwelling.address_lines.clear()),
        "content.dwelling.address_lines"
    );
    assert_eq!(refuse(|o| o.monthly_rent_ore = -1), "content.monthly_rent_ore");
    assert_eq!(refuse(|o| o.answer_by = date!(2026 - 02 - 03)), "content.answer_by");
    assert_eq!(
        refuse(|o| o.available_from = Some(date!(2026 - 01 - 31))),
        "content.available_from"
    );
    assert_eq!(refuse(|o| o.dwelling.area_m2 = Some(0)), "content.dwelling.area_m2");
    assert_eq!(
        refuse(|o| o.decline_rules.reasonable_grounds.push(DeclineGround::Safety)),
        "content.decline_rules.reasonable_grounds"
    );
    // An answer date on the letter's own day is allowed (the domain allows it).
    let mut today = offer_letter(Language::Nb);
    content(&mut today).answer_by = today.date;
    assert_eq!(today.validate(), Ok(()));
}

#[test]
fn an_offer_renders_the_same_bytes_twice() {
    for language in Language::ALL {
        let letter = offer_letter(language);
        let first = render_pdf(&letter, &Templates::builtin()).unwrap();
        let second = render_pdf(&letter.clone(), &Templates::builtin()).unwrap();
        assert!(first == second, "{language:?}: two renders differ");
    }
}

/// A municipality may reword an offer's text but not drop the answer date.
#[test]
fn an_override_cannot_drop_the_answer_date() {
    let err = Templates::builtin()
        .with_override("3301", "[nb.offer]\nanswer_by = \"Svar snart.\"\n")
        .unwrap_err();
    assert!(err.problem.contains("must use the placeholder {answer_by}"), "{err}");
    let reworded = Templates::builtin()
        .with_override(
            "3301",
            "[nb.offer]\nviewing = \"Vil du se boligen først? Ring oss, så finner vi en tid.\"\n",
        )
        .unwrap();
    let pdf = render_pdf(&offer_letter(Language::Nb), &reworded).unwrap();
    let text = flow_text(&page_texts(&pdf), Language::Nb);
    assert_contains(
        &text,
        "Vil du se boligen først? Ring oss, så finner vi en tid.",
        "override",
    );
}
