//! Binds a form's fields to a typed struct.
//!
//! A field's name is the path the domain and the JSON API use for it in their errors:
//! `address_line`, `members[1].national_id`, `loans.startlan.term_years`. Only `[n]` opens a
//! level (a table's rows); a dot elsewhere is part of a flat name, so a form can use the input's
//! own paths as names without nesting its struct. A repeated name fills a list, a checkbox is
//! ticked when present, an empty value is `None` for an `Option`. A form also carries fields the
//! struct does not read (the CSRF token, the button pressed, another part's fields); they are
//! left out, never refused, so a page may bind the same form to two structs.
//!
//! serde_html_form and serde_qs do the flat and the bracketed (`members[1][national_id]`) forms;
//! neither reads the JSON-path names the rest of Husly reports, hence this small deserialiser.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// The highest row index a form may name: far more rows than any table of Husly's has, and a
/// bound on what a hostile `members[999999999].x` can make the server allocate.
pub const MAX_ROW_INDEX: usize = 999;

/// A form's fields as a tree: values under a name, named fields, or numbered rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Values(Vec<String>),
    Fields(Vec<(String, Node)>),
    Rows(Vec<Node>),
}

enum Step<'a> {
    Name(&'a str),
    Row(usize),
}

/// Splits `members[1].national_id` into its steps; a name that is not of that shape is one step.
fn steps(name: &str) -> Result<Vec<Step<'_>>, ()> {
    let mut steps = Vec::new();
    let mut rest = name;
    loop {
        let Some(open) = rest.find('[') else {
            steps.push(Step::Name(rest));
            return Ok(steps);
        };
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            steps.push(Step::Name(rest));
            return Ok(steps);
        };
        let digits = &rest[open + 1..close];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || open == 0 {
            steps.push(Step::Name(rest));
            return Ok(steps);
        }
        let index: usize = digits.parse().map_err(|_| ())?;
        if index > MAX_ROW_INDEX {
            return Err(());
        }
        steps.push(Step::Name(&rest[..open]));
        steps.push(Step::Row(index));
        rest = &rest[close + 1..];
        if rest.is_empty() {
            return Ok(steps);
        }
        rest = rest.strip_prefix('.').ok_or(())?;
        if rest.is_empty() {
            return Err(());
        }
    }
}

impl Node {
    /// The tree of `fields`, or the name of the first field that does not fit: a row index
    /// beyond [`MAX_ROW_INDEX`], or a name used both for a value and for rows or fields.
    pub fn of(fields: &[(String, String)]) -> Result<Node, String> {
        let mut root = Node::Fields(Vec::new());
        for (name, value) in fields {
            let steps = steps(name).map_err(|()| name.clone())?;
            root.insert(&steps, value).map_err(|()| name.clone())?;
        }
        Ok(root)
    }

