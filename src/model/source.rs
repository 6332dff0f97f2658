//! Sources: the articles and documents that facts are taken from.

use crate::error::{Error, Rule};
use crate::model::date::Date;
use crate::model::id::{SourceId, shorten};

/// Checks a BCP 47 language tag in its common shape: a 2–3 letter lowercase
/// language, then optional alphanumeric subtags (`vi`, `en-GB`, `zh-Hant`).
pub(crate) fn check_language(tag: &str) -> Result<(), Error> {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(Error::new(
            Rule::InvalidExternalId,
            format!(
                "malformed language tag `{}`: expected a BCP 47 tag such as vi or en-GB",
                shorten(tag)
            ),
        ))
    }
}

/// An article or document that facts are taken from.
///
/// # Example
///
/// ```
/// use healthgraph::{Source, SourceId};
///
/// let s = Source::new(SourceId::new("a0")?, "Hà Nội sẽ hợp tác với Hoa Kỳ về triển khai hệ thống y tế hiện đại", "2017-07-17".parse()?, "vi")?
///     .with_author("TTXVN")
///     .with_seed("000_53314891506d2aca.txt");
/// assert_eq!(s.published().to_string(), "2017-07-17");
/// assert_eq!(s.language(), "vi");
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub(crate) id: SourceId,
    pub(crate) title: String,
    pub(crate) publisher: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) published: Date,
    pub(crate) language: String,
    pub(crate) url: Option<String>,
    pub(crate) seed: Option<String>,
    pub(crate) section: Option<String>,
    pub(crate) note: Option<String>,
}

impl Source {
    /// A source with its id, title, publication date and language (BCP 47).
    ///
    /// # Errors
    ///
    /// [`Rule::EmptyField`] for an empty title; [`Rule::InvalidExternalId`]
    /// for a malformed language tag.
    pub fn new(
        id: SourceId,
        title: impl Into<String>,
        published: Date,
        language: &str,
    ) -> Result<Source, Error> {
        let title = title.into();
        if title.trim().is_empty() {
            return Err(Error::new(
                Rule::EmptyField,
                format!("source `{id}` has an empty title"),
            ));
        }
        check_language(language)?;
        Ok(Source {
            id,
            title,
            publisher: None,
            author: None,
            published,
            language: language.to_owned(),
            url: None,
            seed: None,
            section: None,
            note: None,
        })
    }

    /// Sets the publisher (the newspaper or site).
    pub fn with_publisher(mut self, publisher: impl Into<String>) -> Source {
        self.publisher = Some(publisher.into());
        self
    }

    /// Sets the author, byline or news credit.
    pub fn with_author(mut self, author: impl Into<String>) -> Source {
        self.author = Some(author.into());
        self
    }

    /// Sets the address it was read at.
    pub fn with_url(mut self, url: impl Into<String>) -> Source {
        self.url = Some(url.into());
        self
    }

    /// Sets the seed file it came from.
    pub fn with_seed(mut self, seed: impl Into<String>) -> Source {
        self.seed = Some(seed.into());
        self
    }

    /// Sets the section of the page (e.g. a related-news list).
    pub fn with_section(mut self, section: impl Into<String>) -> Source {
        self.section = Some(section.into());
        self
    }

    /// Sets a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Source {
        self.note = Some(note.into());
        self
    }

    /// The id.
    pub fn id(&self) -> &SourceId {
        &self.id
    }

    /// The title, verbatim.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The publisher, when known.
    pub fn publisher(&self) -> Option<&str> {
        self.publisher.as_deref()
    }

    /// The author, byline or credit, when known.
    pub fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }

    /// The publication date.
    pub fn published(&self) -> Date {
        self.published
    }

    /// The language, as a BCP 47 tag.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The address, when known.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The seed file it came from, when known.
    pub fn seed(&self) -> Option<&str> {
        self.seed.as_deref()
    }

    /// The section of the page, when given.
    pub fn section(&self) -> Option<&str> {
        self.section.as_deref()
    }

    /// A note, when there is one.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked() {
        for ok in ["vi", "en", "en-GB", "zh-Hant", "fil"] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "V",
            "VI",
            "vietnamese",
            "en_GB",
            "en-",
            "vi-toolongsubtag",
        ] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn empty_titles_are_rejected() {
        let err = Source::new(
            SourceId::new("s").unwrap(),
            "  ",
            "2025".parse().unwrap(),
            "vi",
        )
        .unwrap_err();
        assert_eq!(err.problems()[0].rule(), Rule::EmptyField);
        assert_eq!(err.to_string(), "source `s` has an empty title");
    }
}
