//! Locating: from a place in an input text to its `file:line:column`.
//!
//! Every lookup costs O(log n) plus at most one block of the text, whatever
//! the shape of the file: line starts and the number of characters before
//! each block are indexed once, on the first lookup, so a file written on
//! one line with many problems costs no more than one with many lines.

use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;

use super::records::At;
use crate::error::Location;

/// How many bytes a block of the character index spans.
const BLOCK: usize = 4096;

/// The text formats a data set can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Ron,
    Json,
    /// One of the tables of a CSV folder.
    Csv,
}

/// One input text, where it came from, and its format.
pub(crate) struct Origin<'t> {
    pub(crate) file: Option<Arc<Path>>,
    pub(crate) text: &'t str,
    pub(crate) syntax: Syntax,
    index: OnceLock<Index>,
}

/// Where lines start, and how many characters come before each block.
struct Index {
    line_starts: Vec<usize>,
    chars_before_block: Vec<usize>,
}

impl Index {
    fn new(text: &str) -> Index {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(memchr_newlines(bytes).map(|i| i + 1))
            .collect();
        let mut chars_before_block = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0;
        for block in bytes.chunks(BLOCK) {
            chars_before_block.push(chars);
            chars += count_chars(block);
        }
        chars_before_block.push(chars);
        Index {
            line_starts,
            chars_before_block,
        }
    }

    /// How many characters come before byte `offset`.
    fn chars_before(&self, bytes: &[u8], offset: usize) -> usize {
        let block = offset / BLOCK;
        let start = block * BLOCK;
        self.chars_before_block.get(block).copied().unwrap_or(0)
            + bytes.get(start..offset).map_or(0, count_chars)
    }
}

/// The positions of the newlines of `bytes`.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
}

/// The characters of UTF-8 `bytes`: the bytes that do not continue one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

impl<'t> Origin<'t> {
    pub(crate) fn new(file: Option<Arc<Path>>, text: &'t str, syntax: Syntax) -> Self {
        Origin {
            file,
            text,
            syntax,
            index: OnceLock::new(),
        }
    }

    /// The location of a byte offset of the text.
    pub(crate) fn location_of_offset(&self, offset: usize) -> Location {
        let index = self.index.get_or_init(|| Index::new(self.text));
        let offset = offset.min(self.text.len());
        let line = index.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = index.line_starts.get(line - 1).copied().unwrap_or(0);
        let bytes = self.text.as_bytes();
        let column = index.chars_before(bytes, offset) - index.chars_before(bytes, start) + 1;
        Location::new(self.file.clone(), line, column)
    }

    /// The byte offset of a slice of this text, if it is one.
    pub(crate) fn offset_of(&self, slice: &str) -> Option<usize> {
        let base = self.text.as_ptr() as usize;
        let offset = (slice.as_ptr() as usize).checked_sub(base)?;
        (offset <= self.text.len()).then_some(offset)
    }

    /// The location of a place read from this text: a string's opening
    /// quote, or the first character of a key.
    pub(crate) fn locate(&self, at: At<'_>) -> Option<Location> {
        let s = match at {
            At::Slice(s) => s,
            At::Cell { line, column, .. } => {
                return Some(Location::new(
                    self.file.clone(),
                    line as usize,
                    column as usize,
                ));
            }
            At::Nowhere => return None,
        };
        let offset = self.offset_of(s)?;
        let quoted = offset > 0 && self.text.as_bytes().get(offset - 1) == Some(&b'"');
        Some(self.location_of_offset(if quoted { offset - 1 } else { offset }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "ab\nđc \"x\"\n";
        let origin = Origin::new(None, text, Syntax::Ron);
        let x = text.find('x').unwrap();
        let loc = origin.locate(At::Slice(&text[x..x + 1])).unwrap();
        assert_eq!((loc.line(), loc.column()), (2, 4));
        let elsewhere = String::from("x");
        assert!(origin.locate(At::Slice(&elsewhere)).is_none());
        assert!(origin.locate(At::Nowhere).is_none());
    }

    #[test]
    fn columns_are_characters_across_blocks() {
        // A line longer than several blocks, of two-byte characters: the
        // column of each place is its character count, block index or not.
        let line = "đ".repeat(3 * BLOCK);
        let text = format!("x\n{line}y");
        let origin = Origin::new(None, &text, Syntax::Ron);
        let y = text.len() - 1;
        let loc = origin.location_of_offset(y);
        assert_eq!((loc.line(), loc.column()), (2, 3 * BLOCK + 1));
        for offset in [2, 2 + BLOCK, 2 + 2 * BLOCK + 6] {
            let slow = text[2..offset].chars().count() + 1;
            assert_eq!(origin.location_of_offset(offset).column(), slow);
        }
    }
}
