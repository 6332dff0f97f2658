//! The one definition of the data files' records: every field of a source,
//! an entity, a relation and their parts is named here once, with where it
//! was read. Readers produce these records; writers start from them; the
//! conversion to typed values (`convert.rs`) decides which fields are
//! required.
//!
//! Every field is optional at this level: a record that lacks a required
//! field is still read whole, so that the problems of its other fields are
//! found in the same pass. Unknown and repeated fields are noted on the record
//! (`misread`) and the rest of it is read too.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::Rule;

/// Where a value was read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) enum At<'a> {
    /// Not from a file (a record made to be written).
    #[default]
    Nowhere,
    /// A slice of an input text: the value itself, or the key of its field
    /// when the value had escapes (and so was copied out of the text).
    Slice(&'a str),
    /// A cell of a table (CSV): which table of the data set, its line, its
    /// column, and the column's header.
    Cell {
        table: u8,
        line: u32,
        column: u32,
        header: &'static str,
    },
}

impl<'a> At<'a> {
    /// `self`, or `other` when `self` is nowhere.
    pub(crate) fn or(self, other: At<'a>) -> At<'a> {
        match self {
            At::Nowhere => other,
            At::Slice(_) | At::Cell { .. } => self,
        }
    }
}

/// A string of a record and where it was read.
#[derive(Debug, Clone)]
pub(crate) struct Text<'a> {
    value: Cow<'a, str>,
    pub(crate) at: At<'a>,
}

impl<'a> Text<'a> {
    /// A text to write, borrowed from the graph.
    pub(crate) fn new(value: &'a str) -> Text<'a> {
        Text {
            value: Cow::Borrowed(value),
            at: At::Nowhere,
        }
    }

    /// A text to write, made for the occasion (a date written out).
    pub(crate) fn owned(value: String) -> Text<'a> {
        Text {
            value: Cow::Owned(value),
            at: At::Nowhere,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.value
    }

    /// A text read from a table's cell.
    pub(crate) fn cell(value: String, at: At<'a>) -> Text<'a> {
        Text {
            value: Cow::Owned(value),
            at,
        }
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text {
                    value: Cow::Borrowed(v),
                    at: At::Slice(v),
                })
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text::owned(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text::owned(v))
            }
        }
        deserializer.deserialize_str(V)
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

/// A field name as read, with where it was read.
pub(crate) struct Key<'a> {
    name: Cow<'a, str>,
    at: At<'a>,
}

impl<'a> Key<'a> {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn at(&self) -> At<'a> {
        self.at
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key {
                    name: Cow::Borrowed(v),
                    at: At::Slice(v),
                })
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key {
                    name: Cow::Owned(v.to_owned()),
                    at: At::Nowhere,
                })
            }
        }
        deserializer.deserialize_identifier(V)
    }
}

/// A problem met while reading a record: a field the format does not know,
/// or a field given twice. The rest of the record is read all the same.
#[derive(Debug, Clone)]
pub(crate) struct Misread<'a> {
    pub(crate) rule: Rule,
    pub(crate) message: String,
    pub(crate) at: At<'a>,
}

impl<'a> Misread<'a> {
    /// A field that `record` does not have.
    pub(crate) fn unknown(key: &Key<'a>, record: &str, fields: &[&str]) -> Misread<'a> {
        Misread {
            rule: Rule::UnknownField,
            message: format!(
                "unknown field `{}` in {record}: expected one of {}",
                crate::model::id::shorten(key.name()),
                fields.join(", ")
            ),
            at: key.at(),
        }
    }

    /// A field given a second time in `record` (the first is kept).
    pub(crate) fn repeated(key: &Key<'a>, record: &str) -> Misread<'a> {
        Misread {
            rule: Rule::RepeatedField,
            message: format!(
                "field `{}` appears twice in {record}; the first is kept",
                key.name()
            ),
            at: key.at(),
        }
    }
}

/// What a record needs of each of its field types.
pub(crate) trait FieldValue<'a>: Sized {
    /// Whether the field is a column of its record's table (nested records
    /// have tables of their own).
    const IN_TABLE: bool = true;
    /// Whether the field was not given (and is not written).
    fn is_absent(&self) -> bool;
    /// Gives the value the place of its key where it has no place of its own.
    fn anchor(&mut self, key: At<'a>);
    /// The value of a table's cell (`None` for an empty cell), or why it is
    /// not one.
    fn from_cell(cell: &str, at: At<'a>) -> Result<Self, String>;
    /// The value as a table's cell.
    fn to_cell(&self) -> String;
}

/// A list in one cell: items joined by `;`, a `;` or `\` inside an item
/// written `\;` or `\\`.
fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => item.extend(chars.next()),
            ';' => items.push(std::mem::take(&mut item)),
            c => item.push(c),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect()
}

fn join_list<'t>(items: impl Iterator<Item = &'t str>) -> String {
    items
        .map(|i| i.replace('\\', "\\\\").replace(';', "\\;"))
        .collect::<Vec<_>>()
        .join(";")
}

impl<'a> FieldValue<'a> for Option<Text<'a>> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn anchor(&mut self, key: At<'a>) {
        if let Some(t) = self {
            t.at = t.at.or(key);
        }
    }
    fn from_cell(cell: &str, at: At<'a>) -> Result<Self, String> {
        Ok((!cell.is_empty()).then(|| Text::cell(cell.to_owned(), at)))
    }
    fn to_cell(&self) -> String {
        self.as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default()
    }
}

