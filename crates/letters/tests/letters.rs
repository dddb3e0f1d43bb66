//! Every language × kind × case type rendered to PDF, read back by an independent parser
//! (lopdf, through the fonts' ToUnicode maps), and checked for what the law asks a letter to say.

mod common;

use common::{flow_text, letter, page_texts, startlan_with_conditions, texts, typical};
use husly_letters::{
    CaseType, Content, Language, Letter, LetterError, LetterKind, Outcome, Recipient, Report, ReportChart,
    ReportSection, Representation, RepresentativeRole, Section6Finding, Templates, render_html, render_html_fragment,
    render_pdf, render_report_pdf,
};

/// Fixed wording each letter must contain, per language.
struct Expected {
    access: &'static str,
    contact: &'static str,
    appeal_deadline: &'static str,
    appeal_law: &'static str,
    outcome: [&'static str; 3],
    interim_law: &'static str,
    interim_expected: &'static str,
    request_deadline: &'static str,
}

fn expected(language: Language) -> Expected {
    match language {
        Language::Nb => Expected {
            access: "Du har rett til å se dokumentene i saken din (forvaltningsloven § 18)",
            contact: "Du kan kontakte Kåre Sæther på telefon 32 04 12 34 eller e-post kare.saether@drammen.kommune.no",
            appeal_deadline: "Klagefristen er tre uker fra den dagen du fikk dette brevet",
            appeal_law: "(forvaltningsloven §§ 28 og 29)",
            outcome: [
                "Vi innvilger søknaden din",
                "Vi avslår søknaden din",
                "Vi innvilger deler av søknaden din",
            ],
            interim_law: "forvaltningsloven § 11 a",
            interim_expected: "svar innen 2. mars 2026",
            request_deadline: "Send oss opplysningene innen 25. februar 2026",
        },
        Language::Nn => Expected {
            access: "Du har rett til å sjå dokumenta i saka di (forvaltningslova § 18)",
            contact: "Du kan kontakte Kåre Sæther på telefon 32 04 12 34 eller e-post kare.saether@drammen.kommune.no",
            appeal_deadline: "Klagefristen er tre veker frå den dagen du fekk dette brevet",
            appeal_law: "(forvaltningslova §§ 28 og 29)",
            outcome: [
                "Vi innvilgar søknaden din",
                "Vi avslår søknaden din",
                "Vi innvilgar delar av søknaden din",
            ],
            interim_law: "forvaltningslova § 11 a",
            interim_expected: "svar innan 2. mars 2026",
            request_deadline: "Send oss opplysningane innan 25. februar 2026",
        },
        Language::En => Expected {
            access: "You have the right to see the documents in your case (section 18 of the Public Administration Act",
            contact: "You can contact Kåre Sæther by telephone on 32 04 12 34 or by e-mail at kare.saether@drammen.kommune.no",
            appeal_deadline: "The deadline for appealing is three weeks from the day you received this letter",
            appeal_law: "(sections 28 and 29 of the Public Administration Act, forvaltningsloven)",
            outcome: [
                "We have granted your application",
                "We have refused your application",
                "We have granted part of your application",
            ],
            interim_law: "section 11 a of the Public Administration Act",
            interim_expected: "an answer by 2 March 2026",
            request_deadline: "Please send us the information by 25 February 2026",
        },
    }
}

/// The running text (without headers and footers), after checking that every page has them.
fn pdf_text(letter: &Letter) -> String {
    let pdf = render_pdf(letter, &Templates::builtin()).unwrap_or_else(|err| panic!("{err}"));
    let pages = page_texts(&pdf);
    let (reference, date, page, of) = match letter.language {
        Language::Nb | Language::Nn => ("Vår referanse: 2026/1234", "Dato: 4. februar 2026", "Side", "av"),
        Language::En => ("Our reference: 2026/1234", "Date: 4 February 2026", "Page", "of"),
    };
    for (index, text) in pages.iter().enumerate() {
        let header = format!("Drammen kommune Boligtjenesten {reference} {date}");
        assert!(text.starts_with(&header), "page {index}: no header in {text}");
        assert_contains(
            text,
            &format!("{page} {} {of} {}", index + 1, pages.len()),
            "page number",
        );
    }
    flow_text(&pages, letter.language)
}

fn assert_contains(text: &str, wanted: &str, context: &str) {
    let wanted: String = wanted.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&wanted), "{context}: missing {wanted:?} in\n{text}");
}

fn assert_common(text: &str, language: Language, context: &str) {
    let want = expected(language);
    for wanted in [
        "Åse Ødegård Hæhre Bjørnstjerne Bjørnsons gate 12 3044 Drammen",
        want.access,
        want.contact,
        "Kåre Sæther",
    ] {
        assert_contains(text, wanted, context);
    }
}

