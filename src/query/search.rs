//! Search: entities by name, English name, alias, former name or id,
//! ignoring case and diacritics, ranked.

use crate::error::{Error, Rule};
use crate::graph::{HealthGraph, Node};
use crate::model::entity::{Entity, FormerName};
use crate::query::view::View;

/// How well a search text matched an entity; better matches sort first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MatchKind {
    /// The text is the entity's id.
    Id,
    /// The text is a whole name, English name or alias.
    Name,
    /// Every word of the text is a word of one name.
    Words,
    /// Every word of the text begins a word of one name, or is inside it.
    Partial,
}

impl MatchKind {
    /// The kind's name in output: `id`, `name`, `words` or `partial`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(healthgraph::MatchKind::Words.as_str(), "words");
    /// assert_eq!(healthgraph::MatchKind::Id.to_string(), "id");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Id => "id",
            MatchKind::Name => "name",
            MatchKind::Words => "words",
            MatchKind::Partial => "partial",
        }
    }
}

impl std::fmt::Display for MatchKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One search result: the entity, how it matched and which name matched.
#[derive(Debug, Clone)]
pub struct SearchHit<'g> {
    entity: &'g Entity,
    kind: MatchKind,
    matched: &'g str,
    /// Words in the matched name: fewer means the text covers more of it.
    words: usize,
    /// Whether only the id matched (not a name): such hits rank below
    /// every name match.
    via_id: bool,
}

impl<'g> SearchHit<'g> {
    /// The entity found.
    pub fn entity(&self) -> &'g Entity {
        self.entity
    }

    /// How it matched.
    pub fn kind(&self) -> MatchKind {
        self.kind
    }

    /// The name, alias, former name or id that matched, as written in the data.
    pub fn matched(&self) -> &'g str {
        self.matched
    }

    /// The former name that matched, with when it was used, if it was one.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Entity, EntityKind, FormerName, HealthGraph, Source, Filter};
    ///
    /// let mut graph = HealthGraph::new();
    /// graph.insert_source(Source::new("s".parse()?, "A report", "2020".parse()?, "en")?)?;
    /// let renamed = Entity::new("hospital-115".parse()?, EntityKind::Hospital, "Bệnh viện 115")
    ///     .add_former_name(FormerName::new("Bệnh viện Nhân dân 115", "1989..2010".parse()?))
    ///     .add_source("s".parse()?);
    /// graph.insert_entity(renamed)?;
    /// let hits = graph.view(Filter::new()).search("nhan dan 115");
    /// let former = hits[0].former_name().expect("a former name matched");
    /// assert_eq!(former.period().to_string(), "1989..2010");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn former_name(&self) -> Option<&'g FormerName> {
        self.entity
            .former_names()
            .iter()
            .find(|f| std::ptr::eq(f.name(), self.matched))
    }
}

/// Folds text for matching: transliterated to ASCII (diacritics dropped,
/// `đ` to `d`), lower case, and split into words of letters and digits.
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every entity's names, folded once: the id, the name, the English name and
/// the aliases of each, as words joined by single spaces, in id order.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchIndex {
    /// Every folded name: its words joined by spaces, then the same without
    /// spaces (for text that runs across words, like `phusan`), one name
    /// after another. One buffer, not two strings per name: a million
    /// entities would otherwise cost four small allocations each.
    text: String,
    /// The folded names in `text`, in order; an entity's names are
    /// consecutive.
    names: Vec<Folded>,
}

/// Where one folded name lies in [`SearchIndex::text`]: its words run from
/// the previous name's end to `words_end`, its joined form from there to
/// `end`. `at` is its position among the entity's names.
#[derive(Debug, Clone, Copy)]
struct Folded {
    node: Node,
    at: u32,
    words_end: usize,
    end: usize,
}

impl SearchIndex {
    pub(crate) fn build(graph: &HealthGraph) -> SearchIndex {
        let mut index = SearchIndex {
            text: String::new(),
            names: Vec::new(),
        };
        for e in graph.entities() {
            let Some(node) = graph.node(e.id.as_str()) else {
                continue;
            };
            for (at, name) in names_of(e).enumerate() {
                index.push(node, at as u32, name);
            }
        }
        index.text.shrink_to_fit();
        index.names.shrink_to_fit();
        index
    }

