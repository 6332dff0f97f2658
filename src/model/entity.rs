//! Entities, the nodes of the graph: cities, hospitals, institutes,
//! companies, agencies, NGOs and programmes.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Rule};
use crate::model::date::Period;
use crate::model::id::{EntityId, SourceId, shorten};

/// Declares a vocabulary enum with its kebab-case names, in one place.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])* $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The kebab-case name used in files and output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;

            /// Parses the kebab-case name.
            fn from_str(s: &str) -> Result<Self, $crate::Error> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err($crate::Error::new(
                        $crate::Rule::UnknownTerm,
                        format!(
                            concat!("unknown ", $what, " `{}`: expected one of {}"),
                            crate::model::id::shorten(s),
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// What an entity is.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::EntityKind;
    ///
    /// assert_eq!("hospital".parse::<EntityKind>()?, EntityKind::Hospital);
    /// assert_eq!(EntityKind::Ngo.to_string(), "ngo");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    EntityKind, "entity kind" {
        /// A city or other place.
        City => "city",
        /// A hospital or emergency centre.
        Hospital => "hospital",
        /// A university, medical school, research institute or centre.
        Institute => "institute",
        /// A company.
        Company => "company",
        /// A government body or a unit of one.
        Agency => "agency",
        /// A non-profit, association or network of organisations.
        Ngo => "ngo",
        /// A plan, project or programme that relations can point at.
        Programme => "programme",
    }
}

/// An ISO 3166-1 alpha-2 country code, e.g. `VN`.
///
/// # Example
///
/// ```
/// use healthgraph::Country;
///
/// assert_eq!(Country::new("SE")?.as_str(), "SE");
/// assert!(Country::new("UK").is_err()); // the code for the United Kingdom is GB
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

/// The officially assigned ISO 3166-1 alpha-2 codes.
/// Whether `code` is in [`ISO_3166_ALPHA2`], by binary search over its
/// three-byte entries (the list is sorted; a unit test checks it).
fn is_assigned(code: [u8; 2]) -> bool {
    let table = ISO_3166_ALPHA2.as_bytes();
    let at = |i: usize| {
        [
            table.get(3 * i).copied().unwrap_or(0),
            table.get(3 * i + 1).copied().unwrap_or(0),
        ]
    };
    let (mut lo, mut hi) = (0, table.len().div_ceil(3));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match at(mid).cmp(&code) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

impl Country {
    /// Checks `code` against the officially assigned ISO 3166-1 alpha-2 codes.
    ///
    /// # Errors
    ///
    /// [`Rule::InvalidCountry`] if `code` is not one of them (upper case).
    pub fn new(code: &str) -> Result<Country, Error> {
        match code.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() && is_assigned([*a, *b]) => {
                Ok(Country([*a, *b]))
            }
            _ => Err(Error::new(
                Rule::InvalidCountry,
                format!(
                    "unknown country `{}`: expected an ISO 3166-1 alpha-2 code such as VN",
                    shorten(code)
                ),
            )),
        }
    }

    /// The two-letter code.
    pub fn as_str(&self) -> &str {
        // The bytes are two ASCII capitals, checked at construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Country {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Country::new(s)
    }
}

/// Checks a Wikidata item id: `Q` followed by a number without leading zeros.
pub(crate) fn check_wikidata(qid: &str) -> Result<(), Error> {
    let ok = qid.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty()
            && !n.starts_with('0')
            && n.len() <= 12
            && n.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            Rule::InvalidExternalId,
            format!(
                "malformed Wikidata id `{}`: expected Q and a number, e.g. Q42",
                shorten(qid)
            ),
        ))
    }
}

/// Checks a ROR id in its short form: `0`, six base-32 characters, two digits.
pub(crate) fn check_ror(ror: &str) -> Result<(), Error> {
    let b = ror.as_bytes();
    let ok = b.len() == 9
        && b.first() == Some(&b'0')
        && b.iter()
            .take(7)
            .skip(1)
            .all(|c| c.is_ascii_digit() || (c.is_ascii_lowercase() && !b"ilou".contains(c)))
        && b.iter().skip(7).all(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            Rule::InvalidExternalId,
            format!(
                "malformed ROR id `{}`: expected the 9-character form, e.g. 056d84691",
                shorten(ror)
            ),
        ))
    }
}