#[test]
fn decisions_say_what_the_law_requires_in_every_language() {
    for language in Language::ALL {
        let (want, t) = (expected(language), texts(language));
        for case_type in CaseType::ALL {
            for (index, outcome) in Outcome::ALL.into_iter().enumerate() {
                // A contract is renewed or not, never in part.
                if case_type == CaseType::TenancyRenewal && outcome == Outcome::PartlyGranted {
                    continue;
                }
                let context = format!("{language:?} {case_type:?} {outcome:?}");
                let letter = letter(language, LetterKind::Decision, case_type, outcome);
                let text = pdf_text(&letter);
                assert_common(&text, language, &context);
                let Content::Decision(decision) = &letter.content else {
                    unreachable!()
                };
                // Legal basis, facts, rules, reasons (forvaltningsloven § 25).
                for basis in &decision.legal_basis {
                    assert_contains(&text, basis, &context);
                }
                assert_contains(&text, t.facts[0], &context);
                assert_contains(&text, t.rule[0], &context);
                assert_contains(&text, t.rule[2], &context);
                assert_contains(&text, t.reasons.lines().next().unwrap_or_default(), &context);
                assert_contains(&text, t.reasons.lines().last().unwrap_or_default(), &context);
                // Outcome, and what is granted; a renewal says what happens to the contract, and
                // without one, how the household moves on.
                if case_type == CaseType::TenancyRenewal {
                    let (renewed, not_renewed, startlan) = match language {
                        Language::Nb => (
                            "Leiekontrakten din for Tollbugata 3 blir fornyet. Den nye perioden varer fra 1. mars 2027 til og med 28. februar 2030.",
                            "Leiekontrakten din for Tollbugata 3 blir ikke fornyet. Den løper ut 28. februar 2027",
                            "kjøpe din egen bolig med startlån",
                        ),
                        Language::Nn => (
                            "Leigekontrakten din for Tollbugata 3 blir fornya. Den nye perioden varer frå 1. mars 2027 til og med 28. februar 2030.",
                            "Leigekontrakten din for Tollbugata 3 blir ikkje fornya. Han går ut 28. februar 2027",
                            "kjøpe din eigen bustad med startlån",
                        ),
                        Language::En => (
                            "Your tenancy contract for Tollbugata 3 is renewed. The new period runs from 1 March 2027 to 28 February 2030.",
                            "Your tenancy contract for Tollbugata 3 is not renewed. It ends on 28 February 2027",
                            "buy a home of your own with a startlån",
                        ),
                    };
                    if outcome == Outcome::Refused {
                        assert_contains(&text, not_renewed, &context);
                        assert_contains(&text, startlan, &context);
                    } else {
                        assert_contains(&text, renewed, &context);
                    }
                } else {
                    assert_contains(&text, want.outcome[index], &context);
                }
                if outcome != Outcome::Refused {
                    assert_contains(&text, t.granted_for(case_type), &context);
                }
                // Appeal: right, deadline, where to send it, who decides (§§ 28, 29, 32).
                assert_contains(&text, want.appeal_deadline, &context);
                assert_contains(&text, want.appeal_law, &context);
                assert_contains(&text, &decision.appeal.send_to, &context);
                assert_contains(&text, &decision.appeal.appeal_body, &context);
                if case_type == CaseType::Section6Assistance {
                    assert!(
                        text.contains("Statsforvalteren") || text.contains("Statsforvaltaren"),
                        "{context}"
                    );
                    assert_contains(&text, "boligsosialloven § 6", &context);
                }
            }
        }
    }
}

#[test]
fn interim_answers_and_requests_say_why_and_by_when() {
    for language in Language::ALL {
        let (want, t) = (expected(language), texts(language));
        for case_type in CaseType::ALL {
            let context = format!("{language:?} {case_type:?} interim");
            let text = pdf_text(&letter(
                language,
                LetterKind::InterimAnswer,
                case_type,
                Outcome::Granted,
            ));
            assert_common(&text, language, &context);
            assert_contains(&text, t.interim_reason, &context);
            assert_contains(&text, want.interim_expected, &context);
            assert_contains(&text, want.interim_law, &context);

            let context = format!("{language:?} {case_type:?} request");
            let text = pdf_text(&letter(
                language,
                LetterKind::RequestForInformation,
                case_type,
                Outcome::Granted,
            ));
            assert_common(&text, language, &context);
            for item in t.items {
                assert_contains(&text, item, &context);
            }
            assert_contains(&text, want.request_deadline, &context);
            assert_contains(&text, "Postboks 7500, 3008 Drammen", &context);
        }
    }
}

#[test]
fn nynorsk_and_english_letters_name_the_right_appeal_body() {
    let nynorsk = pdf_text(&letter(
        Language::Nn,
        LetterKind::Decision,
        CaseType::Section6Assistance,
        Outcome::Refused,
    ));
    assert_contains(
        &nynorsk,
        "sender vi klagen vidare til Statsforvaltaren i Østfold, Buskerud, Oslo og Akershus",
        "nn",
    );
    assert_contains(
        &nynorsk,
        "Vedtak om hjelp til å skaffe eller behalde ein eigna bustad",
        "nn",
    );
    let english = pdf_text(&letter(
        Language::En,
        LetterKind::Decision,
        CaseType::MunicipalHousing,
        Outcome::Refused,
    ));
    assert_contains(
        &english,
        "we will forward your appeal to the Appeals Board of Drammen municipality",
        "en",
    );
}