impl<'a> FieldValue<'a> for Vec<Text<'a>> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
    fn anchor(&mut self, key: At<'a>) {
        for t in self {
            t.at = t.at.or(key);
        }
    }
    fn from_cell(cell: &str, at: At<'a>) -> Result<Self, String> {
        Ok(split_list(cell)
            .into_iter()
            .map(|i| Text::cell(i, at))
            .collect())
    }
    fn to_cell(&self) -> String {
        join_list(self.iter().map(Text::as_str))
    }
}

impl<'a> FieldValue<'a> for Option<u64> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn anchor(&mut self, _: At<'a>) {}
    fn from_cell(cell: &str, _: At<'a>) -> Result<Self, String> {
        if cell.is_empty() {
            return Ok(None);
        }
        cell.parse::<u64>().map(Some).map_err(|_| {
            format!(
                "`{}` is not a whole number",
                crate::model::id::shorten(cell)
            )
        })
    }
    fn to_cell(&self) -> String {
        self.map(|v| v.to_string()).unwrap_or_default()
    }
}

/// Defines a record: its struct, its field names, how it is read (every
/// field optional, unknown and repeated fields noted) and written (absent
/// fields left out).
macro_rules! record {
    ($(#[$meta:meta])* $name:ident, $label:literal, [$($field:ident: $ty:ty),* $(,)?]) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub(crate) struct $name<'a> {
            $(pub(crate) $field: $ty,)*
            /// Where the record is: its first key.
            pub(crate) at: At<'a>,
            /// Problems met while reading it.
            pub(crate) misread: Vec<Misread<'a>>,
        }

        impl $name<'_> {
            /// The record's name in messages and in the file format.
            pub(crate) const NAME: &'static str = $label;
            /// The names of its fields, in the order they are written.
            pub(crate) const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl<'a> FieldValue<'a> for Vec<$name<'a>> {
            const IN_TABLE: bool = false;
            fn is_absent(&self) -> bool {
                self.is_empty()
            }
            fn anchor(&mut self, key: At<'a>) {
                for r in self {
                    r.at = r.at.or(key);
                }
            }
            fn from_cell(_: &str, _: At<'a>) -> Result<Self, String> {
                Err(format!("{}s have a table of their own", $label))
            }
            fn to_cell(&self) -> String {
                String::new()
            }
        }

        impl<'a> $name<'a> {
            /// The columns of the record's table: its fields that are not
            /// nested records.
            pub(crate) fn columns() -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if <$ty as FieldValue<'a>>::IN_TABLE {
                    out.push(stringify!($field));
                })*
                out
            }

            /// Sets `field` from a table's cell; `false` if the record has no
            /// such column. A cell that is not a value of the field is noted
            /// as misread.
            pub(crate) fn set_cell(&mut self, field: &str, cell: &str, at: At<'a>) -> bool {
                match field {
                    $(stringify!($field) if <$ty as FieldValue<'a>>::IN_TABLE => {
                        match <$ty as FieldValue<'a>>::from_cell(cell, at) {
                            Ok(value) => self.$field = value,
                            Err(why) => self.misread.push(Misread {
                                rule: Rule::Syntax,
                                message: format!("{why}"),
                                at,
                            }),
                        }
                        true
                    })*
                    _ => false,
                }
            }

            /// The record's cells, in the order of [`Self::columns`].
            pub(crate) fn cells(&self) -> Vec<String> {
                let mut out = Vec::new();
                $(if <$ty as FieldValue<'a>>::IN_TABLE {
                    out.push(self.$field.to_cell());
                })*
                out
            }
        }

        impl<'de> Deserialize<'de> for $name<'de> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name<'de>;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a {} record: ({}: ...)", $label, $name::FIELDS.join(": ..., "))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name<'de>, A::Error> {
                        let mut record = $name::default();
                        let mut seen: u64 = 0;
                        while let Some(key) = map.next_key::<Key<'de>>()? {
                            record.at = record.at.or(key.at());
                            let Some(index) = $name::FIELDS.iter().position(|f| *f == key.name()) else {
                                record.misread.push(Misread::unknown(&key, $label, $name::FIELDS));
                                map.next_value::<IgnoredAny>()?;
                                continue;
                            };
                            let bit = 1u64 << index;
                            if seen & bit != 0 {
                                record.misread.push(Misread::repeated(&key, $label));
                                map.next_value::<IgnoredAny>()?;
                                continue;
                            }
                            seen |= bit;
                            match key.name() {
                                $(stringify!($field) => {
                                    record.$field = map.next_value()?;
                                    record.$field.anchor(key.at());
                                })*
                                _ => return Err(de::Error::custom("a field name was listed but not matched")),
                            }
                        }
                        Ok(record)
                    }
                }
                deserializer.deserialize_struct($label, $name::FIELDS, V)
            }
        }

        impl Serialize for $name<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut st = serializer.serialize_struct($label, $name::FIELDS.len())?;
                $(
                    if self.$field.is_absent() {
                        st.skip_field(stringify!($field))?;
                    } else {
                        st.serialize_field(stringify!($field), &self.$field)?;
                    }
                )*
                st.end()
            }
        }
    };
}

