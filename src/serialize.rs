//! `serde::Serialize` for the public types, behind the `serde` feature, so
//! that a program can serialise a value or a query result (a `Path`, a
//! `Neighbourhood`) with any serde format. Ids, dates, kinds and statuses
//! serialise as the strings the data files use; entities and relations as
//! maps of their fields.
//!
//! These are for programs; the data files do not use them (their one
//! definition is `document/records.rs`).

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::{Error, Location, Problem, Rule};
use crate::model::date::{Date, Period};
use crate::model::entity::{Country, Entity, EntityKind};
use crate::model::id::{EntityId, RelationId, SourceId};
use crate::model::relation::{Basis, Figure, Person, Qualifier, Relation, RelationKind, Status};
use crate::model::source::Source;
use crate::query::agreement::{AgreementsOn, Expiring, Force};
use crate::query::filter::Direction;
use crate::query::path::{Hop, Path, Window};
use crate::query::search::{MatchKind, SearchHit};
use crate::query::view::{Neighbourhood, Partner};

/// Types that serialise as their text.
macro_rules! as_text {
    ($($t:ty => $text:expr),* $(,)?) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #[allow(clippy::redundant_closure_call)]
                s.serialize_str(&($text)(self))
            }
        }
    )*};
}

as_text! {
    EntityId => |x: &EntityId| x.as_str().to_owned(),
    RelationId => |x: &RelationId| x.as_str().to_owned(),
    SourceId => |x: &SourceId| x.as_str().to_owned(),
    Date => |x: &Date| x.to_string(),
    Country => |x: &Country| x.as_str().to_owned(),
    EntityKind => |x: &EntityKind| x.as_str().to_owned(),
    RelationKind => |x: &RelationKind| x.as_str().to_owned(),
    Status => |x: &Status| x.as_str().to_owned(),
    Basis => |x: &Basis| x.as_str().to_owned(),
    Qualifier => |x: &Qualifier| x.as_str().to_owned(),
    MatchKind => |x: &MatchKind| x.as_str().to_owned(),
    Force => |x: &Force| x.as_str().to_owned(),
    Direction => |x: &Direction| x.as_str().to_owned(),
    Rule => |x: &Rule| x.as_str().to_owned(),
}

/// Serialises a struct from `(name, value)` fields.
macro_rules! fields {
    ($s:expr, $name:literal, { $($field:literal: $value:expr),* $(,)? }) => {{
        let mut st = $s.serialize_struct($name, [$($field),*].len())?;
        $(st.serialize_field($field, &$value)?;)*
        st.end()
    }};
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Period", { "start": self.start(), "end": self.end() })
    }
}

impl Serialize for Entity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Entity", {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "name_en": self.name_en(),
            "aliases": self.aliases(),
            "country": self.country,
            "wikidata": self.wikidata(),
            "ror": self.ror(),
            "sources": self.sources,
            "note": self.note(),
        })
    }
}

impl Serialize for Person {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Person", {
            "name": self.name,
            "role": self.role,
            "organisation": self.organisation,
        })
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Figure", {
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
        })
    }
}

impl Serialize for Relation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Relation", {
            "id": self.id,
            "kind": self.kind,
            "from": self.from,
            "to": self.to,
            "start": self.start(),
            "end": self.end(),
            "status": self.status,
            "basis": self.basis,
            "renews": self.renews(),
            "scope": self.scope(),
            "people": self.people(),
            "figures": self.figures(),
            "sources": self.sources(),
            "note": self.note(),
        })
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Source", {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "published": self.published,
            "language": self.language,
            "url": self.url,
            "seed": self.seed,
            "section": self.section,
            "note": self.note,
        })
    }
}

impl Serialize for Window {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Window", { "spans": self.spans() })
    }
}

impl Serialize for Hop<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Hop", {
            "from": self.from().id,
            "to": self.to().id,
            "relations": self.relations(),
        })
    }
}

impl Serialize for Path<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Path", {
            "length": self.len(),
            "entities": self.entities(),
            "hops": self.hops(),
            "window": self.window(),
            "sources": self.sources().iter().map(|x| &x.id).collect::<Vec<_>>(),
        })
    }
}

/// A member of a neighbourhood: an entity and its distance from the centre.
struct Member<'a>(&'a Entity, usize);

impl Serialize for Member<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Member", { "entity": self.0, "distance": self.1 })
    }
}

impl Serialize for Neighbourhood<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let members: Vec<Member<'_>> = self.members().iter().map(|(e, d)| Member(e, *d)).collect();
        fields!(s, "Neighbourhood", {
            "center": self.center().id,
            "members": members,
            "relations": self.relations(),
        })
    }
}

impl Serialize for Partner<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Partner", { "entity": self.entity(), "relations": self.relations() })
    }
}

impl Serialize for AgreementsOn<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "AgreementsOn", {
            "date": self.date(),
            "in_force": self.in_force(),
            "unknown": self.unknown(),
        })
    }
}

impl Serialize for Expiring<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Expiring", { "relation": self.relation(), "renewal": self.renewal() })
    }
}

impl Serialize for SearchHit<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "SearchHit", {
            "entity": self.entity(),
            "match": self.kind(),
            "matched": self.matched(),
        })
    }
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Location", {
            "file": self.file().map(|f| f.display().to_string()),
            "line": self.line(),
            "column": self.column(),
        })
    }
}

impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Problem", {
            "rule": self.rule(),
            "message": self.message(),
            "location": self.location(),
            "record": self.record(),
            "field": self.field(),
        })
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields!(s, "Error", { "problems": self.problems() })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Filter, HealthGraph};

    #[test]
    fn results_serialise_with_the_data_files_words() {
        let graph = HealthGraph::load("data/hanoi.ron").unwrap();
        let view = graph.view(Filter::partnership());
        let path = view
            .shortest_path("ap-hp", "karolinska-institute")
            .unwrap()
            .unwrap();
        let v = serde_json::to_value(&path).unwrap();
        assert_eq!(v["length"], 2);
        assert_eq!(v["hops"][0]["from"], "ap-hp");
        assert_eq!(v["hops"][0]["relations"][0]["kind"], "cooperation");
        assert_eq!(v["window"]["spans"][0]["start"], "2024");
        let ego = view.neighbourhood("karolinska-institute", 1).unwrap();
        let v = serde_json::to_value(&ego).unwrap();
        assert_eq!(v["center"], "karolinska-institute");
        assert_eq!(v["members"][1]["distance"], 1);
        let err = HealthGraph::from_ron_str("(entities: [(id: \"X\")])").unwrap_err();
        let v = serde_json::to_value(&err).unwrap();
        let problems = v["problems"].as_array().unwrap();
        let malformed = problems
            .iter()
            .find(|p| p["rule"] == "malformed-id")
            .unwrap();
        assert_eq!(malformed["location"]["line"], 1);
        assert_eq!(
            (&malformed["record"], &malformed["field"]),
            (&serde_json::json!("X"), &serde_json::json!("id"))
        );
    }
}
