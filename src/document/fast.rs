//! The fast path of loading: a streaming reader for data files in their
//! usual form, and a loader that checks each record with one lookup per
//! reference.
//!
//! The reader understands the RON that data files are written in (and that
//! [`HealthGraph::save`] writes): records in parentheses with or without
//! their struct names, strings with the common escapes, `Some(…)`, `None`
//! and implicit options, line and block comments, trailing commas, decimal
//! numbers, and the `#![enable(implicit_some)]` attribute. It reads a file
//! a few megabytes at a time, so the text is never in memory whole.
//!
//! It never decides anything the `ron` crate would decide differently: on
//! anything it does not know (raw strings, other escapes or attributes,
//! unusual whitespace, a malformed number) and on any problem at all
//! (syntax, a field missing or repeated, an invalid value, an unknown
//! reference that no later record defines) it gives up, and loading starts
//! again on the full path, which reads the text with `ron` and reports every
//! problem at its line and column. So a valid file in the usual form loads
//! fast, and any other input gets exactly the answer it got before.
//!
//! Work is split between two threads: this reader parses, converts and
//! validates each record on its own (ids, dates, vocabulary), and the
//! calling thread inserts records into the graph, checking references.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc;

use super::{
    Pending, RawEntity, RawFigure, RawPerson, RawRelation, RawSource, Refs, Report, Text,
    entity_from_raw, is_reference, relation_from_raw, source_from_raw,
};
use crate::entity::Entity;
use crate::error::Error;
use crate::graph::{HealthGraph, Incoming, Spare};
use crate::id::{EntityId, SourceId, is_well_formed};
use crate::relation::Relation;
use crate::source::Source;

/// Why a step of the reader stopped.
#[derive(Debug, PartialEq)]
enum Stop {
    /// The window ended before the step did: read more and try again.
    More,
    /// Not the usual form, or a problem: leave it to the full path.
    Bail,
}

type Step<T> = Result<T, Stop>;

/// A position in the part of the input read so far.
struct Cursor<'w> {
    b: &'w [u8],
    i: usize,
    /// Whether the window holds the rest of the input (no more to read).
    eof: bool,
}

fn utf8(bytes: &[u8]) -> Step<&str> {
    std::str::from_utf8(bytes).map_err(|_| Stop::Bail)
}

impl<'w> Cursor<'w> {
    /// What running off the end of the window means.
    fn end(&self) -> Stop {
        if self.eof { Stop::Bail } else { Stop::More }
    }

    fn peek(&self) -> Step<u8> {
        self.b.get(self.i).copied().ok_or_else(|| self.end())
    }

    fn expect(&mut self, c: u8) -> Step<()> {
        if self.peek()? == c {
            self.i += 1;
            Ok(())
        } else {
            Err(Stop::Bail)
        }
    }

