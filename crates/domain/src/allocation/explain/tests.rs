use super::*;
use crate::allocation::fixtures::*;
use crate::allocation::priority::{peer_positions, rank};
use crate::cases::{CurrentHousing, Reason};
use crate::message::Arg;
use time::macros::date;

fn text(m: &Message, name: &str) -> String {
    match m.args.iter().find(|(n, _)| *n == name) {
        Some((_, Arg::Text(t))) => t.clone(),
        other => panic!("{name} in {}: {other:?}", m.key),
    }
}

fn keys(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.key.as_ref()).collect()
}

#[test]
fn a_homeless_family_reads_its_points_position_and_what_would_change() {
    let p = PriorityPolicy::embedded();
    let family = approved(
        housed(with_children(single("family"), &[2]), CurrentHousing::Homeless),
        date!(2025 - 07 - 15),
    );
    let others = [
        because(single("a"), &[Reason::Economy]),
        with_children(single("b"), &[5, 6, 7]),
        approved(
            housed(with_children(single("c"), &[1]), CurrentHousing::Homeless),
            date!(2024 - 01 - 01),
        ),
    ];
    let households: Vec<_> = std::iter::once(family).chain(others).collect();
    let ranking = rank(p, &households, TODAY, None);
    let peers = peer_positions(p, &households, &ranking);
    let messages = explain(p, &ranking, "family", &peers["family"], Lang::Nb).unwrap();

    assert_eq!(messages[0].key, "allocation.explain.total");
    assert_eq!(text(&messages[0], "points"), (200 + 100 + 20 + 20).to_string());
    let criteria: Vec<_> = messages
        .iter()
        .filter(|m| m.key == "allocation.explain.criterion")
        .map(|m| text(m, "title"))
        .collect();
    assert_eq!(
        criteria,
        [
            "Bostedsløse barnefamilier",
            "Barnefamilier",
            "Vanskelig sosial situasjon"
        ]
    );
    let waiting = messages.iter().find(|m| m.key == "allocation.explain.waiting").unwrap();
    assert_eq!(
        (text(waiting, "points"), text(waiting, "months"), text(waiting, "max")),
        ("20".into(), "20".into(), "36".into())
    );

    let overall = messages
        .iter()
        .find(|m| m.key == "allocation.explain.position_overall")
        .unwrap();
    assert_eq!(
        (text(overall, "position"), text(overall, "of")),
        ("2".into(), "4".into())
    );
    // Among ordinary dwellings with 2–3 bedrooms all compete: "c" (2–3, ahead), "b" (3–4) and
    // the single adult "a" (0–2).
    let ordinary = messages
        .iter()
        .find(|m| {
            m.key == "allocation.explain.position"
                && m.args
                    .contains(&("type", Arg::Key("dwelling.type.ordinary_rental".into())))
        })
        .unwrap();
    assert_eq!(
        (
            text(ordinary, "bedrooms"),
            text(ordinary, "position"),
            text(ordinary, "of")
        ),
        ("2–3".into(), "2".into(), "4".into())
    );
    let gap = messages.iter().find(|m| m.key == "allocation.explain.gap").unwrap();
    assert_eq!(text(gap, "gap"), "16");
    let more = messages
        .iter()
        .find(|m| m.key == "allocation.explain.more_waiting")
        .unwrap();
    assert_eq!(text(more, "per_month"), "1");
    assert!(!keys(&messages).contains(&"allocation.explain.same_points"));
    assert_eq!(messages.last().unwrap().key, "allocation.explain.policy");

    // The titles follow the reader's language.
    let en = explain(p, &ranking, "family", &peers["family"], Lang::En).unwrap();
    assert!(
        en.iter()
            .any(|m| m.key == "allocation.explain.criterion" && text(m, "title") == "Homeless families with children")
    );
    assert!(explain(p, &ranking, "nobody", &[], Lang::Nb).is_none());
}

#[test]
fn a_capped_waiting_time_and_an_unresolved_tie_are_said_plainly() {
    let p = PriorityPolicy::embedded();
    let households = [
        approved(single("a"), date!(2020 - 01 - 01)),
        approved(single("b"), date!(2020 - 01 - 01)),
    ];
    let ranking = rank(p, &households, TODAY, None);
    let messages = explain(p, &ranking, "a", &[], Lang::Nb).unwrap();
    let k = keys(&messages);
    assert!(k.contains(&"allocation.explain.no_criteria"));
    assert!(k.contains(&"allocation.explain.waiting_capped"));
    assert!(!k.contains(&"allocation.explain.more_waiting"));
    assert!(k.contains(&"allocation.explain.tie.approval_date"));
    assert!(k.contains(&"allocation.explain.tie.draw"));
    assert!(k.contains(&"allocation.explain.same_points_one"));
    assert!(k.contains(&"allocation.explain.tie_unresolved_one"));
    let three = [
        approved(single("c"), date!(2020 - 01 - 01)),
        households[0].clone(),
        households[1].clone(),
    ];
    let ranking = rank(p, &three, TODAY, None);
    let messages = explain(p, &ranking, "a", &[], Lang::Nb).unwrap();
    let unresolved = messages
        .iter()
        .find(|m| m.key == "allocation.explain.tie_unresolved")
        .unwrap();
    assert_eq!(text(unresolved, "others"), "2");
}

#[test]
fn a_new_household_and_a_studio_range_use_their_own_sentences() {
    let p = PriorityPolicy::embedded();
    let households = [approved(single("new"), date!(2027 - 03 - 01))];
    let ranking = rank(p, &households, TODAY, None);
    let peers = peer_positions(p, &households, &ranking);
    let messages = explain(p, &ranking, "new", &peers["new"], Lang::Nb).unwrap();
    let k = keys(&messages);
    assert!(k.contains(&"allocation.explain.waiting_none"));
    assert!(k.contains(&"allocation.explain.position_up_to"));
    assert!(!k.contains(&"allocation.explain.gap"));
}
