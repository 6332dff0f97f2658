//! Search: entities by name, English name, alias, former name or id,
//! ignoring case and diacritics, ranked.

use crate::error::{Error, Rule};
use crate::graph::{HealthGraph, Node};
use crate::index::both;
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

/// Folds text for matching: transliterated to ASCII a character at a time
/// (diacritics dropped, `đ` to `d`), lower case, and split into words of
/// letters and digits.
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, &mut String::new(), |w| words.push(w.to_owned()));
    words
}

/// Calls `word` with each word of `text` as [`fold_words`] folds it, in
/// order, each written into `scratch`: no allocation per word or per text
/// once `scratch` has room. An ASCII character stands for itself; any
/// other is transliterated on its own by deunicode (an unknown one as
/// `[?]`, as `deunicode::deunicode` writes it).
fn for_each_word(text: &str, scratch: &mut String, mut word: impl FnMut(&str)) {
    let mut byte = |b: u8, scratch: &mut String| {
        if b.is_ascii_alphanumeric() {
            scratch.push(char::from(b.to_ascii_lowercase()));
        } else if !scratch.is_empty() {
            word(scratch);
            scratch.clear();
        }
    };
    scratch.clear();
    for c in text.chars() {
        if c.is_ascii() {
            byte(c as u8, scratch);
        } else {
            for b in deunicode::deunicode_char(c).unwrap_or("[?]").bytes() {
                byte(b, scratch);
            }
        }
    }
    byte(b' ', scratch);
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
    /// Which names hold each run of three letters, and each pair, of their
    /// joined form.
    runs: Runs,
}

/// For each run of three letters or digits, and each pair, the names whose
/// joined form holds it (each name once, in order): a query word can only
/// match a name that holds every run of the word, so the names worth
/// comparing are the intersection of a few lists, not every name.
///
/// A run held by few names keeps them as a list of name numbers (one array
/// cut at `starts`); a run held by more than one name in [`DENSE`] keeps a
/// bit per name instead, which takes less room than the list would and
/// answers "does this name hold it?" in one step. Intersecting then costs
/// about the shortest list: a common run like `ben` in a million hospital
/// names is tested bit by bit, not galloped through.
#[derive(Debug, Clone, Default)]
struct Runs {
    /// Where each run's list begins in `names`; one more at the end. A
    /// dense run's list is empty.
    starts: Vec<u32>,
    names: Vec<u32>,
    /// For each run, its number of names.
    counts: Vec<u32>,
    /// For each run, where its bits begin in `bits` (in words), or
    /// `u32::MAX` for a run kept as a list.
    dense: Vec<u32>,
    /// The dense runs' bits, `words` words each: bit `i % 64` of word
    /// `i / 64` is name `i`.
    bits: Vec<u64>,
    /// Words of bits per dense run.
    words: usize,
}

/// A run held by more than one name in `DENSE` is kept as bits.
const DENSE: u64 = 32;

/// One run's names, as the index keeps them.
#[derive(Debug, Clone, Copy)]
enum Held<'a> {
    List(&'a [u32]),
    Bits(&'a [u64]),
}

/// Whether bit `i` of `bits` is set.
fn has(bits: &[u64], i: u32) -> bool {
    bits.get(i as usize / 64)
        .is_some_and(|w| w >> (i % 64) & 1 == 1)
}

/// Letters and digits, the alphabet of folded text.
const LETTERS: usize = 36;

/// A folded character's number in [`LETTERS`].
fn letter(b: u8) -> Option<usize> {
    match b {
        b'0'..=b'9' => Some(usize::from(b - b'0')),
        b'a'..=b'z' => Some(usize::from(b - b'a') + 10),
        _ => None,
    }
}

/// Trigrams are numbered below `LETTERS`³, pairs of letters after them.
const TRIGRAMS: usize = LETTERS * LETTERS * LETTERS;

/// The trigrams of folded text, as numbers below [`TRIGRAMS`].
fn trigrams(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.as_bytes().windows(3).filter_map(|w| match *w {
        [a, b, c] => Some((letter(a)? * LETTERS + letter(b)?) * LETTERS + letter(c)?),
        _ => None,
    })
}

/// The pairs of letters of folded text, numbered after the trigrams.
fn pairs(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.as_bytes().windows(2).filter_map(|w| match *w {
        [a, b] => Some(TRIGRAMS + letter(a)? * LETTERS + letter(b)?),
        _ => None,
    })
}

/// What a name must hold for a query word to be inside it: the word's
/// trigrams, or for a word of two letters, the pair itself (a single letter
/// asks nothing of the index).
fn needs(word: &str) -> Box<dyn Iterator<Item = usize> + '_> {
    match word.len() {
        0 | 1 => Box::new(std::iter::empty()),
        2 => Box::new(pairs(word)),
        _ => Box::new(trigrams(word)),
    }
}