    /// Skips ASCII whitespace and comments, as `ron` does (block comments
    /// nest). Stops at the end of the window without complaint: the next
    /// read of a byte asks for more.
    fn ws(&mut self) -> Step<()> {
        loop {
            match self.b.get(self.i) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(b'/') => match self.b.get(self.i + 1) {
                    Some(b'/') => {
                        let rest = self.b.get(self.i + 2..).unwrap_or_default();
                        match rest.iter().position(|&c| c == b'\n') {
                            Some(n) => {
                                utf8(rest.get(..n).unwrap_or_default())?;
                                self.i += 2 + n + 1;
                            }
                            None if self.eof => {
                                utf8(rest)?;
                                self.i = self.b.len();
                            }
                            None => return Err(Stop::More),
                        }
                    }
                    Some(b'*') => {
                        let (mut j, mut level) = (self.i + 2, 1);
                        while level > 0 {
                            match (self.b.get(j), self.b.get(j + 1)) {
                                (Some(b'/'), Some(b'*')) => (level, j) = (level + 1, j + 2),
                                (Some(b'*'), Some(b'/')) => (level, j) = (level - 1, j + 2),
                                (Some(b'/' | b'*'), None) | (None, _) => return Err(self.end()),
                                (Some(_), _) => j += 1,
                            }
                        }
                        utf8(self.b.get(self.i..j).unwrap_or_default())?;
                        self.i = j;
                    }
                    Some(_) => return Err(Stop::Bail),
                    None => return Err(self.end()),
                },
                _ => return Ok(()),
            }
        }
    }

    /// An ASCII identifier. Anything non-ASCII after it might continue it
    /// (RON identifiers are Unicode), so that is left to the full path.
    fn ident(&mut self) -> Step<&'w [u8]> {
        let start = self.i;
        if !matches!(self.peek()?, b'a'..=b'z' | b'A'..=b'Z' | b'_') {
            return Err(Stop::Bail);
        }
        let rest = self.b.get(start..).unwrap_or_default();
        let Some(n) = rest
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
        else {
            return Err(self.end());
        };
        if rest.get(n).is_some_and(|c| !c.is_ascii()) {
            return Err(Stop::Bail);
        }
        self.i = start + n;
        Ok(rest.get(..n).unwrap_or_default())
    }

    /// A string in double quotes: borrowed from the window when it has no
    /// escapes (as `ron` does), decoded otherwise.
    fn string(&mut self) -> Step<Text<'w>> {
        self.expect(b'"')?;
        let start = self.i;
        let rest = self.b.get(start..).unwrap_or_default();
        let special = |s: &[u8]| s.iter().position(|&c| c == b'"' || c == b'\\');
        let Some(n) = special(rest) else {
            return Err(self.end());
        };
        if rest.get(n) == Some(&b'"') {
            let s = utf8(rest.get(..n).unwrap_or_default())?;
            self.i = start + n + 1;
            return Ok(Text(Cow::Borrowed(s)));
        }
        let mut out = rest.get(..n).unwrap_or_default().to_vec();
        let mut j = n;
        loop {
            // rest[j] is a backslash.
            let Some(&c) = rest.get(j + 1) else {
                return Err(self.end());
            };
            let simple = match c {
                b'"' => Some(b'"'),
                b'\\' => Some(b'\\'),
                b'\'' => Some(b'\''),
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'0' => Some(0),
                b'u' => {
                    // `\u{…}`: one to six hex digits naming a character.
                    let after = rest.get(j + 2..).unwrap_or_default();
                    let Some(close) = after.iter().take(8).position(|&b| b == b'}') else {
                        return Err(if after.len() < 8 {
                            self.end()
                        } else {
                            Stop::Bail
                        });
                    };
                    let digits = after.get(1..close).unwrap_or_default();
                    if after.first() != Some(&b'{') || digits.is_empty() || digits.len() > 6 {
                        return Err(Stop::Bail);
                    }
                    let code = utf8(digits)
                        .ok()
                        .and_then(|d| u32::from_str_radix(d, 16).ok())
                        .and_then(char::from_u32)
                        .ok_or(Stop::Bail)?;
                    out.extend_from_slice(code.encode_utf8(&mut [0; 4]).as_bytes());
                    j += 2 + close + 1;
                    None
                }
                _ => return Err(Stop::Bail),
            };
            if let Some(byte) = simple {
                out.push(byte);
                j += 2;
            }
            let tail = rest.get(j..).unwrap_or_default();
            let Some(k) = special(tail) else {
                return Err(self.end());
            };
            out.extend_from_slice(tail.get(..k).unwrap_or_default());
            j += k;
            if rest.get(j) == Some(&b'"') {
                break;
            }
        }
        let s = String::from_utf8(out).map_err(|_| Stop::Bail)?;
        self.i = start + j + 1;
        Ok(Text(Cow::Owned(s)))
    }

    /// `None`, `Some("…")` or an implicit `"…"`.
    fn opt_string(&mut self) -> Step<Option<Text<'w>>> {
        if self.peek()? == b'"' {
            return self.string().map(Some);
        }
        match self.ident()? {
            b"None" => Ok(None),
            b"Some" => {
                self.ws()?;
                self.expect(b'(')?;
                self.ws()?;
                let s = self.string()?;
                self.ws()?;
                if self.peek()? == b',' {
                    self.i += 1;
                    self.ws()?;
                }
                self.expect(b')')?;
                Ok(Some(s))
            }
            _ => Err(Stop::Bail),
        }
    }

    /// A decimal number that fits in 64 bits, without sign, separators,
    /// leading zeros or suffix.
    fn u64(&mut self) -> Step<u64> {
        let start = self.i;
        let rest = self.b.get(start..).unwrap_or_default();
        let Some(n) = rest.iter().position(|c| !c.is_ascii_digit()) else {
            return Err(self.end());
        };
        let digits = rest.get(..n).unwrap_or_default();
        if n == 0 || (n > 1 && digits.first() == Some(&b'0')) {
            return Err(Stop::Bail);
        }
        if !matches!(
            rest.get(n),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b')')
        ) {
            return Err(Stop::Bail);
        }
        let mut value: u64 = 0;
        for &d in digits {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
                .ok_or(Stop::Bail)?;
        }
        self.i = start + n;
        Ok(value)
    }

    /// A list: `[a, b, …]`, with an optional trailing comma.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Step<T>) -> Step<Vec<T>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            self.ws()?;
            if self.peek()? == b']' {
                self.i += 1;
                return Ok(out);
            }
            out.push(item(self)?);
            self.ws()?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(out);
                }
                _ => return Err(Stop::Bail),
            }
        }
    }

    /// Reads a string field into `slots[bit]`: the first `required` fields
    /// of a record are plain strings, the others options.
    fn text_into(
        &mut self,
        slots: &mut [Option<Text<'w>>],
        bit: usize,
        required: usize,
    ) -> Step<()> {
        let value = if bit < required {
            Some(self.string()?)
        } else {
            self.opt_string()?
        };
        if let Some(slot) = slots.get_mut(bit) {
            *slot = value;
        }
        Ok(())
    }

    fn strings(&mut self) -> Step<Vec<Text<'w>>> {
        self.list(Cursor::string)
    }

    /// The start of a record: its struct name (optional), then `(`.
    fn open(&mut self, name: &[u8]) -> Step<()> {
        if self.peek()? != b'(' {
            if self.ident()? != name {
                return Err(Stop::Bail);
            }
            self.ws()?;
        }
        self.expect(b'(')
    }

    /// The fields of a record after its `(`, up to and including its `)`:
    /// `field(cursor, bit)` reads the value of the field that `index` numbers
    /// `bit`; an unknown or repeated field gives up. Returns the fields seen,
    /// as bits.
    fn fields(
        &mut self,
        index: fn(&[u8]) -> Option<usize>,
        mut field: impl FnMut(&mut Self, usize) -> Step<()>,
    ) -> Step<u32> {
        let mut seen = 0u32;
        loop {
            self.ws()?;
            if self.peek()? == b')' {
                self.i += 1;
                return Ok(seen);
            }
            let name = self.ident()?;
            let bit = index(name).ok_or(Stop::Bail)?;
            if seen & (1 << bit) != 0 {
                return Err(Stop::Bail);
            }
            seen |= 1 << bit;
            self.ws()?;
            self.expect(b':')?;
            self.ws()?;
            field(self, bit)?;
            self.ws()?;
            match self.peek()? {
                b',' => self.i += 1,
                b')' => {
                    self.i += 1;
                    return Ok(seen);
                }
                _ => return Err(Stop::Bail),
            }
        }
    }
}