#[test]
fn the_pdf_embeds_its_fonts_and_carries_metadata() {
    let pdf = render_pdf(&typical(), &Templates::builtin()).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let catalog = document.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"nb");
    assert!(catalog.get(b"StructTreeRoot").is_ok(), "tagged PDF");
    let info = document
        .trailer
        .get(b"Info")
        .and_then(|info| document.dereference(info))
        .unwrap()
        .1
        .as_dict()
        .unwrap();
    assert_eq!(
        lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap(),
        "Vedtak om kommunal bolig"
    );

    let mut embedded = 0;
    for object in document.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()) {
            assert!(dict.get(b"FontFile2").is_ok(), "every font is embedded");
            embedded += 1;
        }
        if dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Type0".as_slice()) {
            assert!(dict.get(b"ToUnicode").is_ok(), "every font maps to Unicode");
        }
    }
    assert_eq!(embedded, 2, "regular and bold");
    for (_, page) in document.get_pages() {
        let page = document.get_dictionary(page).unwrap();
        let media_box: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        assert_eq!(media_box, [0.0, 0.0, 595.276, 841.89], "A4");
    }
}

#[test]
fn long_reasons_wrap_and_continue_on_the_next_page() {
    let paragraph = "Vi har lagt vekt på at familien har bodd i en trang og fuktig leilighet over lengre tid, og at \
                     legeerklæringen dokumenterer at dette går ut over barnas helse. Kommunen har få boliger med \
                     tre soverom, og ventetiden er lang.";
    let mut letter = typical();
    let mut count = 0;
    let pages = loop {
        count += 1;
        if let Content::Decision(decision) = &mut letter.content {
            decision.reasons = (1..=count)
                .map(|n| format!("{n}. {paragraph}"))
                .collect::<Vec<_>>()
                .join("\n");
        }
        let pdf = render_pdf(&letter, &Templates::builtin()).unwrap();
        let pages = page_texts(&pdf);
        if pages.len() >= 3 {
            break pages;
        }
        assert!(count < 40, "the reasons never reached a third page");
    };
    let last = pages.len();
    assert_contains(&pages[last - 1], &format!("Side {last} av {last}"), "last page");
    assert_contains(&pages[1], &format!("Side 2 av {last}"), "page two");
    // Each page has the header with municipality, reference and date.
    for page in &pages {
        assert_contains(
            page,
            "Drammen kommune Boligtjenesten Vår referanse: 2026/1234 Dato: 4. februar 2026",
            "header",
        );
    }
    // No paragraph is lost at a page break: all of them, whole, in order.
    let all = pages.join(" ");
    let mut from = 0;
    for n in 1..=count {
        let wanted = format!("{n}. {paragraph}")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let at = all[from..]
            .find(&wanted)
            .unwrap_or_else(|| panic!("paragraph {n} is missing or out of order"));
        from += at + wanted.len();
    }
}

#[test]
fn a_two_page_letter_is_numbered_side_2_av_2() {
    let pages = page_texts(&render_pdf(&typical(), &Templates::builtin()).unwrap());
    assert_eq!(pages.len(), 2, "the typical decision fills two pages");
    assert_contains(&pages[0], "Side 1 av 2", "page 1");
    assert_contains(&pages[1], "Side 2 av 2", "page 2");
    let english = letter(
        Language::En,
        LetterKind::Decision,
        CaseType::MunicipalHousing,
        Outcome::Granted,
    );
    let pages = page_texts(&render_pdf(&english, &Templates::builtin()).unwrap());
    assert_contains(pages.last().unwrap(), &format!("Page {0} of {0}", pages.len()), "en");
}

#[test]
fn rendering_is_deterministic() {
    for language in Language::ALL {
        let letter = startlan_with_conditions(language);
        let first = render_pdf(&letter, &Templates::builtin()).unwrap();
        let second = render_pdf(&letter.clone(), &Templates::builtin()).unwrap();
        assert!(first == second, "{language:?} startlån: two renders differ");
    }
    for kind in LetterKind::ALL {
        let letter = letter(Language::Nn, kind, CaseType::Section6Assistance, Outcome::PartlyGranted);
        let first = render_pdf(&letter, &Templates::builtin()).unwrap();
        let second = render_pdf(
            &letter.clone(),
            &Templates::builtin().with_override("0301", "").unwrap(),
        )
        .unwrap();
        assert!(first == second, "{kind:?}: two renders differ");
        assert_eq!(
            render_html(&letter, &Templates::builtin()),
            render_html(&letter, &Templates::builtin())
        );
    }
}

#[test]
fn html_escapes_everything_from_the_input() {
    let mut letter = typical();
    letter.recipient.name = "<script>alert('x')</script> & Co".to_owned();
    let Content::Decision(decision) = &mut letter.content else {
        unreachable!()
    };
    decision.reasons = "Husleien er <b>for høy</b> \"nok\"".to_owned();
    for html in [
        render_html(&letter, &Templates::builtin()).unwrap(),
        render_html_fragment(&letter, &Templates::builtin()).unwrap(),
    ] {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
        assert!(html.contains("Husleien er &lt;b&gt;for høy&lt;/b&gt; &quot;nok&quot;"));
    }
    // The PDF shows the same text literally.
    assert_contains(&pdf_text(&letter), "<script>alert('x')</script> & Co", "pdf");
    assert_contains(&pdf_text(&letter), "Husleien er <b>for høy</b> \"nok\"", "pdf");
}