/// The first position at or after `from` where `list` (ascending) holds
/// `name` or more: steps of 1, 2, 4… then a binary search in the last step.
fn gallop(list: &[u32], from: usize, name: u32) -> usize {
    let below = |i: usize| list.get(i).is_some_and(|&x| x < name);
    if !below(from) {
        return from;
    }
    let mut step = 1;
    while below(from + step) {
        step *= 2;
    }
    // The answer lies in from + step / 2 + 1 ..= from + step.
    let lo = from + step / 2 + 1;
    let hi = (from + step).min(list.len());
    lo + list
        .get(lo..hi)
        .unwrap_or_default()
        .partition_point(|&x| x < name)
}

/// Every run of three letters, and every pair.
const RUNS: usize = TRIGRAMS + LETTERS * LETTERS;

/// From this many names, the index is built on two threads.
const PARALLEL_FROM: usize = 1 << 16;

/// For each run, how many of the names `range` hold it.
fn count<'a>(range: std::ops::Range<usize>, joined: &impl Fn(usize) -> &'a str) -> Vec<u32> {
    // The last name counted for each run: a name counts once.
    let mut last = vec![usize::MAX; RUNS];
    let mut counts = vec![0u32; RUNS];
    for i in range {
        for t in trigrams(joined(i)).chain(pairs(joined(i))) {
            if let (Some(l), Some(c)) = (last.get_mut(t), counts.get_mut(t)) {
                if *l != i {
                    *l = i;
                    *c += 1;
                }
            }
        }
    }
    counts
}

/// Writes the names `range` into their share of each run's list (`lists`,
/// by run) or bits (`bits`, by dense run, from the range's first word).
fn place<'a>(
    range: std::ops::Range<usize>,
    joined: &impl Fn(usize) -> &'a str,
    dense: &[u32],
    lists: &mut [&mut [u32]],
    bits: &mut [&mut [u64]],
) {
    let base = range.start / 64;
    let mut last = vec![usize::MAX; RUNS];
    let mut next = vec![0usize; RUNS];
    for i in range {
        for t in trigrams(joined(i)).chain(pairs(joined(i))) {
            let (Some(l), Some(&d)) = (last.get_mut(t), dense.get(t)) else {
                continue;
            };
            if *l == i {
                continue;
            }
            *l = i;
            if d != u32::MAX {
                let word = bits
                    .get_mut(d as usize)
                    .and_then(|b| b.get_mut(i / 64 - base));
                if let Some(word) = word {
                    *word |= 1 << (i % 64);
                }
            } else if let (Some(list), Some(n)) = (lists.get_mut(t), next.get_mut(t)) {
                if let Some(slot) = list.get_mut(*n) {
                    *slot = i as u32;
                }
                *n += 1;
            }
        }
    }
}