/// An organisation or place: a node of the graph.
///
/// Built with [`Entity::new`], the `with_*` methods (each sets a field) and
/// the `add_*` methods (each adds to a list: aliases, sources); the graph checks it
/// when it is inserted (the id is unique, the name is not empty, the sources
/// exist).
///
/// # Example
///
/// ```
/// use healthgraph::{Entity, EntityId, EntityKind, SourceId};
///
/// let e = Entity::new(EntityId::new("hanoi-obgyn-hospital")?, EntityKind::Hospital, "Bệnh viện Phụ sản Hà Nội")
///     .with_name_en("Hanoi Obstetrics and Gynecology Hospital")
///     .add_alias("Phụ sản Hà Nội")
///     .with_country("VN".parse()?)
///     .add_source(SourceId::new("a1")?);
/// assert_eq!(e.name_en(), Some("Hanoi Obstetrics and Gynecology Hospital"));
/// assert_eq!(e.country().map(|c| c.to_string()).as_deref(), Some("VN"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub(crate) id: EntityId,
    pub(crate) kind: EntityKind,
    pub(crate) country: Option<Country>,
    pub(crate) name: Box<str>,
    pub(crate) sources: Vec<SourceId>,
    // The rest is often absent; one optional box keeps the entity small
    // (a graph may hold a million of them).
    pub(crate) details: Option<Box<EntityDetails>>,
}

/// A name an entity was known by for a time: a hospital before it merged,
/// an agency before it was renamed.
///
/// # Example
///
/// ```
/// use healthgraph::FormerName;
///
/// let former = FormerName::new("Bệnh viện C Hà Nội", "1960..1995".parse()?);
/// assert_eq!(former.to_string(), "Bệnh viện C Hà Nội (1960..1995)");
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormerName {
    pub(crate) name: String,
    pub(crate) period: Period,
}

impl FormerName {
    /// A former name and the period it was used (a side may be unknown).
    pub fn new(name: impl Into<String>, period: Period) -> FormerName {
        FormerName {
            name: name.into(),
            period,
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// When it was used.
    pub fn period(&self) -> Period {
        self.period
    }
}

/// A former name shows as the name and, when known, its period.
impl fmt::Display for FormerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.period == Period::UNKNOWN {
            f.write_str(&self.name)
        } else {
            write!(f, "{} ({})", self.name, self.period)
        }
    }
}

/// The optional fields of an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntityDetails {
    pub(crate) name_en: Option<String>,
    pub(crate) aliases: Vec<String>,
    pub(crate) former_names: Vec<FormerName>,
    pub(crate) wikidata: Option<String>,
    pub(crate) ror: Option<String>,
    pub(crate) note: Option<String>,
}

/// An entity shows as its name and id: `Viện Karolinska (karolinska-institute)`.
///
/// # Example
///
/// ```
/// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
/// let karolinska = graph.entity("karolinska-institute").expect("in the data");
/// assert_eq!(karolinska.to_string(), "Viện Karolinska (karolinska-institute)");
/// # Ok::<(), healthgraph::Error>(())
/// ```
impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.id)
    }
}

impl Entity {
    /// An entity with its id, kind and official name (in its own language).
    pub fn new(id: EntityId, kind: EntityKind, name: impl Into<String>) -> Entity {
        Entity {
            id,
            kind,
            country: None,
            name: name.into().into_boxed_str(),
            sources: Vec::new(),
            details: None,
        }
    }

    /// What an unused slot of the graph's entity table holds: no entity of
    /// any graph (its id is a stand-in), and nothing on the heap.
    pub(crate) fn vacant() -> Entity {
        Entity {
            id: EntityId::stand_in(),
            kind: EntityKind::Hospital,
            country: None,
            name: Box::default(),
            sources: Vec::new(),
            details: None,
        }
    }

    fn details_mut(&mut self) -> &mut EntityDetails {
        self.details.get_or_insert_with(Box::default)
    }

    /// Sets the English name.
    pub fn with_name_en(mut self, name_en: impl Into<String>) -> Entity {
        self.details_mut().name_en = Some(name_en.into());
        self
    }

    /// Adds another name or spelling seen in a source.
    pub fn add_alias(mut self, alias: impl Into<String>) -> Entity {
        self.details_mut().aliases.push(alias.into());
        self
    }