#[test]
fn html_is_a_document_or_a_fragment_without_styles() {
    let letter = letter(
        Language::Nn,
        LetterKind::Decision,
        CaseType::Section6Assistance,
        Outcome::Granted,
    );
    let html = render_html(&letter, &Templates::builtin()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nn\">"));
    assert!(
        html.contains("<title>Vedtak om hjelp til å skaffe eller behalde ein eigna bustad – Drammen kommune</title>")
    );
    assert!(html.contains("<style>") && !html.contains("<script"));
    assert!(html.contains("<h1>") && html.contains("<h2>Du kan klage</h2>"));
    assert!(html.contains("<time datetime=\"2026-02-04\">4. februar 2026</time>"));

    let fragment = render_html_fragment(&letter, &Templates::builtin()).unwrap();
    assert!(fragment.starts_with("<article class=\"letter\" lang=\"nn\">"));
    for forbidden in ["<html", "<head>", "<style", "style=", "<script"] {
        assert!(!fragment.contains(forbidden), "fragment contains {forbidden}");
    }
    assert!(html.contains(&fragment), "the document wraps the same fragment");
}

#[test]
fn a_municipality_override_replaces_a_text() {
    let templates = Templates::builtin()
        .with_override(
            "3301",
            "[nb.letter]\nclosing = \"Vennlig hilsen\"\n[nb.decision]\noutcome_heading = \"Dette har vi bestemt\"\n",
        )
        .unwrap();
    let letter = typical();
    let html = render_html(&letter, &templates).unwrap();
    assert!(html.contains("Vennlig hilsen") && !html.contains("Med vennlig hilsen"));
    assert!(html.contains("<h2>Dette har vi bestemt</h2>"));
    let pdf = page_texts(&render_pdf(&letter, &templates).unwrap()).join(" ");
    assert_contains(&pdf, "Vennlig hilsen", "pdf");
    assert!(!pdf.contains("Med vennlig hilsen"));

    // Another municipality keeps the built-in text.
    let mut oslo = typical();
    oslo.municipality.municipality_number = "0301".to_owned();
    assert!(render_html(&oslo, &templates).unwrap().contains("Med vennlig hilsen"));
}

#[test]
fn an_override_with_an_unknown_placeholder_is_refused() {
    let err = Templates::builtin()
        .with_override(
            "3301",
            "[nb.letter]\ncontact_text = \"Ring {saksbehandler} på {contact_phone}.\"\n",
        )
        .unwrap_err();
    assert_eq!(err.key, "letter.contact_text");
    assert!(err.problem.contains("unknown placeholder {saksbehandler}"), "{err}");
}

#[test]
fn invalid_letters_are_refused_with_the_field() {
    let refuse = |edit: fn(&mut Letter)| {
        let mut letter = typical();
        edit(&mut letter);
        match render_pdf(&letter, &Templates::builtin()) {
            Err(LetterError::Invalid { field, .. }) => field,
            other => panic!("expected an invalid letter, got {other:?}"),
        }
    };
    assert_eq!(refuse(|l| l.recipient.name = " ".to_owned()), "recipient.name");
    assert_eq!(
        refuse(|l| {
            l.case_type = CaseType::Section6Assistance;
        }),
        "content.appeal.appeal_body",
        "a § 6 appeal must go to Statsforvalteren"
    );
    assert_eq!(
        refuse(|l| {
            if let Content::Decision(d) = &mut l.content {
                d.appeal.deadline_weeks = 2;
            }
        }),
        "content.appeal.deadline_weeks"
    );
    assert_eq!(
        refuse(|l| {
            if let Content::Decision(d) = &mut l.content {
                d.outcome = Outcome::Refused;
            }
        }),
        "content.granted_text"
    );
    assert_eq!(
        refuse(|l| {
            if let Content::Decision(d) = &mut l.content {
                d.reasons = "\n".to_owned();
            }
        }),
        "content.reasons"
    );
}