/// The value of a required field.
fn required<T>(value: Option<T>) -> Step<T> {
    value.ok_or(Stop::Bail)
}

fn source<'w>(c: &mut Cursor<'w>) -> Step<RawSource<'w>> {
    c.open(b"source")?;
    let mut v: [Option<Text<'w>>; 10] = Default::default();
    let index = |name: &[u8]| {
        Some(match name {
            b"id" => 0,
            b"title" => 1,
            b"published" => 2,
            b"language" => 3,
            b"publisher" => 4,
            b"author" => 5,
            b"url" => 6,
            b"seed" => 7,
            b"section" => 8,
            b"note" => 9,
            _ => return None,
        })
    };
    c.fields(index, |c, bit| c.text_into(&mut v, bit, 4))?;
    let [
        id,
        title,
        published,
        language,
        publisher,
        author,
        url,
        seed,
        section,
        note,
    ] = v;
    Ok(RawSource {
        id: required(id)?,
        title: required(title)?,
        publisher,
        author,
        published: required(published)?,
        language: required(language)?,
        url,
        seed,
        section,
        note,
    })
}

fn entity<'w>(c: &mut Cursor<'w>) -> Step<RawEntity<'w>> {
    c.open(b"entity")?;
    let mut v: [Option<Text<'w>>; 8] = Default::default();
    let (mut aliases, mut sources) = (Vec::new(), Vec::new());
    let index = |name: &[u8]| {
        Some(match name {
            b"id" => 0,
            b"kind" => 1,
            b"name" => 2,
            b"name_en" => 3,
            b"country" => 4,
            b"wikidata" => 5,
            b"ror" => 6,
            b"note" => 7,
            b"aliases" => 8,
            b"sources" => 9,
            _ => return None,
        })
    };
    c.fields(index, |c, bit| {
        match bit {
            8 => aliases = c.strings()?,
            9 => sources = c.strings()?,
            _ => c.text_into(&mut v, bit, 3)?,
        }
        Ok(())
    })?;
    let [id, kind, name, name_en, country, wikidata, ror, note] = v;
    Ok(RawEntity {
        id: required(id)?,
        kind: required(kind)?,
        name: required(name)?,
        name_en,
        aliases,
        country,
        wikidata,
        ror,
        sources,
        note,
    })
}

fn person<'w>(c: &mut Cursor<'w>) -> Step<RawPerson<'w>> {
    c.open(b"person")?;
    let mut v: [Option<Text<'w>>; 3] = Default::default();
    let index = |name: &[u8]| {
        Some(match name {
            b"name" => 0,
            b"role" => 1,
            b"organisation" => 2,
            _ => return None,
        })
    };
    c.fields(index, |c, bit| c.text_into(&mut v, bit, 1))?;
    let [name, role, organisation] = v;
    Ok(RawPerson {
        name: required(name)?,
        role,
        organisation,
    })
}

fn figure<'w>(c: &mut Cursor<'w>) -> Step<RawFigure<'w>> {
    c.open(b"figure")?;
    let (mut value, mut unit, mut qualifier) = (None, None, None);
    let index = |name: &[u8]| {
        Some(match name {
            b"value" => 0,
            b"unit" => 1,
            b"qualifier" => 2,
            _ => return None,
        })
    };
    c.fields(index, |c, bit| {
        match bit {
            0 => value = Some(c.u64()?),
            1 => unit = Some(c.string()?),
            _ => qualifier = c.opt_string()?,
        }
        Ok(())
    })?;
    Ok(RawFigure {
        value: required(value)?,
        unit: required(unit)?,
        qualifier,
    })
}

fn relation<'w>(c: &mut Cursor<'w>) -> Step<RawRelation<'w>> {
    c.open(b"relation")?;
    let mut v: [Option<Text<'w>>; 10] = Default::default();
    let (mut scope, mut people, mut figures, mut sources) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let index = |name: &[u8]| {
        Some(match name {
            b"id" => 0,
            b"kind" => 1,
            b"from" => 2,
            b"to" => 3,
            b"status" => 4,
            b"basis" => 5,
            b"start" => 6,
            b"end" => 7,
            b"renews" => 8,
            b"note" => 9,
            b"scope" => 10,
            b"people" => 11,
            b"figures" => 12,
            b"sources" => 13,
            _ => return None,
        })
    };
    c.fields(index, |c, bit| {
        match bit {
            10 => scope = c.strings()?,
            11 => people = c.list(person)?,
            12 => figures = c.list(figure)?,
            13 => sources = c.strings()?,
            _ => c.text_into(&mut v, bit, 6)?,
        }
        Ok(())
    })?;
    let [id, kind, from, to, status, basis, start, end, renews, note] = v;
    Ok(RawRelation {
        id: required(id)?,
        kind: required(kind)?,
        from: required(from)?,
        to: required(to)?,
        start,
        end,
        status: required(status)?,
        basis: required(basis)?,
        renews,
        scope,
        people,
        figures,
        sources,
        note,
    })
}

/// A record read, converted and valid on its own (with whether an entity's
/// sources are shared, and a relation's ends); or how many relations are
/// about to come.
enum Item {
    Source(Source),
    Entity(Entity, bool),
    Relation(Relation, Ends),
    Expect(usize),
}

/// Converts a record with the full path's own conversion; any problem gives up.
fn convert<R, T>(
    raw: &R,
    from_raw: impl FnOnce(&mut Report<'_, '_>, usize, &R) -> Option<T>,
) -> Step<T> {
    let mut report = Report {
        origins: &[],
        problems: Vec::new(),
    };
    match from_raw(&mut report, 0, raw) {
        Some(value) if report.problems.is_empty() => Ok(value),
        _ => Err(Stop::Bail),
    }
}