impl Runs {
    /// Indexes the joined forms of `n` names, name `i`'s being
    /// `joined(i)`. Two passes (count, then place), so the lists are one
    /// allocation, each in name order, and the bits another; each pass on
    /// two threads for a large index, each thread taking half the names
    /// and writing its own share of every list.
    fn build<'a>(n: usize, joined: impl Fn(usize) -> &'a str + Sync) -> Option<Runs> {
        Self::build_with(n, joined, PARALLEL_FROM)
    }

    /// As [`Runs::build`], on two threads from `parallel_from` names.
    fn build_with<'a>(
        n: usize,
        joined: impl Fn(usize) -> &'a str + Sync,
        parallel_from: usize,
    ) -> Option<Runs> {
        let n32 = u32::try_from(n).ok().filter(|&n| n != u32::MAX)?;
        // The halves meet at a multiple of 64, so that each writes whole
        // words of bits.
        let split = if n >= parallel_from {
            n / 2 / 64 * 64
        } else {
            n
        };
        let joined = &joined;
        let (first, second) = both(
            split < n,
            || count(0..split, joined),
            || count(split..n, joined),
        );
        let words = n.div_ceil(64);
        let is_dense = |c: u32| u64::from(c) * DENSE > u64::from(n32);
        let mut starts = Vec::with_capacity(RUNS + 1);
        let mut dense = Vec::with_capacity(RUNS);
        let mut counts = Vec::with_capacity(RUNS);
        let mut total = 0u32;
        let mut blocks = 0u32;
        for (&a, &b) in first.iter().zip(&second) {
            let c = a.checked_add(b)?;
            counts.push(c);
            starts.push(total);
            if is_dense(c) {
                dense.push(blocks);
                blocks = blocks.checked_add(1)?;
            } else {
                dense.push(u32::MAX);
                total = total.checked_add(c)?;
            }
        }
        starts.push(total);
        let mut names = vec![0u32; total as usize];
        let mut bits = vec![0u64; (blocks as usize).checked_mul(words)?];
        // Each half's share of each list and of each run's bits.
        let (mut lists_a, mut lists_b) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
        let mut rest = names.as_mut_slice();
        for ((&a, &b), &d) in first.iter().zip(&second).zip(&dense) {
            let (a, b) = if d == u32::MAX { (a, b) } else { (0, 0) };
            let (mine, after) = rest.split_at_mut_checked(a as usize)?;
            let (theirs, after) = after.split_at_mut_checked(b as usize)?;
            lists_a.push(mine);
            lists_b.push(theirs);
            rest = after;
        }
        let (mut bits_a, mut bits_b) = (Vec::new(), Vec::new());
        for run in bits.chunks_mut(words.max(1)) {
            let (mine, theirs) = run.split_at_mut(split.div_ceil(64).min(run.len()));
            bits_a.push(mine);
            bits_b.push(theirs);
        }
        let by_run = &dense;
        both(
            split < n,
            || place(0..split, joined, by_run, &mut lists_a, &mut bits_a),
            || place(split..n, joined, by_run, &mut lists_b, &mut bits_b),
        );
        Some(Runs {
            starts,
            names,
            counts,
            dense,
            bits,
            words,
        })
    }

    /// The names that hold run `t`, and how many there are.
    fn held(&self, t: usize) -> (Held<'_>, u32) {
        let count = self.counts.get(t).copied().unwrap_or(0);
        if let Some(&d) = self.dense.get(t).filter(|&&d| d != u32::MAX) {
            let from = d as usize * self.words;
            let bits = self.bits.get(from..from + self.words).unwrap_or_default();
            return (Held::Bits(bits), count);
        }
        let (Some(&a), Some(&b)) = (self.starts.get(t), self.starts.get(t + 1)) else {
            return (Held::List(&[]), 0);
        };
        let list = self.names.get(a as usize..b as usize).unwrap_or_default();
        (Held::List(list), count)
    }

    /// The names that hold everything every query word [`needs`], in
    /// order; `None` when no word needs anything (then every name must be
    /// compared). Starting from the shortest list, each further list is
    /// galloped through (O(s log g) for s names found so far and the widest
    /// gap g between them in that list) and each run kept as bits costs
    /// one test per name found so far; when every run is kept as bits,
    /// their words are and-ed together.
    fn candidates(&self, query: &[String]) -> Option<Vec<u32>> {
        if self.starts.is_empty() {
            return None;
        }
        let mut held: Vec<(Held<'_>, u32)> = query
            .iter()
            .flat_map(|q| needs(q))
            .map(|t| self.held(t))
            .collect();
        if held.is_empty() {
            return None;
        }
        held.sort_by_key(|&(_, count)| count);
        let (mut lists, mut dense) = (Vec::new(), Vec::new());
        for (h, _) in held {
            match h {
                Held::List(list) => lists.push(list),
                Held::Bits(bits) => dense.push(bits),
            }
        }
        let Some((first, others)) = lists.split_first() else {
            // Every run is common: and their bits, word by word, the
            // rarest first, and stop at a word once it is empty.
            let mut found = Vec::new();
            for w in 0..self.words {
                let mut word = u64::MAX;
                for bits in &dense {
                    word &= bits.get(w).copied().unwrap_or(0);
                    if word == 0 {
                        break;
                    }
                }
                while word != 0 {
                    found.push((w * 64) as u32 + word.trailing_zeros());
                    word &= word - 1;
                }
            }
            return Some(found);
        };
        let mut found = first.to_vec();
        for list in others {
            if found.is_empty() {
                break;
            }
            // Both ascend: each lookup gallops on from where the last one
            // ended, so a pass costs the gaps' logarithms, not the list's.
            let mut from = 0;
            found.retain(|&name| {
                from = gallop(list, from, name);
                list.get(from) == Some(&name)
            });
        }
        // Then every common run at once, the rarest first: a name is
        // dropped at the first run it lacks, in one pass over the names.
        found.retain(|&name| dense.iter().all(|bits| has(bits, name)));
        Some(found)
    }
}

