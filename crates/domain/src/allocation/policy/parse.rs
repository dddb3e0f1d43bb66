//! Reading a policy's TOML text field by field, so every error names its path
//! (`criteria[2].when.all[1]`) and a leader editing the policy sees every problem at once.

use std::collections::BTreeSet;

use toml::{Table, Value};

use super::{
    Access, BedroomRule, Condition, Criterion, Fact, MAX_CONDITION_DEPTH, MAX_CRITERIA, MAX_CRITERION_POINTS,
    MAX_POINTS_PER_MONTH, MAX_POLICY_BYTES, MAX_WAITING_POINTS, OfferRules, PriorityPolicy, Provenance, TieBreaker,
    WaitingTime, canonical,
};
use crate::allocation::dwelling::DwellingType;
use crate::allocation::offer::DeclineReason;
use crate::cases::{CurrentHousing, Reason};
use crate::eligibility::Text;
use crate::kostra::KostraCategory;
use crate::message::shorten;
use crate::rules::Source;
use crate::validation::{FieldError, MAX_TEXT_LEN};

const TOP: &[&str] = &[
    "version",
    "municipality",
    "effective_from",
    "cited_as",
    "sources",
    "criteria",
    "waiting_time",
    "tie_breakers",
    "bedrooms",
    "dwelling_types",
    "offers",
];
const PROVENANCE: &[&str] = &["source", "unverified", "note"];
const CONDITION_KEYS: &[&str] = &[
    "all",
    "any",
    "not",
    "reason",
    "kostra",
    "housing",
    "children_at_least",
    "adults_at_least",
    "main_applicant_age",
];
/// Longest version label and id.
const MAX_LABEL: usize = 50;
/// Largest count a condition may ask for.
const MAX_COUNT: i64 = 20;
const MAX_AGE: i64 = 120;

