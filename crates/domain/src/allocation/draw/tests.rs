use super::*;
use proptest::prelude::*;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Seed 00 01 02 … 1f.
fn counting_seed() -> Seed {
    Seed(std::array::from_fn(|i| i as u8))
}

/// The expected values come from Python's standard library, independently of this code:
///
/// ```python
/// import hashlib, hmac
/// seed = bytes(range(32))
/// entries = sorted(["H-0001", "H-0002", "H-0003", "H-0004", "H-0005", "Ærlig-7"])
/// hashlib.sha256(seed).hexdigest()
/// hashlib.sha256("\n".join(entries).encode()).hexdigest()
/// sorted(entries, key=lambda e: (hmac.new(seed, e.encode(), hashlib.sha256).digest(), e.encode()))
/// hmac.new(seed, b"H-0001", hashlib.sha256).hexdigest()
/// ```
#[test]
fn known_vectors_from_python() {
    let seed = counting_seed();
    assert_eq!(
        seed.to_hex(),
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    );
    assert_eq!(
        commit(&seed),
        "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
    );
    let entries = freeze(ids(&["Ærlig-7", "H-0003", "H-0001", "H-0004", "H-0002", "H-0005"])).unwrap();
    assert_eq!(
        entries,
        ids(&["H-0001", "H-0002", "H-0003", "H-0004", "H-0005", "Ærlig-7"])
    );
    assert_eq!(
        input_hash(&entries),
        "70363a991c54a78f784905e75c30c91305a67585b8edd2d731e2c8ad57333dae"
    );
    assert_eq!(
        hex::encode(draw_key(&seed, "H-0001")),
        "6983fac909863d90b9982a60db76f8920c60ac007f071de704aa2a7b5799c264"
    );
    assert_eq!(
        draw(&seed, &entries),
        ids(&["Ærlig-7", "H-0003", "H-0001", "H-0004", "H-0005", "H-0002"])
    );
}

fn published() -> PublishedDraw {
    PublishedDraw::new(counting_seed(), ids(&["H-0003", "H-0001", "H-0002", "Ærlig-7"])).unwrap()
}

#[test]
fn a_published_draw_verifies_and_survives_json() {
    let draw = published();
    assert_eq!(verify(&draw), Ok(()));
    let json = serde_json::to_string(&draw).unwrap();
    assert!(json.contains("\"seed\":\"000102"), "{json}");
    let back: PublishedDraw = serde_json::from_str(&json).unwrap();
    assert_eq!(back, draw);
}

#[test]
fn tampering_with_any_field_is_detected() {
    let good = published();

    let mut other_seed = good.clone();
    other_seed.seed.0[31] ^= 1;
    assert!(matches!(verify(&other_seed), Err(DrawMismatch::Commitment { .. })));

    let mut commitment = good.clone();
    commitment.commitment = commit(&Seed([9; 32]));
    assert_eq!(
        verify(&commitment),
        Err(DrawMismatch::Commitment {
            published: commit(&Seed([9; 32])),
            computed: good.commitment.clone()
        })
    );

    let mut hash = good.clone();
    hash.input_hash = "00".repeat(32);
    assert!(matches!(verify(&hash), Err(DrawMismatch::InputHash { .. })));

    // An entry added after the freeze changes the input hash.
    let mut added = good.clone();
    added.entries.push("H-9999".into());
    assert!(matches!(verify(&added), Err(DrawMismatch::InputHash { .. })));

    // Entries reordered and the hash recomputed to match: not the canonical list.
    let mut unsorted = good.clone();
    unsorted.entries.swap(0, 1);
    unsorted.input_hash = input_hash(&unsorted.entries);
    assert_eq!(
        verify(&unsorted),
        Err(DrawMismatch::Entries {
            position: 1,
            problem: EntryProblem::NotSorted
        })
    );

    let mut swapped = good.clone();
    swapped.order.swap(1, 2);
    assert_eq!(
        verify(&swapped),
        Err(DrawMismatch::Order {
            position: 1,
            published: good.order[2].clone(),
            computed: good.order[1].clone()
        })
    );

    let mut shorter = good.clone();
    shorter.order.pop();
    assert_eq!(
        verify(&shorter),
        Err(DrawMismatch::OrderLength {
            published: 3,
            computed: 4
        })
    );
}

#[test]
fn entries_that_cannot_be_frozen_are_refused() {
    assert_eq!(freeze(ids(&["a", ""])), Err(EntryError::Empty { position: 1 }));
    assert_eq!(freeze(ids(&["a\nb"])), Err(EntryError::LineBreak { position: 0 }));
    assert_eq!(
        freeze(ids(&["b", "a", "b"])),
        Err(EntryError::Duplicate {
            position: 2,
            id: "b".into()
        })
    );
}

#[test]
fn a_seed_must_be_64_hex_digits() {
    assert!(Seed::from_hex("zz").unwrap_err().contains("not hex"));
    assert!(Seed::from_hex("0011").unwrap_err().contains("2 bytes"));
    let error = serde_json::from_str::<Seed>("\"abcd\"").unwrap_err().to_string();
    assert!(error.contains("not 32"), "{error}");
}

proptest! {
    #[test]
    fn the_order_is_a_deterministic_permutation(
        seed in any::<[u8; 32]>(),
        raw in proptest::collection::btree_set("[A-Za-zæøå0-9-]{1,12}", 0..40),
    ) {
        let seed = Seed(seed);
        let entries = freeze(raw.iter().cloned().rev()).unwrap();
        let order = draw(&seed, &entries);
        let mut sorted = order.clone();
        sorted.sort();
        prop_assert_eq!(&sorted, &entries);
        prop_assert_eq!(&draw(&seed, &entries), &order);
        let published = PublishedDraw::new(seed, raw.iter().cloned()).unwrap();
        prop_assert_eq!(&published.order, &order);
        prop_assert_eq!(verify(&published), Ok(()));
    }
}