/// How the reading thread makes the ids a record refers to, so that it
/// makes as few strings as it can (each is a small allocation, and the
/// loader would only swap it for the graph's own copy).
///
/// A source read earlier is shared as it is: the loader inserts each source
/// with the very string sent, before any later record (or gives up). The
/// entities at the ends of a relation are left to the loader, which looks
/// them up anyway: the relation holds stand-ins, and [`Ends`] their text.
struct Shared {
    sources: std::collections::HashSet<SourceId, foldhash::fast::RandomState>,
    // Of the record being converted.
    all_shared: bool,
    ends: Ends,
    stand_ins: (EntityId, EntityId),
}

impl Shared {
    fn new() -> Option<Shared> {
        Some(Shared {
            sources: Default::default(),
            all_shared: true,
            ends: Ends::default(),
            stand_ins: (EntityId::new("from").ok()?, EntityId::new("to").ok()?),
        })
    }

    /// Starts a record.
    fn begin(&mut self) {
        self.all_shared = true;
        self.ends = Ends::default();
    }
}

impl Refs for Shared {
    fn end(&mut self, to: bool, text: &str) -> Result<EntityId, Error> {
        if is_well_formed(text) && self.ends.keep(to, text) {
            Ok(if to {
                &self.stand_ins.1
            } else {
                &self.stand_ins.0
            }
            .clone())
        } else {
            EntityId::new(text)
        }
    }

    fn source(&mut self, text: &str) -> Result<SourceId, Error> {
        match self.sources.get(text) {
            Some(id) => Ok(id.clone()),
            None => {
                self.all_shared = false;
                SourceId::new(text)
            }
        }
    }
}

/// The ids of a relation's ends, beside it, when they fit; an id that does
/// not is in the relation itself. Also whether its sources are shared.
#[derive(Clone, Copy)]
struct Ends {
    text: [u8; 61],
    // Lengths of the two ids in `text`, or `ABSENT`.
    from: u8,
    to: u8,
    sources_shared: bool,
}

const ABSENT: u8 = u8::MAX;

impl Default for Ends {
    fn default() -> Self {
        Ends {
            text: [0; 61],
            from: ABSENT,
            to: ABSENT,
            sources_shared: false,
        }
    }
}

impl Ends {
    /// Keeps the `from` (`to` if `to`) id, if it fits beside the other:
    /// `from` from the start of the room, `to` up to its end.
    fn keep(&mut self, to: bool, id: &str) -> bool {
        let room = self.text.len();
        let other = self.len(if to { self.from } else { self.to });
        let at = if to { room.wrapping_sub(id.len()) } else { 0 };
        if id.len() + other > room {
            return false;
        }
        let Some(slot) = self.text.get_mut(at..at + id.len()) else {
            return false;
        };
        slot.copy_from_slice(id.as_bytes());
        // Fits in the room, so in a u8.
        let len = id.len() as u8;
        if to {
            self.to = len
        } else {
            self.from = len
        }
        true
    }

    fn len(&self, n: u8) -> usize {
        if n == ABSENT { 0 } else { usize::from(n) }
    }

    /// The `from` and `to` ids, each if kept here.
    fn ids(&self) -> (Option<&str>, Option<&str>) {
        // Checked once: what lies between the two ids is zeros.
        let Ok(text) = std::str::from_utf8(&self.text) else {
            return (None, None);
        };
        let (from, to) = (self.len(self.from), self.len(self.to));
        (
            text.get(..from).filter(|_| self.from != ABSENT),
            text.get(text.len() - to..).filter(|_| self.to != ABSENT),
        )
    }
}

/// A relation the loader refused, as the full path would have made it:
/// with its own ends, not stand-ins.
fn named(mut relation: Relation, from: &str, to: &str) -> Option<Relation> {
    if relation.from.as_str() != from {
        relation.from = EntityId::new(from).ok()?;
    }
    if relation.to.as_str() != to {
        relation.to = EntityId::new(to).ok()?;
    }
    Some(relation)
}

/// The three lists of a data file.
#[derive(Clone, Copy, PartialEq)]
enum List {
    Sources,
    Entities,
    Relations,
}

/// How much of a file is read at a time; a record longer than half of it
/// doubles it.
const WINDOW: usize = 4 << 20;

/// How many records travel together between the two threads.
const BATCH: usize = 1024;

/// An input read a window at a time.
struct Reader<R> {
    input: R,
    data: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    // Bytes of the input read so far, and its length (0 if unknown).
    done: u64,
    size: u64,
}

impl<R: Read> Reader<R> {
    fn new(input: R, window: usize, size: u64) -> Self {
        Reader {
            input,
            data: vec![0; window.max(64)],
            start: 0,
            end: 0,
            eof: false,
            done: 0,
            size,
        }
    }

    /// About how many records like the `records` that took up `bytes` fit
    /// in the rest of the input (which need not be all of their kind).
    fn expect(&self, records: usize, bytes: u64) -> usize {
        // No record of the usual form is shorter than this.
        const SHORTEST: u64 = 64;
        let left = self.size.saturating_sub(self.done);
        let per_record = (bytes / records.max(1) as u64).max(SHORTEST);
        usize::try_from(left / per_record).unwrap_or(0)
    }