    /// Adds a name it was known by before, with when it was used.
    pub fn add_former_name(mut self, former: FormerName) -> Entity {
        self.details_mut().former_names.push(former);
        self
    }

    /// Sets the country.
    pub fn with_country(mut self, country: Country) -> Entity {
        self.country = Some(country);
        self
    }

    /// Sets the Wikidata item id (`Q…`).
    ///
    /// # Errors
    ///
    /// [`Rule::InvalidExternalId`] if `qid` is not `Q` and a number.
    pub fn with_wikidata(mut self, qid: &str) -> Result<Entity, Error> {
        check_wikidata(qid)?;
        self.details_mut().wikidata = Some(qid.to_owned());
        Ok(self)
    }

    /// Sets the ROR id (the 9-character form).
    ///
    /// # Errors
    ///
    /// [`Rule::InvalidExternalId`] if `ror` is not a well-formed ROR id.
    pub fn with_ror(mut self, ror: &str) -> Result<Entity, Error> {
        check_ror(ror)?;
        self.details_mut().ror = Some(ror.to_owned());
        Ok(self)
    }

    /// Adds a source that attests the entity.
    pub fn add_source(mut self, source: SourceId) -> Entity {
        self.sources.push(source);
        self
    }

    /// Sets a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Entity {
        self.details_mut().note = Some(note.into());
        self
    }

    /// The id.
    pub fn id(&self) -> &EntityId {
        &self.id
    }

    /// The kind.
    pub fn kind(&self) -> EntityKind {
        self.kind
    }

    /// The official name, in its own language and with its diacritics.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The English name, when known.
    pub fn name_en(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.name_en.as_deref())
    }

    /// Other names and spellings seen in sources.
    pub fn aliases(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.aliases)
    }

    /// The names it was known by before, with when each was used.
    pub fn former_names(&self) -> &[FormerName] {
        self.details.as_ref().map_or(&[], |d| &d.former_names)
    }

    /// The country, when known.
    pub fn country(&self) -> Option<Country> {
        self.country
    }

    /// The Wikidata item id, when known.
    pub fn wikidata(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.wikidata.as_deref())
    }

    /// The ROR id, when known.
    pub fn ror(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.ror.as_deref())
    }

    /// The sources that attest the entity.
    pub fn sources(&self) -> &[SourceId] {
        &self.sources
    }

    /// A note, when there is one.
    pub fn note(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.note.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_list_is_sorted_in_three_byte_steps() {
        let codes: Vec<&str> = ISO_3166_ALPHA2.split(' ').collect();
        assert_eq!(ISO_3166_ALPHA2.len(), 3 * codes.len() - 1);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        // Binary search finds every code, and nothing between them.
        for code in &codes {
            assert!(Country::new(code).is_ok(), "{code}");
        }
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(Country::new(&code).is_ok(), codes.contains(&code.as_str()));
            }
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in EntityKind::ALL {
            assert_eq!(kind.as_str().parse::<EntityKind>().unwrap(), *kind);
        }
        let err = "hospitals".parse::<EntityKind>().unwrap_err();
        assert_eq!(err.problems()[0].rule(), Rule::UnknownTerm);
        assert!(
            err.to_string()
                .starts_with("unknown entity kind `hospitals`: expected one of city, hospital")
        );
    }

    #[test]
    fn countries_are_checked_against_iso_3166() {
        for ok in ["VN", "US", "FR", "SE", "KR", "JP", "GB"] {
            assert_eq!(Country::new(ok).unwrap().as_str(), ok);
        }
        for bad in ["UK", "vn", "V", "VNM", "", "ÀB", "EU"] {
            assert_eq!(
                Country::new(bad).unwrap_err().problems()[0].rule(),
                Rule::InvalidCountry,
                "{bad}"
            );
        }
        assert_eq!(ISO_3166_ALPHA2.split(' ').count(), 249);
    }

    #[test]
    fn external_ids_are_checked() {
        assert!(check_wikidata("Q42").is_ok());
        for bad in ["Q", "Q0", "Q042", "42", "q42", "Q4x"] {
            assert!(check_wikidata(bad).is_err(), "{bad}");
        }
        assert!(check_ror("056d84691").is_ok());
        for bad in [
            "56d84691",
            "156d84691",
            "056D84691",
            "056d8469x",
            "05id84691",
        ] {
            assert!(check_ror(bad).is_err(), "{bad}");
        }
    }
}
