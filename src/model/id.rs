//! Validated identifiers: stable, lowercase ASCII kebab-case ids for entities,
//! relations and sources.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use ecow::EcoString;

use crate::error::{Error, Rule};

/// The longest id accepted, in bytes; longer ones are data errors, not names.
pub const MAX_ID_LEN: usize = 128;

/// Ids up to this many bytes are held inline: copying one shares nothing,
/// so only longer ids are worth replacing by the graph's own copy.
pub(crate) const INLINE_ID_LEN: usize = EcoString::INLINE_LIMIT;

/// Checks the id grammar: `[a-z0-9]+(-[a-z0-9]+)*`, at most [`MAX_ID_LEN`] bytes.
pub(crate) fn is_well_formed(id: &str) -> bool {
    // One pass (loading checks millions of ids): a dash only after a letter
    // or digit, and not last; so not first, not doubled, and not empty.
    let mut after_dash = true;
    for &b in id.as_bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => after_dash = false,
            b'-' if !after_dash => after_dash = true,
            _ => return false,
        }
    }
    !after_dash && id.len() <= MAX_ID_LEN
}

/// Shortens a value for an error message so that a huge string in a file
/// cannot make a huge message.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// What a builder takes where it needs an id: the id itself (or a
/// reference to one), or its text (`&str`, `String`), which is checked when
/// the builder builds, so that a malformed id is an error there, not a panic
/// or an early `?` in the middle of a chain.
///
/// # Example
///
/// ```
/// use healthgraph::{Relation, RelationKind, Rule};
///
/// // Ids as text: checked by `build`.
/// let r = Relation::builder("mou-a", RelationKind::Mou, "hanoi-doh", "ap-hp")
///     .add_source("a1")
///     .build()?;
/// assert_eq!(r.from(), "hanoi-doh");
/// let err = Relation::builder("mou-b", RelationKind::Mou, "Hanoi DoH", "ap-hp")
///     .add_source("a1")
///     .build()
///     .unwrap_err();
/// assert!(err.has(Rule::MalformedId));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub trait IntoId<T> {
    /// The id.
    ///
    /// # Errors
    ///
    /// [`Rule::MalformedId`] if the text is not a well-formed id.
    fn into_id(self) -> Result<T, Error>;
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $article:literal, $what:literal, $example:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        // Short ids (up to 15 bytes) are held inline, so cloning one copies
        // sixteen bytes and touches no counter; longer ones are shared, and
        // cloning them copies a pointer, not the text.
        pub struct $name(EcoString);

        impl $name {
            #[doc = concat!("Makes ", $article, " ", $what, " id, checking that it is lowercase ASCII kebab-case.")]
            ///
            /// # Errors
            ///
            /// Returns an error with [`Rule::MalformedId`] if `id` is empty, longer than
            /// [`MAX_ID_LEN`], or not made of lowercase ASCII letters and digits joined by
            /// single hyphens.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!("use healthgraph::", stringify!($name), ";")]
            ///
            #[doc = concat!("let id = ", stringify!($name), "::new(\"", $example, "\")?;")]
            #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"Not An Id\").is_err());")]
            ///
            /// // The same through the conversion traits, and compared with text either way.
            #[doc = concat!("let from_str: ", stringify!($name), " = \"", $example, "\".parse()?;")]
            #[doc = concat!("let from_ref = ", stringify!($name), "::try_from(\"", $example, "\")?;")]
            #[doc = concat!("let from_string = ", stringify!($name), "::try_from(String::from(\"", $example, "\"))?;")]
            /// assert!(from_str == from_ref && from_ref == from_string);
            #[doc = concat!("assert!(id == \"", $example, "\" && \"", $example, "\" == id);")]
            /// # Ok::<(), healthgraph::Error>(())
            /// ```
            pub fn new(id: &str) -> Result<Self, Error> {
                if is_well_formed(id) {
                    Ok($name(id.into()))
                } else {
                    Err(Error::new(
                        Rule::MalformedId,
                        format!(
                            concat!("malformed ", $what, " id `{}`: ids are lowercase ASCII letters and digits joined by single hyphens"),
                            shorten(id)
                        ),
                    ))
                }
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self, Error> {
                $name::new(s)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == &*other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == &*other.0
            }
        }

        impl IntoId<$name> for $name {
            fn into_id(self) -> Result<$name, Error> {
                Ok(self)
            }
        }

        impl IntoId<$name> for &$name {
            fn into_id(self) -> Result<$name, Error> {
                Ok(self.clone())
            }
        }

        impl IntoId<$name> for &str {
            fn into_id(self) -> Result<$name, Error> {
                $name::new(self)
            }
        }

        impl IntoId<$name> for String {
            fn into_id(self) -> Result<$name, Error> {
                $name::new(&self)
            }
        }

        impl IntoId<$name> for &String {
            fn into_id(self) -> Result<$name, Error> {
                $name::new(self)
            }
        }

        impl $name {
            /// A stand-in for an id that could not be made, inside a builder
            /// that will refuse to build (it never leaves the crate).
            // Not every id type is a builder's required argument.
            #[allow(dead_code)]
            pub(crate) fn stand_in() -> $name {
                $name(EcoString::inline("?"))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;

            fn try_from(id: &str) -> Result<Self, Error> {
                $name::new(id)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;

            fn try_from(id: String) -> Result<Self, Error> {
                $name::new(&id)
            }
        }
    };
}

id_type!(
    /// The id of an entity (a node), e.g. `hanoi-obgyn-hospital`.
    EntityId,
    "an",
    "entity",
    "hanoi-obgyn-hospital"
);
id_type!(
    /// The id of a relation (an edge), e.g. `mou-hanoi-peoples-committee-phi-2017`.
    RelationId,
    "a",
    "relation",
    "mou-hanoi-peoples-committee-phi-2017"
);
id_type!(
    /// The id of a source (an article or document), e.g. `a1-n2`.
    SourceId,
    "a",
    "source",
    "a1-n2"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case() {
        for ok in [
            "a",
            "a1",
            "hanoi",
            "hanoi-obgyn-hospital",
            "r-2025-05-23",
            "115",
        ] {
            assert!(EntityId::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        let long = "a".repeat(MAX_ID_LEN + 1);
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "hà-nội",
            "a_b",
            "a b",
            "a.b",
            &long,
        ] {
            let err = RelationId::new(bad).unwrap_err();
            assert_eq!(err.problems()[0].rule(), Rule::MalformedId, "{bad}");
        }
    }

    #[test]
    fn message_names_the_value_and_is_bounded() {
        let err = SourceId::new("Bad Id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed source id `Bad Id`: ids are lowercase ASCII letters and digits joined by single hyphens"
        );
        let huge = "X".repeat(10_000);
        assert!(SourceId::new(&huge).unwrap_err().to_string().len() < 200);
    }

    #[test]
    fn longest_allowed_id_is_accepted() {
        assert!(EntityId::new(&"a".repeat(MAX_ID_LEN)).is_ok());
    }

    #[test]
    fn ids_order_and_borrow_as_str() {
        let mut ids = vec![EntityId::new("b").unwrap(), EntityId::new("a").unwrap()];
        ids.sort();
        assert_eq!(ids[0], "a");
        let set: std::collections::BTreeSet<EntityId> = ids.into_iter().collect();
        assert!(set.contains("b"));
    }
}