/// The new case types: the decision's title, the conditions heading, the appeal body and the
/// appeal route's reference to forvaltningsloven § 28 andre ledd, per language.
struct NewCaseTexts {
    titles: [(CaseType, &'static str); 3],
    interim_startlan: &'static str,
    conditions_heading: &'static str,
    granted_label_loan: &'static str,
    municipal_appeal: &'static str,
}

const NEW_CASE_TYPES: [CaseType; 3] = [
    CaseType::Startlan,
    CaseType::EstablishmentGrant,
    CaseType::AdaptationGrant,
];

fn new_case_texts(language: Language) -> NewCaseTexts {
    match language {
        Language::Nb => NewCaseTexts {
            titles: [
                (CaseType::Startlan, "Vedtak om startlån"),
                (
                    CaseType::EstablishmentGrant,
                    "Vedtak om tilskudd til etablering i egen bolig",
                ),
                (CaseType::AdaptationGrant, "Vedtak om tilskudd til tilpasning av bolig"),
            ],
            interim_startlan: "Foreløpig svar på søknaden din om startlån",
            conditions_heading: "Vilkår",
            granted_label_loan: "Lånet du får:",
            municipal_appeal: "som er kommunens klageinstans og avgjør den (forvaltningsloven § 28 andre ledd)",
        },
        Language::Nn => NewCaseTexts {
            titles: [
                (CaseType::Startlan, "Vedtak om startlån"),
                (
                    CaseType::EstablishmentGrant,
                    "Vedtak om tilskot til etablering i eigen bustad",
                ),
                (CaseType::AdaptationGrant, "Vedtak om tilskot til tilpassing av bustad"),
            ],
            interim_startlan: "Førebels svar på søknaden din om startlån",
            conditions_heading: "Vilkår",
            granted_label_loan: "Lånet du får:",
            municipal_appeal: "som er klageinstansen i kommunen og avgjer saka (forvaltningslova § 28 andre ledd)",
        },
        Language::En => NewCaseTexts {
            titles: [
                (CaseType::Startlan, "Decision on a start loan (startlån)"),
                (
                    CaseType::EstablishmentGrant,
                    "Decision on a grant to establish yourself in a home of your own",
                ),
                (CaseType::AdaptationGrant, "Decision on a grant to adapt your home"),
            ],
            interim_startlan: "Interim reply to your application for a start loan (startlån)",
            conditions_heading: "Conditions",
            granted_label_loan: "The loan you are granted:",
            municipal_appeal: "the municipality's appeal body, which will decide it (section 28, second paragraph, of the \
                               Public Administration Act",
        },
    }
}

#[test]
fn a_startlan_decision_lists_its_conditions_after_what_is_granted() {
    for language in Language::ALL {
        let context = format!("{language:?} startlån");
        let (want, t) = (new_case_texts(language), texts(language));
        let letter = startlan_with_conditions(language);
        let text = pdf_text(&letter);
        assert_common(&text, language, &context);
        assert_contains(&text, want.titles[0].1, &context);
        assert_contains(
            &text,
            &format!("{} {}", want.granted_label_loan, t.granted_loan),
            &context,
        );
        let Content::Decision(decision) = &letter.content else {
            unreachable!()
        };
        assert_contains(&text, &decision.appeal.appeal_body, &context);
        assert_contains(&text, &decision.appeal.send_to, &context);
        assert_contains(&text, want.municipal_appeal, &context);
        assert!(!text.contains("Statsforvalt"), "{context}: no state appeal body");

        // The conditions: a heading, then each condition, after what is granted and before the
        // reasons.
        let heading = format!(" {} ", want.conditions_heading);
        let granted_at = text.find(want.granted_label_loan).expect("what is granted");
        let heading_at = granted_at
            + text[granted_at..]
                .find(&heading)
                .unwrap_or_else(|| panic!("{context}: no conditions heading after what is granted in\n{text}"));
        let mut from = heading_at;
        for condition in t.loan_conditions {
            let at = text[from..]
                .find(condition)
                .unwrap_or_else(|| panic!("{context}: {condition:?} missing or out of order in\n{text}"));
            from += at + condition.len();
        }
        assert_contains(&text[from..], t.facts[0], &context);

        // The HTML says the same, as a headed list.
        let html = render_html_fragment(&letter, &Templates::builtin()).unwrap();
        let list = format!(
            "<h3>{}</h3>\n<ul>\n<li>{}</li>\n<li>{}</li>\n</ul>\n",
            want.conditions_heading, t.loan_conditions[0], t.loan_conditions[1]
        );
        assert!(html.contains(&list), "{context}: no conditions list in\n{html}");
        let granted_at = html.find(want.granted_label_loan).expect("what is granted");
        assert!(
            html[granted_at..].contains(&list),
            "{context}: the conditions come after what is granted"
        );
        assert!(html.contains(&format!("<h1>{}</h1>", want.titles[0].1)), "{context}");
    }
}

#[test]
fn without_conditions_there_is_no_conditions_heading() {
    for language in Language::ALL {
        let want = new_case_texts(language);
        for case_type in CaseType::ALL {
            let letter = letter(language, LetterKind::Decision, case_type, Outcome::Granted);
            let html = render_html_fragment(&letter, &Templates::builtin()).unwrap();
            let heading = format!("<h3>{}</h3>", want.conditions_heading);
            assert!(!html.contains(&heading), "{language:?} {case_type:?}");
        }
    }
}

#[test]
fn every_new_case_type_renders_in_every_language_without_open_placeholders() {
    let drammen = Templates::builtin()
        .with_override("3301", include_str!("../../../rules/letters/3301.toml"))
        .unwrap_or_else(|err| panic!("rules/letters/3301.toml: {err}"));
    for language in Language::ALL {
        let want = new_case_texts(language);
        for (case_type, title) in want.titles {
            assert!(NEW_CASE_TYPES.contains(&case_type));
            for kind in LetterKind::ALL {
                for templates in [&Templates::builtin(), &drammen] {
                    let context = format!("{language:?} {case_type:?} {kind:?}");
                    let letter = letter(language, kind, case_type, Outcome::PartlyGranted);
                    render_html(&letter, templates).unwrap_or_else(|err| panic!("{context}: {err}"));
                    let fragment = render_html_fragment(&letter, templates).unwrap();
                    assert!(
                        !fragment.contains('{') && !fragment.contains('}'),
                        "{context}: open placeholder in\n{fragment}"
                    );
                    let text = pdf_text_with(&letter, templates);
                    assert!(!text.contains('{') && !text.contains('}'), "{context}: {text}");
                    match kind {
                        LetterKind::Decision => {
                            assert_contains(&text, title, &context);
                            assert_contains(&text, want.municipal_appeal, &context);
                        }
                        LetterKind::InterimAnswer if case_type == CaseType::Startlan => {
                            assert_contains(&text, want.interim_startlan, &context);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// The PDF's running text with the given templates.
fn pdf_text_with(letter: &Letter, templates: &Templates) -> String {
    let pdf = render_pdf(letter, templates).unwrap_or_else(|err| panic!("{err}"));
    flow_text(&page_texts(&pdf), letter.language)
}

#[test]
fn conditions_are_for_what_is_granted_and_must_say_something() {
    let field = |letter: &Letter| match letter.validate() {
        Err(LetterError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid letter, got {other:?}"),
    };
    for language in Language::ALL {
        let mut refusal = startlan_with_conditions(language);
        if let Content::Decision(decision) = &mut refusal.content {
            decision.outcome = Outcome::Refused;
            decision.granted_text = None;
            decision.valid_until = None;
        }
        assert_eq!(field(&refusal), "content.conditions", "{language:?}");
        assert!(matches!(
            render_pdf(&refusal, &Templates::builtin()),
            Err(LetterError::Invalid {
                field: "content.conditions",
                ..
            })
        ));
        // Without the conditions the same refusal is a valid letter.
        if let Content::Decision(decision) = &mut refusal.content {
            decision.conditions.clear();
        }
        assert_eq!(refusal.validate(), Ok(()));

        let mut blank = startlan_with_conditions(language);
        if let Content::Decision(decision) = &mut blank.content {
            decision.conditions.push(" \n".to_owned());
        }
        assert_eq!(field(&blank), "content.conditions", "{language:?}");
    }
    // Startlån and the grants are appealed to the municipality's own appeal body: the letter
    // need not name Statsforvalteren (only a § 6 decision must).
    for case_type in NEW_CASE_TYPES {
        let letter = letter(Language::Nb, LetterKind::Decision, case_type, Outcome::Refused);
        assert_eq!(letter.validate(), Ok(()), "{case_type:?}");
    }
}

#[test]
fn a_character_the_font_lacks_is_an_error_not_a_box() {
    let mut letter = typical();
    letter.recipient.name = "王 Ødegård".to_owned();
    assert_eq!(
        render_pdf(&letter, &Templates::builtin()),
        Err(LetterError::MissingGlyph { character: '王' })
    );
    // Sámi, Polish and Vietnamese names are covered.
    letter.recipient.name = "Áilu Đuđđu Łukasz Nguyễn".to_owned();
    assert_contains(&pdf_text(&letter), "Áilu Đuđđu Łukasz Nguyễn", "names");
}

/// `HUSLY_LETTER_SAMPLES=dir cargo test -p husly-letters --test letters samples` writes every
/// sample as PDF and HTML for a look.
#[test]
fn samples() {
    let Some(dir) = std::env::var_os("HUSLY_LETTER_SAMPLES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for language in Language::ALL {
        for kind in LetterKind::ALL {
            for case_type in CaseType::ALL {
                let letter = letter(language, kind, case_type, Outcome::PartlyGranted);
                let name = format!("{}-{kind:?}-{case_type:?}", language.code());
                std::fs::write(
                    dir.join(format!("{name}.pdf")),
                    render_pdf(&letter, &Templates::builtin()).unwrap(),
                )
                .unwrap();
                std::fs::write(
                    dir.join(format!("{name}.html")),
                    render_html(&letter, &Templates::builtin()).unwrap(),
                )
                .unwrap();
            }
        }
    }
}

#[test]
fn a_report_is_printed_by_the_letters_machinery_over_as_many_pages_as_it_needs() {
    let report = Report {
        language: Language::Nb,
        date: time::macros::date!(2026 - 12 - 02),
        title: "Innsyn i tilgangsloggen: Kari Nordmann".into(),
        municipality: "Drammen kommune".into(),
        unit: "Boligtjenesten".into(),
        meta: vec![("Laget".into(), "02.12.2026".into())],
        sections: vec![ReportSection {
            heading: "Oppslag".into(),
            paragraphs: vec!["Nyeste først.".into()],
            items: (0..120).map(|i| format!("Oppslag nummer {i}")).collect(),
            charts: Vec::new(),
        }],
        footer: vec!["Husly".into()],
        page_number: "Side {page} av {pages}".into(),
    };
    let pdf = render_report_pdf(&report).unwrap();
    assert_eq!(
        pdf,
        render_report_pdf(&report).unwrap(),
        "the same report gives the same bytes"
    );
    let pages = page_texts(&pdf);
    assert!(pages.len() >= 2, "120 items take more than one page: {}", pages.len());
    let all = pages.join(" ");
    for wanted in [
        "Innsyn i tilgangsloggen",
        "Oppslag nummer 0",
        "Oppslag nummer 119",
        "Side 1 av",
    ] {
        assert!(all.contains(wanted), "{wanted} missing");
    }
}

fn status_chart(title: &str, description: &str, points: Vec<(i32, i64)>) -> ReportChart {
    ReportChart {
        title: title.into(),
        description: description.into(),
        first_year: 2020,
        last_year: 2028,
        points,
        baseline: (2020, 4_000),
        target: (2028, 2_000),
        ticks: (0..=5).map(|i| (i * 1_000, format!("{},0", i * 10))).collect(),
        legend: ["Verdi".into(), "Utgangspunkt 2020".into(), "Mål 2028".into()],
    }
}

fn status_report(charts: Vec<ReportChart>) -> Report {
    Report {
        language: Language::Nb,
        date: time::macros::date!(2026 - 12 - 02),
        title: "Boligsosial handlingsplan: status 2026".into(),
        municipality: "Drammen kommune".into(),
        unit: "Boligtjenesten".into(),
        meta: vec![("Laget".into(), "02.12.2026".into())],
        sections: vec![ReportSection {
            heading: "Mål 1: Kortere ventetid".into(),
            paragraphs: vec!["Tallene er hentet fra saksbehandlingen.".into()],
            items: vec!["Ventetid og midlertidig bolig".into()],
            charts,
        }],
        footer: vec!["Husly".into()],
        page_number: "Side {page} av {pages}".into(),
    }
}

#[test]
fn a_status_report_draws_its_charts_with_extractable_labels_tagged_as_figures() {
    let report = status_report(vec![
        status_chart(
            "Ventetid i uker",
            "Ventetiden har gått ned fra 40 uker i 2020 til 28 uker i 2025. Målet er 20 uker i 2028.",
            vec![
                (2020, 4_000),
                (2021, 3_600),
                (2023, 3_100),
                (2024, 2_900),
                (2025, 2_800),
            ],
        ),
        status_chart(
            "Husstander i midlertidig bolig",
            "Tallet har ligget mellom 30 og 35 siden 2020. Målet er 20 i 2028.",
            vec![(2020, 3_500), (2021, 3_300), (2022, 3_000)],
        ),
    ]);
    let pdf = render_report_pdf(&report).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        pdf,
        render_report_pdf(&report).unwrap(),
        "the same report gives the same bytes"
    );

    let all = page_texts(&pdf).join(" ");
    for wanted in [
        "Ventetid i uker",
        "Husstander i midlertidig bolig",
        // Grid labels as the caller wrote them, years, the legend.
        "0,0",
        "20,0",
        "50,0",
        "2020",
        "2024",
        "2028",
        "Verdi",
        "Utgangspunkt 2020",
        "Mål 2028",
    ] {
        assert!(all.contains(wanted), "{wanted:?} missing in {all}");
    }
    // The labels stand where the chart stands, also for a reader that ignores the tags.
    let at = |wanted: &str| all.find(wanted).unwrap();
    assert!(at("Ventetid i uker") < at("Verdi"), "{all}");
    assert!(at("Verdi") < at("Husstander i midlertidig bolig"), "{all}");
    assert!(
        at("Husstander i midlertidig bolig") < all.rfind("Mål 2028").unwrap(),
        "{all}"
    );
    assert!(all.rfind("Mål 2028").unwrap() < at("Side 1 av 1"), "{all}");

    // Each chart is a Figure whose Alt text is its description, with content on a page and a box.
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let mut figures = Vec::new();
    for object in document.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"S").and_then(|s| s.as_name()).ok() != Some(b"Figure".as_slice()) {
            continue;
        }
        let alt = lopdf::decode_text_string(dict.get(b"Alt").expect("a figure has Alt text")).unwrap();
        let kids = dict.get(b"K").unwrap().as_array().unwrap();
        assert!(!kids.is_empty(), "{alt}: the drawing is the figure's content");
        let attributes = dict.get(b"A").unwrap().as_array().unwrap()[0].as_dict().unwrap();
        assert_eq!(attributes.get(b"O").unwrap().as_name().unwrap(), b"Layout");
        assert_eq!(attributes.get(b"BBox").unwrap().as_array().unwrap().len(), 4);
        figures.push(alt);
    }
    figures.sort();
    assert_eq!(
        figures,
        [
            "Tallet har ligget mellom 30 og 35 siden 2020. Målet er 20 i 2028.",
            "Ventetiden har gått ned fra 40 uker i 2020 til 28 uker i 2025. Målet er 20 uker i 2028.",
        ]
    );

    // The marks are vector paths in the charts' colours: the series blue, the target brown, a
    // dashed line from baseline to target, and curves for the dots.
    let mut content = Vec::new();
    for (_, page) in document.get_pages() {
        content.extend(document.get_page_content(page));
    }
    let content = String::from_utf8_lossy(&content);
    for wanted in [
        "0.11764706 0.30980393 0.5411765 RG",
        "0.5411765 0.27450982 0 rg",
        "[4.5 3] 0 d",
        " c\n",
    ] {
        assert!(content.contains(wanted), "{wanted:?} not drawn");
    }
}

#[test]
fn a_chart_whose_grid_does_not_cover_its_values_is_refused() {
    let mut chart = status_chart("Ventetid", "Ventetiden.", vec![(2020, 6_000)]);
    let report = status_report(vec![chart.clone()]);
    assert!(matches!(
        render_report_pdf(&report),
        Err(LetterError::Invalid {
            field: "chart.ticks",
            ..
        })
    ));
    chart.points = vec![(2019, 3_000)];
    let report = status_report(vec![chart]);
    assert!(matches!(
        render_report_pdf(&report),
        Err(LetterError::Invalid {
            field: "chart.points",
            ..
        })
    ));
}

/// Boligsosialloven § 6: a refused application for a municipal dwelling tells the household what
/// the assessment of its § 6 needs found, under its own heading, in each language; a grant may
/// not carry such a finding.
#[test]
fn a_refusal_says_what_the_assessment_of_section6_needs_found() {
    let wanted = [
        (
            Language::Nb,
            "Behov for bistand etter boligsosialloven § 6",
            "Vi har kommet til at du ikke har behov for slik bistand nå.",
        ),
        (
            Language::Nn,
            "Behov for bistand etter bustadsosiallova § 6",
            "Vi har kome til at du ikkje har behov for slik bistand no.",
        ),
        (
            Language::En,
            "Need for assistance under the Social Housing Act § 6",
            "We have concluded that you do not need such assistance now.",
        ),
    ];
    for (language, heading, finding) in wanted {
        let mut refusal = letter(
            language,
            LetterKind::Decision,
            CaseType::MunicipalHousing,
            Outcome::Refused,
        );
        let Content::Decision(decision) = &mut refusal.content else {
            unreachable!()
        };
        decision.section6 = Some(Section6Finding::NoNeed);
        let html = render_html(&refusal, &Templates::builtin()).unwrap();
        assert!(
            html.contains(heading) && html.contains(finding),
            "{language:?}:\n{html}"
        );
        let text = flow_text(
            &page_texts(&render_pdf(&refusal, &Templates::builtin()).unwrap()),
            language,
        );
        assert!(text.contains(finding), "{language:?} PDF");
        let mut grant = letter(
            language,
            LetterKind::Decision,
            CaseType::MunicipalHousing,
            Outcome::Granted,
        );
        let Content::Decision(decision) = &mut grant.content else {
            unreachable!()
        };
        decision.section6 = Some(Section6Finding::NoNeed);
        assert!(matches!(
            grant.validate(),
            Err(LetterError::Invalid {
                field: "content.section6",
                ..
            })
        ));
    }
}

/// Forvaltningsloven § 12: a letter to a fullmektig or a verge is addressed to them, says first
/// whom it is about, and ends with the copy to the party when the party gets one.
#[test]
fn a_letter_to_a_representative_says_whom_it_is_about_and_who_gets_a_copy() {
    let wanted = [
        (
            Language::Nb,
            RepresentativeRole::Fullmektig,
            "Du får dette brevet som fullmektig for Åse Ødegård Hæhre (forvaltningsloven § 12).",
            Some("Kopi til: Åse Ødegård Hæhre"),
        ),
        (
            Language::Nn,
            RepresentativeRole::Verge,
            "Du får dette brevet som verje for Åse Ødegård Hæhre.",
            None,
        ),
        (
            Language::En,
            RepresentativeRole::Fullmektig,
            "You receive this letter as the authorised representative of Åse Ødegård Hæhre",
            Some("Copy to: Åse Ødegård Hæhre"),
        ),
    ];
    for kind in [
        LetterKind::Decision,
        LetterKind::InterimAnswer,
        LetterKind::RequestForInformation,
    ] {
        for (language, role, opening, copy) in wanted {
            let mut to_representative = letter(language, kind, CaseType::MunicipalHousing, Outcome::Refused);
            to_representative.recipient = Recipient {
                name: "Advokat Tone Tillit".to_owned(),
                address_lines: vec!["Postboks 12".to_owned(), "3001 Drammen".to_owned()],
            };
            to_representative.representation = Some(Representation {
                role,
                party_name: "Åse Ødegård Hæhre".to_owned(),
                copy_to_party: copy.is_some(),
            });
            let context = format!("{language:?} {kind:?}");
            let text = pdf_text(&to_representative);
            assert_contains(&text, "Advokat Tone Tillit Postboks 12 3001 Drammen", &context);
            assert_contains(&text, opening, &context);
            let html = render_html(&to_representative, &Templates::builtin()).unwrap();
            let first_paragraph = html.split("<p>").nth(1).unwrap_or_default();
            assert!(
                first_paragraph.contains("Åse Ødegård Hæhre"),
                "{context}: {first_paragraph}"
            );
            match copy {
                Some(copy) => {
                    assert_contains(&text, copy, &context);
                    assert!(
                        text.trim_end().ends_with(copy),
                        "{context}: the copy line closes the letter"
                    );
                }
                None => assert!(!text.contains("Kopi til"), "{context}"),
            }
        }
    }
    let mut unnamed = typical();
    unnamed.representation = Some(Representation {
        role: RepresentativeRole::Verge,
        party_name: " ".to_owned(),
        copy_to_party: false,
    });
    assert!(matches!(
        unnamed.validate(),
        Err(LetterError::Invalid {
            field: "representation.party_name",
            ..
        })
    ));
}

/// An applicant who applied online is told the request can be answered on the status page, and
/// that the post still works; one who did not is told the post only.
#[test]
fn a_request_to_an_online_applicant_says_where_to_answer_online() {
    let online = [
        (
            Language::Nb,
            "Du kan laste opp dokumentene og skrive til oss på siden der du følger søknaden din",
        ),
        (
            Language::Nn,
            "Du kan laste opp dokumenta og skrive til oss på sida der du følgjer søknaden din",
        ),
        (
            Language::En,
            "You can upload the documents and write to us on the page where you follow your application",
        ),
    ];
    for (language, wanted) in online {
        let mut request = letter(
            language,
            LetterKind::RequestForInformation,
            CaseType::MunicipalHousing,
            Outcome::Granted,
        );
        assert!(!pdf_text(&request).contains(wanted), "{language:?}: post only");
        let Content::RequestForInformation(content) = &mut request.content else {
            unreachable!()
        };
        content.reply_online = true;
        let text = pdf_text(&request);
        assert_contains(&text, wanted, &format!("{language:?}"));
        assert_contains(&text, "Postboks 7500", &format!("{language:?}: the post still works"));
    }
}