/// Buffers reused while names are folded: the word at hand, and the
/// name's words run together.
#[derive(Default)]
struct Scratch {
    word: String,
    joined: String,
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
        Self::build_with(graph, PARALLEL_FROM)
    }

    /// As [`SearchIndex::build`], folding the names on two threads from
    /// `parallel_from` entities: each folds half the entities in id order,
    /// and the second half's text is appended to the first's.
    fn build_with(graph: &HealthGraph, parallel_from: usize) -> SearchIndex {
        let nodes: Vec<Node> = graph.nodes().collect();
        let fold = |part: &[Node]| {
            let mut index = SearchIndex::default();
            let mut scratch = Scratch::default();
            for &node in part {
                let Some(e) = graph.entity_at(node) else {
                    continue;
                };
                for (at, name) in names_of(e).enumerate() {
                    index.push(node, at as u32, name, &mut scratch);
                }
            }
            index
        };
        let mut index = if nodes.len() >= parallel_from {
            let (left, right) = nodes.split_at(nodes.len() / 2);
            let (mut index, rest) = both(true, || fold(left), || fold(right));
            let shift = index.text.len();
            index.text.push_str(&rest.text);
            index.names.extend(rest.names.into_iter().map(|f| Folded {
                words_end: f.words_end + shift,
                end: f.end + shift,
                ..f
            }));
            index
        } else {
            fold(&nodes)
        };
        index.text.shrink_to_fit();
        index.names.shrink_to_fit();
        let names = index.names.len();
        let runs = Runs::build(names, |i| index.texts(i).1);
        index.runs = runs.unwrap_or_default();
        index
    }

    fn push(&mut self, node: Node, at: u32, name: &str, scratch: &mut Scratch) {
        let Scratch { word, joined } = scratch;
        joined.clear();
        let text = &mut self.text;
        let mut first = true;
        for_each_word(name, word, |w| {
            if !first {
                text.push(' ');
            }
            first = false;
            text.push_str(w);
            joined.push_str(w);
        });
        let words_end = text.len();
        text.push_str(joined);
        self.names.push(Folded {
            node,
            at,
            words_end,
            end: text.len(),
        });
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
    let mut index = SearchIndex::default();
    index.push(Node::from_index(0), 0, name, &mut Scratch::default());
    let (words, joined) = index.texts(0);
    match_folded(query, words, joined)
}

/// How `query` (folded words) matches a folded name, if it does, and how
/// many words the name has.
///
/// A word inside one of the name's words is inside the joined name too, so
/// "every query word is inside the joined name" is the whole test of a
/// partial match. It comes first: a name that fails it is never split into
/// words.
fn match_folded(query: &[String], words: &str, joined: &str) -> Option<(MatchKind, usize)> {
    // Prefixes of words, or text inside a word ("onco" in "oncology"); for
    // several query words, inside the joined name as well ("phusan").
    if !query.iter().all(|q| joined.contains(q.as_str())) {
        return None;
    }
    let words = || words.split(' ').filter(|w| !w.is_empty());
    let n = words().count();
    if n == 0 {
        return None;
    }
    if n == query.len() && words().zip(query).all(|(w, q)| w == q.as_str()) {
        return Some((MatchKind::Name, n));
    }
    if query.iter().all(|q| words().any(|w| w == q.as_str())) {
        return Some((MatchKind::Words, n));
    }
    Some((MatchKind::Partial, n))
}