record! {
    /// A source: an article or document that facts are taken from.
    SourceRecord, "source", [
        id: Option<Text<'a>>,
        title: Option<Text<'a>>,
        publisher: Option<Text<'a>>,
        author: Option<Text<'a>>,
        published: Option<Text<'a>>,
        language: Option<Text<'a>>,
        url: Option<Text<'a>>,
        seed: Option<Text<'a>>,
        section: Option<Text<'a>>,
        note: Option<Text<'a>>,
    ]
}

record! {
    /// An entity: an organisation, a place or a programme.
    EntityRecord, "entity", [
        id: Option<Text<'a>>,
        kind: Option<Text<'a>>,
        name: Option<Text<'a>>,
        name_en: Option<Text<'a>>,
        aliases: Vec<Text<'a>>,
        former_names: Vec<FormerNameRecord<'a>>,
        country: Option<Text<'a>>,
        wikidata: Option<Text<'a>>,
        ror: Option<Text<'a>>,
        sources: Vec<Text<'a>>,
        note: Option<Text<'a>>,
    ]
}

record! {
    /// A name an entity was known by before, and when.
    FormerNameRecord, "former_name", [
        name: Option<Text<'a>>,
        start: Option<Text<'a>>,
        end: Option<Text<'a>>,
    ]
}

record! {
    /// What some sources say of a relation's period and status.
    ClaimRecord, "claim", [
        start: Option<Text<'a>>,
        end: Option<Text<'a>>,
        status: Option<Text<'a>>,
        rank: Option<Text<'a>>,
        sources: Vec<Text<'a>>,
        note: Option<Text<'a>>,
    ]
}

record! {
    /// A person named in a relation.
    PersonRecord, "person", [
        name: Option<Text<'a>>,
        role: Option<Text<'a>>,
        organisation: Option<Text<'a>>,
    ]
}

record! {
    /// A number a source gives about a relation.
    FigureRecord, "figure", [
        value: Option<u64>,
        unit: Option<Text<'a>>,
        qualifier: Option<Text<'a>>,
    ]
}

record! {
    /// A relation: a typed, dated, sourced link between two entities.
    RelationRecord, "relation", [
        id: Option<Text<'a>>,
        kind: Option<Text<'a>>,
        from: Option<Text<'a>>,
        to: Option<Text<'a>>,
        start: Option<Text<'a>>,
        end: Option<Text<'a>>,
        status: Option<Text<'a>>,
        basis: Option<Text<'a>>,
        renews: Option<Text<'a>>,
        amends: Option<Text<'a>>,
        supersedes: Option<Text<'a>>,
        scope: Vec<Text<'a>>,
        people: Vec<PersonRecord<'a>>,
        figures: Vec<FigureRecord<'a>>,
        claims: Vec<ClaimRecord<'a>>,
        sources: Vec<Text<'a>>,
        note: Option<Text<'a>>,
    ]
}

/// The top-level lists of a data file, in the order they are written.
pub(crate) const LISTS: &[&str] = &["sources", "entities", "relations"];