    /// Keeps what is left of the window, and reads until it is full or the
    /// input ends. `false` on an I/O error.
    fn fill(&mut self) -> bool {
        let live = self.end - self.start;
        self.data.copy_within(self.start..self.end, 0);
        (self.start, self.end) = (0, live);
        if live * 2 > self.data.len() {
            self.data.resize(self.data.len() * 2, 0);
        }
        while self.end < self.data.len() {
            match self
                .input
                .read(self.data.get_mut(self.end..).unwrap_or_default())
            {
                Ok(0) => {
                    self.eof = true;
                    return true;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// Runs `f` on the unread part of the input, reading more and running it
    /// again from the same place while it runs off the end; `None` if it
    /// gives up (or the input cannot be read).
    fn step<T>(&mut self, mut f: impl FnMut(&mut Cursor<'_>) -> Step<T>) -> Option<T> {
        loop {
            let mut c = Cursor {
                b: self.data.get(self.start..self.end).unwrap_or_default(),
                i: 0,
                eof: self.eof,
            };
            match f(&mut c) {
                Ok(value) => {
                    self.start += c.i;
                    self.done += c.i as u64;
                    return Some(value);
                }
                Err(Stop::More) if !self.eof => {
                    if !self.fill() {
                        return None;
                    }
                }
                Err(_) => return None,
            }
        }
    }
}

/// The attribute `ron` accepts and that changes nothing here (options are
/// implicit anyway).
const IMPLICIT_SOME: &[u8] = b"#![enable(implicit_some)]";

/// Reads one data file, sending its records in batches. `None` if the
/// file is not in the usual form or the loader stopped listening.
fn read_file<R: Read>(
    reader: &mut Reader<R>,
    refs: &mut Shared,
    send: &mut impl FnMut(Vec<Item>) -> Option<()>,
    fresh: &mut impl FnMut() -> Vec<Item>,
) -> Option<()> {
    reader.step(|c| {
        c.ws()?;
        while c.peek()? == b'#' {
            let rest = c.b.get(c.i..).unwrap_or_default();
            if rest.len() < IMPLICIT_SOME.len() {
                return Err(c.end());
            }
            if !rest.starts_with(IMPLICIT_SOME) {
                return Err(Stop::Bail);
            }
            c.i += IMPLICIT_SOME.len();
            c.ws()?;
        }
        c.open(b"dataset")
    })?;
    let mut seen: Vec<List> = Vec::new();
    loop {
        let list = reader.step(|c| {
            c.ws()?;
            if c.peek()? == b')' {
                c.i += 1;
                return Ok(None);
            }
            let list = match c.ident()? {
                b"sources" => List::Sources,
                b"entities" => List::Entities,
                b"relations" => List::Relations,
                _ => return Err(Stop::Bail),
            };
            c.ws()?;
            c.expect(b':')?;
            c.ws()?;
            c.expect(b'[')?;
            Ok(Some(list))
        })?;
        let Some(list) = list else { break };
        if seen.contains(&list) {
            return None;
        }
        seen.push(list);
        let mut batch = fresh();
        let mut comma = true;
        let (begun, mut hinted) = (reader.done, false);
        loop {
            let item = reader.step(|c| {
                c.ws()?;
                if c.peek()? == b']' {
                    c.i += 1;
                    return Ok(None);
                }
                if !comma {
                    return Err(Stop::Bail);
                }
                refs.begin();
                let item = match list {
                    List::Sources => Item::Source(convert(&source(c)?, source_from_raw)?),
                    List::Entities => {
                        let entity =
                            convert(&entity(c)?, |r, f, raw| entity_from_raw(r, f, raw, refs))?;
                        Item::Entity(entity, refs.all_shared)
                    }
                    List::Relations => {
                        let relation = convert(&relation(c)?, |r, f, raw| {
                            relation_from_raw(r, f, raw, refs)
                        })?;
                        let mut ends = refs.ends;
                        ends.sources_shared = refs.all_shared;
                        // The stand-ins differ, so the conversion could not
                        // see a relation that joins an entity to itself.
                        let (from, to) = ends.ids();
                        let from = from.unwrap_or(relation.from.as_str());
                        if to.unwrap_or(relation.to.as_str()) == from {
                            return Err(Stop::Bail);
                        }
                        Item::Relation(relation, ends)
                    }
                };
                c.ws()?;
                let more = c.peek()? == b',';
                if more {
                    c.i += 1;
                }
                Ok(Some((item, more)))
            })?;
            let Some((item, more)) = item else { break };
            if let Item::Source(source) = &item {
                // Shared from now on (if the id is new: a second source with
                // it will be refused, and the load given up).
                refs.sources.insert(source.id.clone());
            }
            comma = more;
            batch.push(item);
            if batch.len() == BATCH {
                if list == List::Relations && !hinted {
                    // Room for the relations to come, before the first of
                    // them: an index that grows while millions of ids pour
                    // in moves each of them again.
                    hinted = true;
                    let mut hint = fresh();
                    hint.push(Item::Expect(reader.expect(BATCH, reader.done - begun)));
                    send(hint)?;
                }
                send(std::mem::replace(&mut batch, fresh()))?;
            }
        }
        if !batch.is_empty() {
            send(batch)?;
        }
        let end = reader.step(|c| {
            c.ws()?;
            match c.peek()? {
                b',' => {
                    c.i += 1;
                    Ok(false)
                }
                b')' => {
                    c.i += 1;
                    Ok(true)
                }
                _ => Err(Stop::Bail),
            }
        })?;
        if end {
            break;
        }
    }
    // Only whitespace and comments may follow.
    reader.step(|c| {
        c.ws()?;
        if c.i < c.b.len() {
            Err(Stop::Bail)
        } else if c.eof {
            Ok(())
        } else {
            Err(Stop::More)
        }
    })
}

/// The calling thread's half: inserts records, keeps those that refer to
/// something not yet defined, and stops at the first other problem.
struct Loader {
    graph: HealthGraph,
    deferred: Vec<Pending>,
    // The reading thread's id copies that the graph replaced with its own,
    // sent back to be freed there.
    spare: Spare,
}

impl Loader {
    /// Inserts one record; `false` if it has a problem other than a
    /// reference that a later record may satisfy.
    fn take(&mut self, item: Item) -> bool {
        match item {
            Item::Source(s) => self.graph.try_insert_source(s),
            Item::Entity(e, shared) => {
                match self.graph.try_insert_entity(e, shared, &mut self.spare) {
                    Ok(()) => true,
                    Err(e) => self.defer(Pending::Entity(e)),
                }
            }
            Item::Relation(r, ends) => {
                // An id too long to be kept beside the relation is in it:
                // copied, since the relation moves into the graph.
                let (from, to) = ends.ids();
                let own_from = from.is_none().then(|| r.from.clone());
                let own_to = to.is_none().then(|| r.to.clone());
                let from = from.or(own_from.as_ref().map(EntityId::as_str));
                let to = to.or(own_to.as_ref().map(EntityId::as_str));
                let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
                let incoming = Incoming {
                    from,
                    to,
                    sources_shared: ends.sources_shared,
                };
                match self.graph.try_insert_relation(r, incoming, &mut self.spare) {
                    Ok(()) => true,
                    Err(r) => match named(r, from, to) {
                        Some(r) => self.defer(Pending::Relation(r)),
                        None => false,
                    },
                }
            }
            Item::Expect(relations) => {
                self.graph.reserve_relations(relations);
                true
            }
        }
    }

    /// Keeps a refused record for later if all its problems are references
    /// that a later record may satisfy; `false` (give up) otherwise.
    fn defer(&mut self, pending: Pending) -> bool {
        let problems = match &pending {
            Pending::Entity(e) => self.graph.check_entity(e),
            Pending::Relation(r) => self.graph.check_relation(r),
        };
        let waits = !problems.is_empty() && problems.iter().all(|(_, p)| is_reference(p.rule()));
        if waits {
            self.deferred.push(pending);
        }
        waits
    }

    /// Inserts the records kept for later until none is left, or gives up if
    /// some never resolve.
    fn finish(mut self) -> Option<HealthGraph> {
        while !self.deferred.is_empty() {
            let before = self.deferred.len();
            let mut waiting = Vec::new();
            for pending in std::mem::take(&mut self.deferred) {
                match pending {
                    Pending::Entity(e) => {
                        if let Err(e) = self.graph.try_insert_entity(e, false, &mut self.spare) {
                            waiting.push(Pending::Entity(e));
                        }
                    }
                    Pending::Relation(r) => {
                        let (from, to) = (r.from.clone(), r.to.clone());
                        let incoming = Incoming {
                            from: from.as_str(),
                            to: to.as_str(),
                            sources_shared: false,
                        };
                        if let Err(r) = self.graph.try_insert_relation(r, incoming, &mut self.spare)
                        {
                            waiting.push(Pending::Relation(r));
                        }
                    }
                }
            }
            if waiting.len() == before {
                return None;
            }
            self.deferred = waiting;
        }
        Some(self.graph)
    }
}

/// Records on their way to the loading thread, and on the way back, empty,
/// the id copies the graph replaced with its own.
struct Parcel {
    items: Vec<Item>,
    spare: Spare,
}

/// Loads `inputs` in order, reading on a second thread, or `None` if any of
/// them is not a valid data set in the usual form.
fn load<R: Read + Send>(inputs: Vec<(R, usize, u64)>) -> Option<HealthGraph> {
    std::thread::scope(|scope| {
        let (to_loader, batches) = mpsc::sync_channel::<Parcel>(4);
        let (give_back, recycled) = mpsc::channel::<Parcel>();
        let reader = scope.spawn(move || {
            // Parcels come back, so their memory is reused instead of freed
            // on the other thread; with them come the id copies the graph
            // did not keep, to be freed here, where they were made.
            let spare = Cell::new(Spare::default());
            let mut fresh = || match recycled.try_recv() {
                Ok(mut parcel) => {
                    parcel.spare.clear();
                    spare.set(parcel.spare);
                    parcel.items
                }
                Err(_) => Vec::with_capacity(BATCH),
            };
            let mut send = |items| {
                let spare = spare.take();
                to_loader.send(Parcel { items, spare }).ok()
            };
            let mut refs = Shared::new()?;
            for (input, window, size) in inputs {
                let reader = &mut Reader::new(input, window, size);
                read_file(reader, &mut refs, &mut send, &mut fresh)?;
            }
            Some(())
        });
        let mut loader = Loader {
            graph: HealthGraph::new(),
            deferred: Vec::new(),
            spare: Spare::default(),
        };
        let mut ok = true;
        for mut parcel in batches.iter() {
            ok = parcel.items.drain(..).all(|item| loader.take(item));
            if !ok {
                break;
            }
            std::mem::swap(&mut parcel.spare, &mut loader.spare);
            let _ = give_back.send(parcel);
        }
        // Stops the reader if the loader gave up.
        drop(batches);
        let read = reader.join().ok().flatten();
        if ok && read.is_some() {
            loader.finish()
        } else {
            None
        }
    })
}

/// Loads the files, in order, or `None` if the full path must decide.
pub(super) fn load_files(files: &[PathBuf]) -> Option<HealthGraph> {
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        let file = std::fs::File::open(file).ok()?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        inputs.push((file, WINDOW, size));
    }
    load(inputs)
}

/// Loads a text, or `None` if the full path must decide. The text is read
/// through the same window as a file, so a large one is not copied whole.
pub(super) fn load_str(text: &str) -> Option<HealthGraph> {
    load(vec![(
        text.as_bytes(),
        WINDOW.min(text.len() + 1),
        text.len() as u64,
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` through a window of `window` bytes and returns the
    /// records' ids, or `None` if the reader gives up.
    fn ids(text: &str, window: usize) -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut send = |batch: Vec<Item>| {
            for item in batch {
                out.push(match item {
                    Item::Source(s) => s.id.as_str().to_owned(),
                    Item::Entity(e, _) => e.id.as_str().to_owned(),
                    Item::Relation(r, _) => r.id.as_str().to_owned(),
                    Item::Expect(n) => format!("expect {n}"),
                });
            }
            Some(())
        };
        read_file(
            &mut Reader::new(text.as_bytes(), window, text.len() as u64),
            &mut Shared::new()?,
            &mut send,
            &mut Vec::new,
        )?;
        Some(out)
    }

    const DOC: &str = r#"#![enable(implicit_some)]
// A comment, with diacritics: Hà Nội.
(
    sources: [
        source(id: "s", title: "A \"quoted\" title", published: "2025", language: "vi", note: None),
    ],
    /* a block /* nested */ comment */
    entities: [
        (id: "a", kind: "city", name: "Hà Nội", country: Some("VN"), sources: ["s"]),
        (id: "b", kind: "hospital", name: "B", sources: ["s",],),
    ],
    relations: [
        relation(
            id: "r", kind: "cooperation", from: "a", to: "b",
            status: "ongoing", basis: "stated", start: Some( "2020" , ),
            figures: [(value: 12, unit: "doctors")],
            people: [person(name: "P", organisation: "a")],
            sources: ["s"],
        ),
    ],
) // the end
"#;

    #[test]
    fn reads_the_usual_forms_through_any_window() {
        let all = Some(vec!["s".into(), "a".into(), "b".into(), "r".into()]);
        for window in [64, 100, 333, 4096, DOC.len() + 1] {
            assert_eq!(ids(DOC, window), all, "window {window}");
        }
    }

    #[test]
    fn the_graph_holds_one_copy_of_each_id() {
        // Ids at the ends of relations longer than the room beside them are
        // in the relation itself; both ways end in the graph's own copy.
        let long = "a-city-whose-id-is-longer-than-the-room-kept-beside-a-relation";
        let text = DOC.replace("\"a\"", &format!("\"{long}\""));
        for text in [DOC.to_owned(), text] {
            let graph = load_str(&text).expect("the fast path");
            let same = |a: &str, b: &str| std::ptr::eq(a, b);
            let source = |id: &SourceId| graph.source(id.as_str()).map(|s| s.id().as_str());
            let mut seen = 0;
            for r in graph.relations() {
                for end in [r.from(), r.to()] {
                    let entity = graph.entity(end.as_str()).expect("an entity of the graph");
                    assert!(same(end.as_str(), entity.id().as_str()), "{end}");
                }
                for s in r.sources() {
                    assert!(source(s).is_some_and(|own| same(own, s.as_str())), "{s}");
                }
                seen += 1;
            }
            for e in graph.entities() {
                for s in e.sources() {
                    assert!(source(s).is_some_and(|own| same(own, s.as_str())), "{s}");
                }
            }
            assert_eq!(seen, 1);
        }
    }

    #[test]
    fn the_ends_beside_a_relation_keep_both_ids_in_either_order() {
        let fits = |a: &str, b: &str, to_first: bool| {
            let mut ends = Ends::default();
            let (first, second) = if to_first { (b, a) } else { (a, b) };
            let kept = (ends.keep(to_first, first), ends.keep(!to_first, second));
            let (from, to) = ends.ids();
            (kept, (from.map(str::to_owned), to.map(str::to_owned)))
        };
        for to_first in [false, true] {
            let ((x, y), ids) = fits("e1", "hanoi-doh", to_first);
            assert!(x && y);
            assert_eq!(ids, (Some("e1".into()), Some("hanoi-doh".into())));
            // Together longer than the room: the second is not kept.
            let long = "x".repeat(40);
            let ((x, y), ids) = fits(&long, &long, to_first);
            assert!(x && !y);
            let kept = Some(long.clone());
            assert_eq!(ids, if to_first { (None, kept) } else { (kept, None) });
        }
    }

    #[test]
    fn a_relation_joining_an_entity_to_itself_is_left_to_the_full_path() {
        let text = DOC.replace("from: \"a\", to: \"b\"", "from: \"a\", to: \"a\"");
        assert_ne!(text, DOC);
        assert!(load_str(&text).is_none());
    }

    #[test]
    fn tells_the_loader_how_many_relations_to_expect() {
        let n = 3 * BATCH;
        let mut text = String::from(
            "(sources: [(id: \"s\", title: \"T\", published: \"2025\", language: \"vi\")],\n\
             entities: [(id: \"a\", kind: \"city\", name: \"A\", sources: [\"s\"]),\n\
             (id: \"b\", kind: \"hospital\", name: \"B\", sources: [\"s\"])],\nrelations: [\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "(id: \"r{i:05}\", kind: \"cooperation\", from: \"a\", to: \"b\", \
                 status: \"ongoing\", basis: \"stated\", sources: [\"s\"]),\n"
            ));
        }
        text.push_str("])\n");
        let ids = ids(&text, 4096).expect("the usual form");
        let hints: Vec<(usize, &String)> = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| id.starts_with("expect"))
            .collect();
        // One hint, before the first relation, close to the number left
        // after the first batch.
        let [(at, hint)] = hints.as_slice() else {
            panic!("{hints:?}")
        };
        assert_eq!(*at, 3, "after the source and the two entities");
        let expected: usize = hint["expect ".len()..].parse().expect("a number");
        let left = n - BATCH;
        assert!(expected.abs_diff(left) * 20 < left, "{expected} for {left}");
        assert_eq!(ids.len(), 3 + 1 + n);
        let graph = load_str(&text).expect("loads on the fast path");
        assert_eq!(graph.relation_count(), n);
    }

    #[test]
    fn gives_up_on_what_it_does_not_know() {
        for (from, to) in [
            (r#""A \"quoted\" title""#, r#"r"raw""#),
            (r#""Hà Nội""#, r#""H\x41""#),
            (r#""Hà Nội""#, r#""H\u{110000}""#),
            (r#""Hà Nội""#, r#""H\u{}""#),
            (r#""Hà Nội""#, r#""H\u{0000041}""#),
            (r#""Hà Nội""#, r#""H\u41""#),
            ("12", "0x0c"),
            ("12", "1_2"),
            ("12", "012"),
            ("12", "18446744073709551616"),
            ("#![enable(implicit_some)]", "#![enable(unwrap_newtypes)]"),
            ("source(", "src("),
            ("status:", "r#status:"),
            ("note: None", "note: None, note: None"),
            ("note: None", "nothing: None"),
            ("name: \"B\", ", ""),
            ("// the end", "trailing"),
            ("\"s\",]", "\"s\" \"s\"]"),
            ("(id: \"a\"", "\u{a0}(id: \"a\""),
        ] {
            assert!(DOC.contains(from), "{from}");
            let text = DOC.replacen(from, to, 1);
            assert_eq!(ids(&text, 64), None, "{to}");
            assert_eq!(ids(&text, text.len() + 1), None, "{to}");
        }
    }

    #[test]
    fn a_record_that_fails_its_own_checks_gives_up() {
        let text = DOC.replacen("\"2025\"", "\"2025-02-30\"", 1);
        assert_eq!(ids(&text, 4096), None);
    }

    #[test]
    fn a_file_ending_inside_a_comment_or_record_gives_up() {
        for cut in [
            DOC.find("/*").unwrap() + 5,
            DOC.find("relation(").unwrap() + 20,
        ] {
            assert_eq!(ids(&DOC[..cut], 64), None, "cut at {cut}");
        }
        let unclosed = DOC.replacen("// the end\n", "// the end", 1);
        assert!(ids(&unclosed, 64).is_some());
    }

    /// Loads through the fast path with a given window size.
    fn fast(text: &str, window: usize) -> Option<HealthGraph> {
        load(vec![(text.as_bytes(), window, text.len() as u64)])
    }

    /// The full path alone: `ron`, and every check with its location.
    fn full(text: &str) -> Result<HealthGraph, crate::Error> {
        super::super::build(&[super::super::Origin::new(None, text)])
    }

    const HANOI: &str = include_str!("../../data/hanoi.ron");

    #[test]
    fn the_data_set_and_saved_graphs_take_the_fast_path() {
        let graph = fast(HANOI, WINDOW).expect("hanoi.ron is in the usual form");
        assert_eq!(Ok(&graph), full(HANOI).as_ref().map_err(|e| e.to_string()));
        let saved = graph.to_ron_string().unwrap();
        for window in [64, 1000, saved.len() + 1] {
            assert_eq!(
                fast(&saved, window).as_ref(),
                Some(&graph),
                "window {window}"
            );
        }
    }

    #[test]
    fn the_full_path_reports_what_the_fast_path_leaves() {
        // A broken record: the fast path gives up, the full path locates it.
        let text = HANOI.replacen("\"2017-07-17\"", "\"2017-02-30\"", 1);
        assert!(fast(&text, WINDOW).is_none());
        let err = HealthGraph::from_ron_str(&text).unwrap_err();
        assert_eq!(err.problems()[0].rule(), crate::Rule::InvalidDate);
        assert!(err.problems()[0].location().is_some());
        // A forward reference that a later record satisfies is fine.
        let text = r#"(
            relations: [(id: "r", kind: "cooperation", from: "a", to: "b",
                         status: "ongoing", basis: "stated", sources: ["s"])],
            entities: [(id: "a", kind: "city", name: "A", sources: ["s"]),
                       (id: "b", kind: "hospital", name: "B", sources: ["s"])],
            sources: [(id: "s", title: "T", published: "2025", language: "vi")],
        )"#;
        let graph = fast(text, 64).expect("references resolve at the end");
        assert_eq!(Ok(graph), full(text).map_err(|e| e.to_string()));
    }

    /// Edits that keep a text valid or break it in the ways files break.
    const EDITS: &[&str] = &[
        " ",
        "\n",
        "\t",
        "// c\n",
        "/* c */",
        "/* /* c */ */",
        ",",
        "\"",
        "\\",
        "\\n",
        "\\u{e9}",
        "Some(",
        ")",
        "(",
        "]",
        "[",
        "None",
        "r#",
        "x",
        "é",
        "1",
        "-",
        ":",
        "#",
        "/",
        "*",
        "\r\n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever the edit, a text the fast path accepts is one the full
        /// path accepts, giving the same graph, through any window.
        #[test]
        fn the_fast_path_agrees_with_ron(
            edits in proptest::collection::vec(
                (0usize..HANOI.len(), 0usize..EDITS.len(), 0usize..4), 1..4),
            window in 64usize..20_000,
        ) {
            let mut text = HANOI.to_owned();
            for (at, edit, delete) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + delete).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, EDITS[edit]);
            }
            if let Some(graph) = fast(&text, window) {
                let full = full(&text);
                proptest::prop_assert!(full.is_ok(), "fast accepted, ron refused: {:?}", full.err());
                proptest::prop_assert_eq!(Some(graph), full.ok());
            }
        }
    }
}