/// How many names a search reads ahead of comparing them (in tests, few,
/// so that the small graphs there have an entity's names cut across two
/// batches).
const CHUNK: usize = if cfg!(test) { 3 } else { 256 };

/// An entity's best match so far: its kind and the matched name's number
/// of words, and the name's position among the entity's names.
type Best = ((MatchKind, usize), u32);

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
    /// The names are folded and indexed by their runs of letters once, on
    /// the first search after a change to the graph (O(c) for c characters
    /// of names in all); then a search compares only the names that hold
    /// every run of three letters (or the pair, for a two-letter word) of
    /// its words: it costs about the intersection of those lists and the
    /// matches, not the entities. A text of one-letter words alone still
    /// compares every name.
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
        // The entity whose id the text is comes first, and only once.
        let by_id = self
            .graph
            .node(trimmed)
            .filter(|&node| self.node_passes(node));
        if let Some(entity) = by_id.and_then(|node| self.graph.entity_at(node)) {
            hits.push(SearchHit {
                entity,
                kind: MatchKind::Id,
                matched: entity.id.as_str(),
                words: 0,
                via_id: false,
            });
        }
        // The names worth comparing, in order (an entity's names are
        // consecutive): those the runs of letters allow, or every name.
        let candidates = index.runs.candidates(&query);
        let all = 0..u32::try_from(index.names.len()).unwrap_or(u32::MAX);
        let mut names: Box<dyn Iterator<Item = u32> + '_> = match &candidates {
            Some(found) => Box::new(found.iter().copied()),
            None => Box::new(all),
        };
        // Each entity's best match: (node, (kind, words), name position).
        let mut found: Vec<(Node, (MatchKind, usize), u32)> = Vec::new();
        // The best match of the entity at hand.
        let mut current: Option<(Node, Option<Best>)> = None;
        let mut finish = |current: Option<(Node, Option<Best>)>| {
            if let Some((node, Some((best, at)))) = current {
                found.push((node, best, at));
            }
        };
        // A few hundred names at a time, their records and texts read in a
        // first pass whose reads do not wait on one another: the names lie
        // all over a table of millions, and their cache misses then overlap
        // instead of coming one after another as each name is compared.
        let mut chunk: Vec<(Folded, &str, &str)> = Vec::with_capacity(CHUNK);
        loop {
            chunk.clear();
            chunk.extend(names.by_ref().take(CHUNK).filter_map(|i| {
                let folded = *index.names.get(i as usize)?;
                let (words, joined) = index.texts(i as usize);
                Some((folded, words, joined))
            }));
            if chunk.is_empty() {
                break;
            }
            let first_bytes = chunk.iter().map(|(_, _, j)| j.as_bytes().first().copied());
            std::hint::black_box(first_bytes.fold(0u8, |a, b| a ^ b.unwrap_or(0)));
            for &(folded, words, joined) in &chunk {
                let node = folded.node;
                if current.as_ref().map(|c| c.0) != Some(node) {
                    finish(current.take());
                    if Some(node) == by_id || !self.node_passes(node) {
                        continue;
                    }
                    current = Some((node, None));
                }
                let Some((_, best)) = current.as_mut() else {
                    continue;
                };
                if let Some(found) = match_folded(&query, words, joined) {
                    // The first of equally good names, as in name order.
                    if best.is_none_or(|(b, _)| found < b) {
                        *best = Some((found, folded.at));
                    }
                }
            }
        }
        finish(current);
        // The matched names, read in one pass of their own (again so that
        // the reads of the entities overlap).
        hits.extend(found.into_iter().filter_map(|(node, (kind, words), at)| {
            let entity = self.graph.entity_at(node)?;
            let matched = name_at(entity, at);
            Some(SearchHit {
                entity,
                kind,
                matched,
                words,
                // The id is the last of an entity's names.
                via_id: std::ptr::eq(matched, entity.id.as_str()),
            })
        }));
        // Within a rank, id order: the hits came in id order (names are
        // indexed in the entities' id order, the id's hit first), and the
        // sort is stable, so no id is read again to order them.
        let rank = |h: &SearchHit<'_>| (h.kind != MatchKind::Id, h.via_id, h.kind, h.words);
        hits.sort_by_key(rank);
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

    /// Folding the names on two threads gives the index one thread gives:
    /// the same text, and each name at the same place in it.
    #[test]
    fn two_threads_fold_the_names_one_folds() {
        let graph = HealthGraph::load("data/hanoi.ron").unwrap();
        let one = SearchIndex::build_with(&graph, usize::MAX);
        let two = SearchIndex::build_with(&graph, 0);
        assert!(one.names.len() > graph.entity_count());
        assert_eq!(one.text, two.text);
        let texts = |index: &SearchIndex| -> Vec<(Node, u32, String, String)> {
            (0..index.names.len())
                .map(|i| {
                    let (words, joined) = index.texts(i);
                    let f = index.names[i];
                    (f.node, f.at, words.to_owned(), joined.to_owned())
                })
                .collect()
        };
        assert_eq!(texts(&one), texts(&two));
    }

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

    /// The ranked hits of a search by comparing every name of every
    /// entity, as searching did before the names were indexed.
    fn by_scan(graph: &HealthGraph, text: &str) -> Vec<(String, MatchKind, String)> {
        let query = fold_words(text);
        let mut hits: Vec<(String, MatchKind, String, usize, bool)> = Vec::new();
        if query.is_empty() {
            return Vec::new();
        }
        for e in graph.entities() {
            if e.id == text.trim() {
                hits.push((e.id.to_string(), MatchKind::Id, e.id.to_string(), 0, false));
                continue;
            }
            let best = names_of(e)
                .filter_map(|name| Some((match_name(&query, name)?, name)))
                .min_by_key(|(k, _)| *k);
            if let Some(((kind, words), name)) = best {
                let via_id = name == e.id.as_str();
                hits.push((e.id.to_string(), kind, name.to_owned(), words, via_id));
            }
        }
        hits.sort_by(|a, b| {
            let rank = |h: &(String, MatchKind, String, usize, bool)| {
                (h.1 != MatchKind::Id, h.4, h.1, h.3)
            };
            (rank(a), &a.0).cmp(&(rank(b), &b.0))
        });
        hits.into_iter()
            .map(|(id, k, name, _, _)| (id, k, name))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// The index only narrows which names are compared: every search
        /// ranks the same hits as comparing every name does, for names and
        /// texts of common and rare syllables, two-letter and one-letter
        /// words, words run together and ids.
        #[test]
        fn indexed_search_finds_what_comparing_every_name_finds(
            names in proptest::collection::vec(
                proptest::collection::vec(0usize..12, 1..5), 1..40),
            texts in proptest::collection::vec(
                proptest::collection::vec(0usize..14, 1..4), 1..8),
        ) {
            const SYLLABLES: [&str; 14] = [
                "Bệnh", "viện", "Hà", "Nội", "Phụ", "sản", "ha", "An", "Đông",
                "Nhàn", "Viện", "a", "e1", "noi",
            ];
            let mut graph = HealthGraph::new();
            graph
                .insert_source(crate::Source::new("s".parse().unwrap(), "T", "2020".parse().unwrap(), "vi").unwrap())
                .unwrap();
            for (i, words) in names.iter().enumerate() {
                let name: Vec<&str> = words.iter().map(|&w| SYLLABLES[w]).collect();
                let entity = crate::Entity::new(
                    format!("e{i}").parse().unwrap(),
                    crate::EntityKind::Hospital,
                    name.join(" "),
                )
                .add_source("s".parse().unwrap());
                graph.insert_entity(entity).unwrap();
            }
            let view = graph.view(crate::Filter::new());
            for words in &texts {
                let mut text: String = words.iter().map(|&w| SYLLABLES[w]).collect::<Vec<_>>().join(" ");
                // Some texts run their words together ("phusan"), one is an id.
                if words.len() > 1 && words[0] % 2 == 0 {
                    text = text.replace(' ', "");
                }
                if words[0] == 13 {
                    text = format!("e{}", words.len());
                }
                let indexed: Vec<(String, MatchKind, String)> = view
                    .search(&text)
                    .iter()
                    .map(|h| (h.entity().id.to_string(), h.kind(), h.matched().to_owned()))
                    .collect();
                proptest::prop_assert_eq!(indexed, by_scan(&graph, &text), "{}", text);
            }
        }

        /// The candidates are exactly the names that hold every run the
        /// query words need, whether those runs are kept as lists, as bits
        /// or both (common syllables make runs held by more than one name
        /// in 32, rare ones runs held by fewer).
        #[test]
        fn candidates_are_the_names_holding_every_needed_run(
            names in proptest::collection::vec(
                proptest::collection::vec(0usize..40, 1..4), 1..400),
            words in proptest::collection::vec(0usize..40, 1..4),
        ) {
            // Syllables 0..8 are common (most names draw one), the rest rare.
            let syllable = |w: usize| -> String {
                const COMMON: [&str; 8] = ["benh", "vien", "ha", "noi", "san", "an", "dong", "nhan"];
                COMMON.get(w).map_or_else(|| format!("x{w}q"), |s| (*s).to_owned())
            };
            let joined: Vec<String> = names
                .iter()
                .map(|ws| ws.iter().map(|&w| syllable(w % 12)).collect::<String>())
                .collect();
            let runs = Runs::build_with(joined.len(), |i| &joined[i], 64).unwrap();
            let query: Vec<String> = words.iter().map(|&w| syllable(w % 12)).collect();
            let needed: Vec<usize> = query.iter().flat_map(|q| needs(q)).collect();
            let expected: Vec<u32> = (0..joined.len() as u32)
                .filter(|&i| {
                    let held: Vec<usize> =
                        trigrams(&joined[i as usize]).chain(pairs(&joined[i as usize])).collect();
                    needed.iter().all(|t| held.contains(t))
                })
                .collect();
            proptest::prop_assert_eq!(runs.candidates(&query), Some(expected));
        }
    }

    proptest::proptest! {
        /// Folding in place gives the words deunicode gives for the whole
        /// text, lowered and split, for any text: Vietnamese, other
        /// scripts, symbols, characters deunicode does not know. One
        /// difference, on purpose: an ASCII control character (a tab)
        /// always separates words, where deunicode keeps it before the
        /// first non-ASCII character and drops it after.
        #[test]
        fn folding_in_place_is_folding_the_transliterated_text(
            text in proptest::prop_oneof![
                proptest::arbitrary::any::<String>(),
                "[ a-zA-Z0-9ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐ\\t\\n\\x7f,.;:()\\[\\]?–北京東京🐶]{0,40}",
            ],
        ) {
            let spaced: String = text
                .chars()
                .map(|c| if c.is_ascii_control() { ' ' } else { c })
                .collect();
            let transliterated = deunicode::deunicode(&spaced);
            let whole: Vec<String> = transliterated
                .to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            proptest::prop_assert_eq!(fold_words(&text), whole);
        }
    }

    #[test]
    fn common_runs_are_kept_as_bits_and_rare_ones_as_lists() {
        // Name 0 holds only rare runs, names 1..=100 the common ones.
        let joined: Vec<String> = std::iter::once("kobe".to_owned())
            .chain((1..=100).map(|i| format!("benhvien{i}")))
            .collect();
        let runs = Runs::build(joined.len(), |i| &joined[i]).unwrap();
        let held = |word: &str| runs.held(needs(word).next().unwrap());
        assert!(matches!(held("ben"), (Held::Bits(_), 100)));
        assert!(matches!(held("kob"), (Held::List(&[0]), 1)));
        assert_eq!(runs.candidates(&q("benh vien 17")), Some(vec![17]));
        assert_eq!(runs.candidates(&q("vien benh")), Some((1..=100).collect()));
        assert_eq!(runs.candidates(&q("benh kobe")), Some(vec![]));
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