pub(super) fn parse(text: &str) -> Result<PriorityPolicy, Vec<FieldError>> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(vec![FieldError::too_long("policy", MAX_POLICY_BYTES)]);
    }
    let root: Table = match toml::from_str(text) {
        Ok(root) => root,
        Err(error) => {
            let (line, column) = error.span().map(|s| line_column(text, s.start)).unwrap_or((1, 1));
            return Err(vec![
                FieldError::new(format!("line {line}"), "policy_syntax", "error.policy.syntax")
                    .arg("line", line)
                    .arg("column", column),
            ]);
        }
    };
    let mut p = Parser::default();
    p.known(&root, "", TOP);

    let version = p.label(&root, "", "version");
    let municipality = p.string(&root, "", "municipality", true);
    if let Some(number) = &municipality
        && !(number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit()))
    {
        p.push(FieldError::new(
            "municipality",
            "policy_municipality",
            "error.policy.municipality",
        ));
    }
    let effective_from = p.date(&root, "effective_from");
    let cited_as = p.string(&root, "", "cited_as", true);
    let sources = p.sources(&root);
    let source_ids: BTreeSet<String> = sources.iter().map(|s| s.id.clone()).collect();
    p.source_ids = source_ids;

    let criteria = p.criteria(&root);
    let waiting_time = p.waiting_time(&root);
    let tie_breakers = p.tie_breakers(&root);
    let bedrooms = p.bedrooms(&root);
    let dwelling_types = p.dwelling_types(&root);
    let offers = p.offers(&root);

    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    // Every field was checked above; a `None` here means an error was pushed.
    Ok(PriorityPolicy {
        version: version.expect("checked"),
        municipality: municipality.expect("checked"),
        effective_from: effective_from.expect("checked"),
        cited_as: cited_as.expect("checked"),
        sources,
        criteria,
        waiting_time: waiting_time.expect("checked"),
        tie_breakers,
        bedrooms: bedrooms.expect("checked"),
        dwelling_types: dwelling_types.expect("checked"),
        offers: offers.expect("checked"),
        canonical: canonical(text),
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

#[derive(Default)]
struct Parser {
    errors: Vec<FieldError>,
    source_ids: BTreeSet<String>,
}

/// The kind of value a field expects, as a catalogue key for the error.
fn kind_key(kind: &str) -> &'static str {
    match kind {
        "text" => "allocation.kind.text",
        "number" => "allocation.kind.number",
        "yes_no" => "allocation.kind.yes_no",
        "list" => "allocation.kind.list",
        "table" => "allocation.kind.table",
        _ => "allocation.kind.condition",
    }
}

impl Parser {
    fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    fn wrong_type(&mut self, path: &str, kind: &str) {
        self.push(
            FieldError::new(path, "policy_wrong_type", "error.policy.wrong_type").arg_key("expected", kind_key(kind)),
        );
    }

    fn known(&mut self, table: &Table, prefix: &str, allowed: &[&str]) {
        for key in table.keys() {
            if !allowed.contains(&key.as_str()) {
                self.push(
                    FieldError::new(join(prefix, key), "policy_unknown_field", "error.policy.unknown_field")
                        .arg("name", shorten(key))
                        .arg("allowed", allowed.join(", ")),
                );
            }
        }
    }

    fn string(&mut self, table: &Table, prefix: &str, key: &str, required: bool) -> Option<String> {
        let path = join(prefix, key);
        match table.get(key) {
            None if required => {
                self.push(FieldError::required(path));
                None
            }
            None => None,
            Some(Value::String(s)) if s.trim().is_empty() && required => {
                self.push(FieldError::required(path));
                None
            }
            Some(Value::String(s)) if s.chars().count() > MAX_TEXT_LEN * 5 => {
                self.push(FieldError::too_long(path, MAX_TEXT_LEN * 5));
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(_) => {
                self.wrong_type(&path, "text");
                None
            }
        }
    }

    /// A short label: the version or an id.
    fn label(&mut self, table: &Table, prefix: &str, key: &str) -> Option<String> {
        let value = self.string(table, prefix, key, true)?;
        if value.chars().count() > MAX_LABEL {
            self.push(FieldError::too_long(join(prefix, key), MAX_LABEL));
            return None;
        }
        Some(value)
    }

    fn id(&mut self, table: &Table, prefix: &str) -> Option<String> {
        let id = self.label(table, prefix, "id")?;
        if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            self.push(FieldError::new(join(prefix, "id"), "policy_id", "error.policy.id"));
            return None;
        }
        Some(id)
    }

    fn bool(&mut self, table: &Table, prefix: &str, key: &str) -> bool {
        match table.get(key) {
            None => false,
            Some(Value::Boolean(b)) => *b,
            Some(_) => {
                self.wrong_type(&join(prefix, key), "yes_no");
                false
            }
        }
    }

    fn number(&mut self, table: &Table, prefix: &str, key: &str, min: i64, max: i64) -> Option<u32> {
        let path = join(prefix, key);
        match table.get(key) {
            None => {
                self.push(FieldError::required(path));
                None
            }
            Some(Value::Integer(n)) => self.in_range(&path, *n, min, max),
            Some(_) => {
                self.wrong_type(&path, "number");
                None
            }
        }
    }

    fn in_range(&mut self, path: &str, n: i64, min: i64, max: i64) -> Option<u32> {
        if (min..=max).contains(&n) {
            u32::try_from(n).ok()
        } else {
            self.push(
                FieldError::new(path, "out_of_range", "error.out_of_range")
                    .arg("min", min)
                    .arg("max", max),
            );
            None
        }
    }

    fn date(&mut self, table: &Table, key: &str) -> Option<time::Date> {
        let parsed = match table.get(key) {
            None => {
                self.push(FieldError::new(
                    key,
                    "policy_effective_from",
                    "error.policy.effective_from",
                ));
                return None;
            }
            Some(Value::Datetime(dt)) if dt.time.is_none() && dt.offset.is_none() => dt.date.and_then(|d| {
                time::Month::try_from(d.month)
                    .ok()
                    .and_then(|m| time::Date::from_calendar_date(i32::from(d.year), m, d.day).ok())
            }),
            Some(Value::String(s)) => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                time::Date::parse(s.trim(), format).ok()
            }
            Some(_) => None,
        };
        if parsed.is_none() {
            self.push(FieldError::new(key, "policy_date", "error.policy.date"));
        }
        parsed
    }

    fn table<'a>(&mut self, value: Option<&'a Value>, path: &str) -> Option<&'a Table> {
        match value {
            None => {
                self.push(FieldError::required(path));
                None
            }
            Some(Value::Table(t)) => Some(t),
            Some(_) => {
                self.wrong_type(path, "table");
                None
            }
        }
    }

    fn array<'a>(&mut self, value: Option<&'a Value>, path: &str) -> Option<&'a [Value]> {
        match value {
            None => {
                self.push(FieldError::required(path));
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(_) => {
                self.wrong_type(path, "list");
                None
            }
        }
    }

    fn sources(&mut self, root: &Table) -> Vec<Source> {
        let mut sources = Vec::new();
        let Some(items) = self.array(root.get("sources"), "sources") else {
            return sources;
        };
        if items.is_empty() {
            self.push(FieldError::new("sources", "policy_empty", "error.policy.empty"));
        }
        for (i, item) in items.iter().enumerate() {
            let path = format!("sources[{i}]");
            let Some(t) = self.table(Some(item), &path) else {
                continue;
            };
            self.known(t, &path, &["id", "title", "url", "cited_as"]);
            let id = self.id(t, &path);
            let title = self.string(t, &path, "title", true);
            let url = self.string(t, &path, "url", false);
            let cited_as = self.string(t, &path, "cited_as", false);
            if let Some(id) = &id
                && sources.iter().any(|s: &Source| &s.id == id)
            {
                self.duplicate(&join(&path, "id"), id);
                continue;
            }
            if let (Some(id), Some(title)) = (id, title) {
                sources.push(Source {
                    id,
                    title,
                    url,
                    cited_as,
                });
            }
        }
        sources
    }

    fn duplicate(&mut self, path: &str, value: &str) {
        self.push(FieldError::new(path, "policy_duplicate", "error.policy.duplicate").arg("value", shorten(value)));
    }

    fn provenance(&mut self, t: &Table, prefix: &str) -> Option<Provenance> {
        let source = self.string(t, prefix, "source", true);
        if let Some(id) = &source
            && !self.source_ids.contains(id)
        {
            self.push(
                FieldError::new(
                    join(prefix, "source"),
                    "policy_unknown_source",
                    "error.policy.unknown_source",
                )
                .arg("value", shorten(id)),
            );
            return None;
        }
        let unverified = self.bool(t, prefix, "unverified");
        let note = self.string(t, prefix, "note", false);
        Some(Provenance {
            source: source?,
            unverified,
            note,
        })
    }

    fn criteria(&mut self, root: &Table) -> Vec<Criterion> {
        let mut criteria: Vec<Criterion> = Vec::new();
        let Some(items) = self.array(root.get("criteria"), "criteria") else {
            return criteria;
        };
        if items.is_empty() {
            self.push(FieldError::new("criteria", "policy_empty", "error.policy.empty"));
        }
        if items.len() > MAX_CRITERIA {
            self.push(FieldError::new("criteria", "policy_too_many", "error.policy.too_many").arg("max", MAX_CRITERIA));
            return criteria;
        }
        // Ids of every criterion, also those with other errors, so a repeat is always named.
        let mut seen = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("criteria[{i}]");
            let Some(t) = self.table(Some(item), &path) else {
                continue;
            };
            let mut allowed = vec!["id", "points", "title", "when"];
            allowed.extend_from_slice(PROVENANCE);
            self.known(t, &path, &allowed);
            let id = self.id(t, &path);
            if let Some(id) = &id
                && !seen.insert(id.clone())
            {
                self.duplicate(&join(&path, "id"), id);
            }
            let points = self.number(t, &path, "points", 1, i64::from(MAX_CRITERION_POINTS));
            let title = self.title(t, &path);
            let when_path = join(&path, "when");
            let when = match t.get("when") {
                None => {
                    self.push(FieldError::required(&when_path));
                    None
                }
                Some(v) => self.condition(v, &when_path, 0),
            };
            let provenance = self.provenance(t, &path);
            if let (Some(id), Some(points), Some(title), Some(when), Some(provenance)) =
                (id, points, title, when, provenance)
            {
                criteria.push(Criterion {
                    id,
                    points,
                    title,
                    when,
                    provenance,
                });
            }
        }
        criteria
    }

    fn title(&mut self, t: &Table, prefix: &str) -> Option<Text> {
        let path = join(prefix, "title");
        let table = self.table(t.get("title"), &path)?;
        self.known(table, &path, &["nb", "nn", "en"]);
        let mut get = |lang: &str| {
            let text = self.string(table, &path, lang, true)?;
            if text.chars().count() > MAX_TEXT_LEN {
                self.push(FieldError::too_long(join(&path, lang), MAX_TEXT_LEN));
                return None;
            }
            Some(text)
        };
        let (nb, nn, en) = (get("nb"), get("nn"), get("en"));
        Some(Text {
            nb: nb?,
            nn: nn?,
            en: en?,
        })
    }

    fn condition(&mut self, value: &Value, path: &str, depth: usize) -> Option<Condition> {
        if depth > MAX_CONDITION_DEPTH {
            self.push(
                FieldError::new(path, "policy_condition_depth", "error.policy.condition_depth")
                    .arg("max", MAX_CONDITION_DEPTH),
            );
            return None;
        }
        let table = match value {
            Value::String(code) => {
                return match Fact::from_code(code.trim()) {
                    Some(fact) => Some(Condition::Fact(fact)),
                    None => {
                        let allowed: Vec<&str> = Fact::ALL.iter().map(|f| f.code()).collect();
                        self.push(FieldError::unknown_value(path, code, &allowed));
                        None
                    }
                };
            }
            Value::Table(t) if t.len() == 1 => t,
            Value::Table(_) => {
                self.push(
                    FieldError::new(path, "policy_condition_shape", "error.policy.condition_shape")
                        .arg("allowed", CONDITION_KEYS.join(", ")),
                );
                return None;
            }
            _ => {
                self.wrong_type(path, "condition");
                return None;
            }
        };
        let (key, inner) = table.iter().next().expect("one key");
        let inner_path = join(path, key);
        match key.as_str() {
            "all" | "any" => {
                let items = self.array(Some(inner), &inner_path)?;
                if items.is_empty() {
                    self.push(FieldError::new(&inner_path, "policy_empty", "error.policy.empty"));
                    return None;
                }
                let mut parts = Vec::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.condition(item, &format!("{inner_path}[{i}]"), depth + 1) {
                        Some(c) => parts.push(c),
                        None => ok = false,
                    }
                }
                ok.then(|| {
                    if key == "all" {
                        Condition::All(parts)
                    } else {
                        Condition::Any(parts)
                    }
                })
            }
            "not" => self
                .condition(inner, &inner_path, depth + 1)
                .map(|c| Condition::Not(Box::new(c))),
            "reason" => self
                .codes(inner, &inner_path, &Reason::ALL.map(Reason::code), |c| {
                    Reason::ALL.into_iter().find(|r| r.code() == c)
                })
                .map(Condition::Reason),
            "kostra" => self
                .codes(
                    inner,
                    &inner_path,
                    &KostraCategory::ALL.map(KostraCategory::code),
                    KostraCategory::from_code,
                )
                .map(Condition::Kostra),
            "housing" => self
                .codes(
                    inner,
                    &inner_path,
                    &CurrentHousing::ALL.map(CurrentHousing::code),
                    |c| CurrentHousing::ALL.into_iter().find(|h| h.code() == c),
                )
                .map(Condition::Housing),
            "children_at_least" | "adults_at_least" => {
                let Value::Integer(n) = inner else {
                    self.wrong_type(&inner_path, "number");
                    return None;
                };
                let n = self.in_range(&inner_path, *n, 1, MAX_COUNT)?;
                Some(if key == "children_at_least" {
                    Condition::ChildrenAtLeast(n)
                } else {
                    Condition::AdultsAtLeast(n)
                })
            }
            "main_applicant_age" => match inner {
                Value::Array(pair) if pair.len() == 2 => match (&pair[0], &pair[1]) {
                    (Value::Integer(from), Value::Integer(to)) if from <= to => {
                        let from = self.in_range(&format!("{inner_path}[0]"), *from, 0, MAX_AGE)?;
                        let to = self.in_range(&format!("{inner_path}[1]"), *to, 0, MAX_AGE)?;
                        Some(Condition::MainApplicantAge { from, to })
                    }
                    _ => {
                        self.push(FieldError::new(
                            &inner_path,
                            "policy_age_range",
                            "error.policy.age_range",
                        ));
                        None
                    }
                },
                _ => {
                    self.push(FieldError::new(
                        &inner_path,
                        "policy_age_range",
                        "error.policy.age_range",
                    ));
                    None
                }
            },
            other => {
                self.push(FieldError::unknown_value(path, other, CONDITION_KEYS));
                None
            }
        }
    }

    /// One code or a non-empty list of codes.
    fn codes<T>(
        &mut self,
        value: &Value,
        path: &str,
        allowed: &[&str],
        find: impl Fn(&str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items: Vec<(String, &Value)> = match value {
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{path}[{i}]"), v))
                .collect(),
            Value::Array(_) => {
                self.push(FieldError::new(path, "policy_empty", "error.policy.empty"));
                return None;
            }
            single => vec![(path.to_string(), single)],
        };
        let mut found = Vec::new();
        for (item_path, item) in items {
            let Value::String(code) = item else {
                self.wrong_type(&item_path, "text");
                return None;
            };
            match find(code.trim()) {
                Some(v) => found.push(v),
                None => {
                    self.push(FieldError::unknown_value(item_path, code, allowed));
                    return None;
                }
            }
        }
        Some(found)
    }

    fn waiting_time(&mut self, root: &Table) -> Option<WaitingTime> {
        let t = self.table(root.get("waiting_time"), "waiting_time")?;
        let mut allowed = vec!["points_per_month", "max_points"];
        allowed.extend_from_slice(PROVENANCE);
        self.known(t, "waiting_time", &allowed);
        let per_month = self.number(
            t,
            "waiting_time",
            "points_per_month",
            0,
            i64::from(MAX_POINTS_PER_MONTH),
        );
        let max = self.number(t, "waiting_time", "max_points", 0, i64::from(MAX_WAITING_POINTS));
        let provenance = self.provenance(t, "waiting_time");
        Some(WaitingTime {
            points_per_month: per_month?,
            max_points: max?,
            provenance: provenance?,
        })
    }

    fn tie_breakers(&mut self, root: &Table) -> Vec<TieBreaker> {
        let mut out = Vec::new();
        let Some(items) = self.array(root.get("tie_breakers"), "tie_breakers") else {
            return out;
        };
        let allowed = TieBreaker::ALL.map(TieBreaker::code);
        for (i, item) in items.iter().enumerate() {
            let path = format!("tie_breakers[{i}]");
            let Value::String(code) = item else {
                self.wrong_type(&path, "text");
                continue;
            };
            match TieBreaker::from_code(code.trim()) {
                Some(t) if out.contains(&t) => self.duplicate(&path, code),
                Some(t) => out.push(t),
                None => self.push(FieldError::unknown_value(path, code, &allowed)),
            }
        }
        out
    }

    fn bedrooms(&mut self, root: &Table) -> Option<BedroomRule> {
        let t = self.table(root.get("bedrooms"), "bedrooms")?;
        let mut allowed = vec!["children_per_bedroom", "extra_allowed", "studio_for_single_adult"];
        allowed.extend_from_slice(PROVENANCE);
        self.known(t, "bedrooms", &allowed);
        let per_bedroom = self.number(t, "bedrooms", "children_per_bedroom", 1, 4);
        let extra = self.number(t, "bedrooms", "extra_allowed", 0, 3);
        let studio = self.bool(t, "bedrooms", "studio_for_single_adult");
        let provenance = self.provenance(t, "bedrooms");
        Some(BedroomRule {
            children_per_bedroom: per_bedroom?,
            extra_allowed: extra?,
            studio_for_single_adult: studio,
            provenance: provenance?,
        })
    }

    fn offers(&mut self, root: &Table) -> Option<OfferRules> {
        let t = self.table(root.get("offers"), "offers")?;
        let mut allowed = vec![
            "answer_days",
            "unreasonable_declines_allowed",
            "reasonable_decline_reasons",
            "expiry_counts_as_decline",
        ];
        allowed.extend_from_slice(PROVENANCE);
        self.known(t, "offers", &allowed);
        let answer_days = self.number(t, "offers", "answer_days", 1, 90);
        let declines = self.number(t, "offers", "unreasonable_declines_allowed", 0, 10);
        let expiry = self.bool(t, "offers", "expiry_counts_as_decline");
        let reasons = self.decline_reasons(t);
        let provenance = self.provenance(t, "offers");
        Some(OfferRules {
            answer_days: answer_days?,
            unreasonable_declines_allowed: declines?,
            reasonable_decline_reasons: reasons?,
            expiry_counts_as_decline: expiry,
            provenance: provenance?,
        })
    }

    fn decline_reasons(&mut self, t: &Table) -> Option<Vec<DeclineReason>> {
        let path = "offers.reasonable_decline_reasons";
        let items = self.array(t.get("reasonable_decline_reasons"), path)?;
        let allowed = DeclineReason::codes();
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let Value::String(code) = item else {
                self.wrong_type(&item_path, "text");
                continue;
            };
            match DeclineReason::from_code(code.trim()) {
                Some(r) if out.contains(&r) => self.duplicate(&item_path, code),
                Some(r) => out.push(r),
                None => self.push(FieldError::unknown_value(item_path, code, &allowed)),
            }
        }
        Some(out)
    }

    fn dwelling_types(&mut self, root: &Table) -> Option<Vec<(DwellingType, Access)>> {
        let t = self.table(root.get("dwelling_types"), "dwelling_types")?;
        let codes = DwellingType::codes();
        for key in t.keys() {
            if DwellingType::from_code(key).is_none() {
                self.push(FieldError::unknown_value(join("dwelling_types", key), key, &codes));
            }
        }
        let mut out = Vec::new();
        let mut ok = true;
        for &dwelling_type in DwellingType::ALL {
            let path = join("dwelling_types", dwelling_type.code());
            let access = match t.get(dwelling_type.code()) {
                None => {
                    self.push(FieldError::required(&path));
                    None
                }
                Some(Value::Boolean(true)) => Some(Access::Always),
                Some(Value::Boolean(false)) => Some(Access::Never),
                Some(v) => self.condition(v, &path, 0).map(Access::When),
            };
            match access {
                Some(a) => out.push((dwelling_type, a)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}