    fn push(&mut self, node: Node, at: u32, name: &str) {
        let words = fold_words(name);
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                self.text.push(' ');
            }
            self.text.push_str(w);
        }
        let words_end = self.text.len();
        words.iter().for_each(|w| self.text.push_str(w));
        self.names.push(Folded {
            node,
            at,
            words_end,
            end: self.text.len(),
        });
    }

    /// The entities' folded names: each entity with the position of its
    /// first name and its names.
    fn entities(&self) -> impl Iterator<Item = (Node, usize, &[Folded])> + '_ {
        let mut next = 0;
        self.names
            .chunk_by(|a, b| a.node == b.node)
            .filter_map(move |names| {
                let first = next;
                next += names.len();
                Some((names.first()?.node, first, names))
            })
    }

    /// A name's words (joined by spaces) and joined form.
    fn texts(&self, i: usize) -> (&str, &str) {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.names.get(p))
            .map_or(0, |p| p.end);
        let Some(f) = self.names.get(i) else {
            return ("", "");
        };
        (
            self.text.get(start..f.words_end).unwrap_or(""),
            self.text.get(f.words_end..f.end).unwrap_or(""),
        )
    }
}

/// Every name an entity is searched by, in order: its name, English name,
/// aliases, former names, id.
fn names_of(entity: &Entity) -> impl Iterator<Item = &str> {
    std::iter::once(&*entity.name)
        .chain(entity.name_en())
        .chain(entity.aliases().iter().map(String::as_str))
        .chain(entity.former_names().iter().map(FormerName::name))
        .chain(std::iter::once(entity.id.as_str()))
}

/// The name of an entity with this position among [`names_of`].
fn name_at(entity: &Entity, i: u32) -> &str {
    names_of(entity).nth(i as usize).unwrap_or(&entity.name)
}

/// How `query` (already folded) matches `name`, if it does, and how many
/// words the name has.
#[cfg(test)]
fn match_name(query: &[String], name: &str) -> Option<(MatchKind, usize)> {
    let mut index = SearchIndex {
        text: String::new(),
        names: Vec::new(),
    };
    index.push(Node::from_index(0), 0, name);
    let (words, joined) = index.texts(0);
    match_folded(query, words, joined)
}

/// How `query` (folded words) matches a folded name, if it does, and how
/// many words the name has.
fn match_folded(query: &[String], words: &str, joined: &str) -> Option<(MatchKind, usize)> {
    let words: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
    let n = words.len();
    if words.is_empty() {
        return None;
    }
    if words.len() == query.len() && words.iter().zip(query).all(|(w, q)| *w == q.as_str()) {
        return Some((MatchKind::Name, n));
    }
    if query.iter().all(|q| words.contains(&q.as_str())) {
        return Some((MatchKind::Words, n));
    }
    // Prefixes of words, or text inside a word ("onco" in "oncology"); for
    // several query words, inside the joined name as well ("phusan").
    if query
        .iter()
        .all(|q| words.iter().any(|w| w.contains(q.as_str())) || joined.contains(q.as_str()))
    {
        return Some((MatchKind::Partial, n));
    }
    None
}

impl<'g> View<'g> {
    /// The entities of the view that match `text`, best first: the exact id,
    /// then a whole name, English name or alias, then names that contain
    /// every word of the text, then names that contain every word as part of
    /// a word. Case and diacritics are ignored (`phu san ha noi` finds
    /// `Bệnh viện Phụ sản Hà Nội`, `đ` folds to `d`). Matches on another
    /// entity's id alone (`karolinska` in `karolinska-global-…`) come after
    /// every match on a name. Within a rank, a shorter matched name comes
    /// first (the text covers more of it), then the id.
    ///
    /// O(n·c) for n entities with names of c characters in all; the names
    /// are folded once, on the first search after a change to the graph.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph, MatchKind};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new());
    /// let hits = view.search("phu san ha noi");
    /// assert_eq!(hits[0].entity().id(), "hanoi-obgyn-hospital");
    /// assert_eq!(hits[0].kind(), MatchKind::Name); // the alias "Phụ sản Hà Nội"
    /// assert_eq!(view.search("Hanoi Obstetrics")[0].entity().id(), "hanoi-obgyn-hospital");
    /// assert_eq!(view.search("dong anh")[0].entity().id(), "dong-anh-general-hospital");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn search(&self, text: &str) -> Vec<SearchHit<'g>> {
        let query = fold_words(text);
        let trimmed = text.trim();
        let mut hits: Vec<SearchHit<'g>> = Vec::new();
        if query.is_empty() {
            return hits;
        }
        let index = self.graph.search_index();
        for (node, first, names) in index.entities() {
            if !self.node_passes(node) {
                continue;
            }
            let Some(entity) = self.graph.entity_at(node) else {
                continue;
            };
            if entity.id == trimmed {
                hits.push(SearchHit {
                    entity,
                    kind: MatchKind::Id,
                    matched: entity.id.as_str(),
                    words: 0,
                    via_id: false,
                });
                continue;
            }
            let best = names
                .iter()
                .enumerate()
                .filter_map(|(i, folded)| {
                    let (words, joined) = index.texts(first + i);
                    match_folded(&query, words, joined).map(|k| (k, folded.at))
                })
                .min_by_key(|(k, _)| *k);
            if let Some(((kind, words), i)) = best {
                let matched = name_at(entity, i);
                hits.push(SearchHit {
                    entity,
                    kind,
                    matched,
                    words,
                    // The id is the last of an entity's names.
                    via_id: std::ptr::eq(matched, entity.id.as_str()),
                });
            }
        }
        let rank = |h: &SearchHit<'_>| (h.kind != MatchKind::Id, h.via_id, h.kind, h.words);
        hits.sort_by(|a, b| (rank(a), &a.entity.id).cmp(&(rank(b), &b.entity.id)));
        hits
    }
}