    fn insert(&mut self, steps: &[Step<'_>], value: &str) -> Result<(), ()> {
        let fresh = |next: Option<&Step<'_>>| match next {
            None => Node::Values(Vec::new()),
            Some(Step::Name(_)) => Node::Fields(Vec::new()),
            Some(Step::Row(_)) => Node::Rows(Vec::new()),
        };
        match (self, steps.split_first()) {
            (Node::Values(values), None) => {
                values.push(value.to_string());
                Ok(())
            }
            (Node::Fields(fields), Some((Step::Name(name), rest))) => {
                let at = match fields.iter().position(|(n, _)| n == name) {
                    Some(at) => at,
                    None => {
                        fields.push(((*name).to_string(), fresh(rest.first())));
                        fields.len() - 1
                    }
                };
                fields[at].1.insert(rest, value)
            }
            (Node::Rows(rows), Some((Step::Row(index), rest))) => {
                while rows.len() <= *index {
                    rows.push(fresh(rest.first()));
                }
                rows[*index].insert(rest, value)
            }
            _ => Err(()),
        }
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node {
    type Deserializer = Node;

    fn into_deserializer(self) -> Node {
        self
    }
}

fn unexpected(node: &Node) -> de::Unexpected<'static> {
    match node {
        Node::Values(_) => de::Unexpected::Other("a value"),
        Node::Fields(_) => de::Unexpected::Map,
        Node::Rows(_) => de::Unexpected::Seq,
    }
}

/// Deserialises the first value of a value node as a scalar.
macro_rules! scalar {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Node::Values(values) => {
                    Value(values.into_iter().next().unwrap_or_default()).$method(visitor)
                }
                other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Values(values) => visitor.visit_string(values.into_iter().next().unwrap_or_default()),
            Node::Fields(fields) => visitor.visit_map(MapDeserializer::new(fields.into_iter())),
            Node::Rows(rows) => visitor.visit_seq(SeqDeserializer::new(rows.into_iter())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Values(values) if values.iter().all(|v| v.is_empty()) => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Values(values) => visitor.visit_seq(SeqDeserializer::new(values.into_iter().map(Value))),
            Node::Rows(rows) => visitor.visit_seq(SeqDeserializer::new(rows.into_iter())),
            fields => Err(de::Error::invalid_type(unexpected(&fields), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        known: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Fields(fields) => {
                let read = fields.into_iter().filter(|(name, _)| known.contains(&name.as_str()));
                visitor.visit_map(MapDeserializer::new(read))
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    scalar! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Values(values) => {
                Value(values.into_iter().next().unwrap_or_default()).deserialize_enum(name, variants, visitor)
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct tuple tuple_struct map identifier ignored_any
    }
}

/// One value as typed: a string that becomes a number, a yes/no or a choice where the struct asks.
struct Value(String);

impl<'de> IntoDeserializer<'de, Error> for Value {
    type Deserializer = Value;

    fn into_deserializer(self) -> Value {
        self
    }
}

macro_rules! parsed {
    ($($method:ident => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.trim().parse() {
                Ok(value) => visitor.$visit(value),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(&self.0), &visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    parsed! {
        deserialize_bool => visit_bool, deserialize_i8 => visit_i8, deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32, deserialize_i64 => visit_i64, deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16, deserialize_u32 => visit_u32, deserialize_u64 => visit_u64,
        deserialize_f32 => visit_f32, deserialize_f64 => visit_f64, deserialize_char => visit_char
    }

    forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(default, deny_unknown_fields)]
    struct Member {
        given_name: String,
        age: Option<u32>,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(default)]
    struct Household {
        address_line: String,
        #[serde(rename = "loans.bank.term_years")]
        bank_term: String,
        members: Vec<Member>,
        roles: Vec<String>,
    }

    #[test]
    fn rows_nest_and_dotted_names_stay_flat() {
        let tree = Node::of(&fields(&[
            ("csrf", "token"),
            ("address_line", "Storgata 1"),
            ("loans.bank.term_years", "25"),
            ("members[0].given_name", "Kari"),
            ("members[0].age", ""),
            ("members[2].given_name", "Ola"),
            ("members[2].age", "7"),
            ("members[2].unknown", "left out"),
            ("roles", "a"),
            ("roles", "b"),
        ]))
        .unwrap();
        let bound = Household::deserialize(tree).unwrap();
        assert_eq!(bound.address_line, "Storgata 1");
        assert_eq!(bound.bank_term, "25");
        assert_eq!(
            bound.members,
            [
                Member {
                    given_name: "Kari".into(),
                    age: None
                },
                Member::default(),
                Member {
                    given_name: "Ola".into(),
                    age: Some(7)
                },
            ]
        );
        assert_eq!(bound.roles, ["a", "b"]);
    }

    #[test]
    fn names_that_do_not_fit_are_refused_by_name() {
        assert_eq!(
            Node::of(&fields(&[("members[1000].x", "1")])),
            Err("members[1000].x".into())
        );
        assert_eq!(
            Node::of(&fields(&[("members", "x"), ("members[0].a", "y")])),
            Err("members[0].a".into())
        );
        assert_eq!(
            Node::of(&fields(&[("members[0]", "x"), ("members[0].a", "y")])),
            Err("members[0].a".into())
        );
        assert_eq!(Node::of(&fields(&[("members[0].", "x")])), Err("members[0].".into()));
        // Brackets that are not a row number are part of a flat name.
        let tree = Node::of(&fields(&[("a[b]", "1"), ("[0]", "2")])).unwrap();
        assert_eq!(
            tree,
            Node::Fields(vec![
                ("a[b]".into(), Node::Values(vec!["1".into()])),
                ("[0]".into(), Node::Values(vec!["2".into()]))
            ])
        );
    }

    #[test]
    fn numbers_are_read_from_text_and_bad_ones_are_errors() {
        #[derive(Debug, Deserialize)]
        struct Version {
            version: i64,
        }
        let bound = |v: &str| Version::deserialize(Node::of(&fields(&[("version", v)])).unwrap()).map(|b| b.version);
        assert_eq!(bound(" 3 ").unwrap(), 3);
        assert!(bound("x").is_err());
        assert!(bound("").is_err());
    }
}