impl HealthGraph {
    /// The entity with the Wikidata item id or ROR id `text`, if `text` is
    /// one: `None` when it is neither, an error when no entity or several
    /// have it. One pass over the entities (a lookup a person types).
    fn by_external_id(&self, text: &str) -> Option<Result<&Entity, Error>> {
        let (what, matches): (&str, fn(&Entity, &str) -> bool) =
            if crate::model::entity::check_wikidata(text).is_ok() {
                ("Wikidata item", |e, t| e.wikidata() == Some(t))
            } else if crate::model::entity::check_ror(text).is_ok() {
                ("ROR id", |e, t| e.ror() == Some(t))
            } else {
                return None;
            };
        let found: Vec<&Entity> = self
            .entities()
            .filter(|e| matches(e, text))
            .take(10)
            .collect();
        Some(match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::new(
                Rule::UnknownEntity,
                format!("no entity has {what} `{text}`"),
            )),
            many => Err(Error::new(
                Rule::AmbiguousEntity,
                format!(
                    "{} entities have {what} `{text}`: {}; give an id",
                    many.len(),
                    many.iter()
                        .map(|e| e.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        })
    }

    /// The entity a user means by `text`: the entity with that id, or else
    /// the one best search match (see [`View::search`]) when no other
    /// entity matches as well. A match on a name beats a match on an id
    /// alone; a text that matches nothing gets the nearest ids (a swap of
    /// two letters counts as one slip).
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`] if nothing matches; [`Rule::AmbiguousEntity`]
    /// if several entities match equally well, with the candidates named.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Rule};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// assert_eq!(graph.find_entity("hanoi-doh")?.id(), "hanoi-doh");
    /// assert_eq!(graph.find_entity("phu san ha noi")?.id(), "hanoi-obgyn-hospital");
    /// // A name match beats a match on another entity's id alone.
    /// assert_eq!(graph.find_entity("karolinska")?.id(), "karolinska-institute");
    /// let err = graph.find_entity("benh vien").unwrap_err();
    /// assert_eq!(err.problems()[0].rule(), Rule::AmbiguousEntity);
    /// let err = graph.find_entity("karolinksa").unwrap_err();
    /// assert!(err.to_string().ends_with("did you mean `karolinska-institute`?"), "{err}");
    ///
    /// // A Wikidata item id (`Q…`) or a ROR id finds the entity that has it.
    /// let graph = HealthGraph::from_ron_str(r#"(
    ///     sources: [(id: "s", title: "T", published: "2025", language: "en")],
    ///     entities: [(id: "an-institute", kind: "institute", name: "An Institute",
    ///                 wikidata: "Q123456", ror: "0abcdef12", sources: ["s"])])"#)?;
    /// assert_eq!(graph.find_entity("Q123456")?.id(), "an-institute");
    /// assert_eq!(graph.find_entity("0abcdef12")?.id(), "an-institute");
    /// let err = graph.find_entity("Q1").unwrap_err();
    /// assert_eq!(err.to_string(), "no entity has Wikidata item `Q1`");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn find_entity(&self, text: &str) -> Result<&Entity, Error> {
        if let Some(entity) = self.entity(text.trim()) {
            return Ok(entity);
        }
        if let Some(found) = self.by_external_id(text.trim()) {
            return found;
        }
        let view = self.view(crate::Filter::new());
        let hits = view.search(text);
        let Some(best) = hits.first() else {
            let suggestions = self.suggest(text, 3);
            let hint = match suggestions.as_slice() {
                [] => String::new(),
                [one] => format!("; did you mean `{}`?", one.id),
                many => format!(
                    "; did you mean {}?",
                    many.iter()
                        .map(|e| format!("`{}`", e.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(Error::new(
                Rule::UnknownEntity,
                format!(
                    "no entity matches `{}`{hint}",
                    crate::model::id::shorten(text.trim())
                ),
            ));
        };
        let tied: Vec<&SearchHit<'_>> = hits
            .iter()
            .filter(|h| h.kind == best.kind && h.via_id == best.via_id)
            .collect();
        if tied.len() == 1 {
            return Ok(best.entity);
        }
        let names: Vec<String> = tied
            .iter()
            .take(10)
            .map(|h| match h.kind {
                MatchKind::Id => format!("{} (by its id)", h.entity.id),
                kind => format!("{} ({kind} match on “{}”)", h.entity.id, h.matched),
            })
            .collect();
        let more = if tied.len() > 10 {
            format!(" and {} more", tied.len() - 10)
        } else {
            String::new()
        };
        Err(Error::new(
            Rule::AmbiguousEntity,
            format!(
                "`{}` matches {} entities: {}{more}; give an id",
                crate::model::id::shorten(text.trim()),
                tied.len(),
                names.join(", ")
            ),
        ))
    }
}

impl HealthGraph {
    /// Up to `n` entities whose id or folded name is closest to `text` in
    /// edit distance, for "did you mean" hints; only close ones (at most a
    /// quarter of the text's length, and at least 2, edits away).
    fn suggest(&self, text: &str, n: usize) -> Vec<&Entity> {
        let query = fold_words(text).join("-");
        if query.is_empty() || query.len() > 200 {
            return Vec::new();
        }
        let limit = (query.len() / 4).max(2);
        let mut scored: Vec<(usize, &Entity)> = self
            .entities()
            .filter_map(|e| {
                // Whole names, and each longer word of a name: a mistyped
                // word of a longer name is still close to that word.
                let folded = [Some(e.name.as_ref()), e.name_en()]
                    .into_iter()
                    .flatten()
                    .map(fold_words);
                let mut names = vec![e.id.as_str().to_owned()];
                for words in folded {
                    names.push(words.join("-"));
                    names.extend(words.into_iter().filter(|w| w.len() >= 4));
                }
                let d = names.iter().map(|name| edit_distance(&query, name)).min()?;
                (d <= limit).then_some((d, e))
            })
            .collect();
        scored.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        scored.into_iter().take(n).map(|(_, e)| e).collect()
    }
}

/// Edit distance over bytes (the texts are folded to ASCII) where swapping
/// two neighbouring letters counts as one edit, as mistyping does
/// (`karolinksa` is one edit from `karolinska`): the optimal string
/// alignment distance, with three rows of memory.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        if let Some(first) = current.first_mut() {
            *first = i;
        }
        for j in 1..=b.len() {
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ca != cb);
            let at = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX - 1);
            let mut value = (at(&previous, j) + 1)
                .min(at(&current, j - 1) + 1)
                .min(at(&previous, j - 1) + cost);
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                value = value.min(at(&before, j - 2) + 1);
            }
            if let Some(cell) = current.get_mut(j) {
                *cell = value;
            }
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<String> {
        fold_words(text)
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(
            edit_distance("hanoi-obgyn-hospitl", "hanoi-obgyn-hospital"),
            1
        );
    }

    #[test]
    fn folding_drops_diacritics_case_and_punctuation() {
        assert_eq!(
            q("Bệnh viện Phụ sản Hà Nội"),
            ["benh", "vien", "phu", "san", "ha", "noi"]
        );
        assert_eq!(q("Đông Anh"), ["dong", "anh"]);
        assert_eq!(q("đ Đ"), ["d", "d"]);
        assert_eq!(q("Vietnam–Cuba (AP-HP)"), ["vietnam", "cuba", "ap", "hp"]);
        assert!(q(" -- ").is_empty());
    }

    #[test]
    fn matches_rank_whole_names_before_words_before_parts() {
        let kind = |query: &str, name: &str| match_name(&q(query), name).map(|(k, _)| k);
        assert_eq!(
            kind("phu san ha noi", "Phụ sản Hà Nội"),
            Some(MatchKind::Name)
        );
        assert_eq!(
            kind("PHỤ SẢN", "Bệnh viện Phụ sản Hà Nội"),
            Some(MatchKind::Words)
        );
        assert_eq!(
            kind("onco", "Hanoi Oncology Hospital"),
            Some(MatchKind::Partial)
        );
        assert_eq!(kind("phusan", "Phụ sản Hà Nội"), Some(MatchKind::Partial));
        assert_eq!(kind("kobe", "Phụ sản Hà Nội"), None);
    }
}
