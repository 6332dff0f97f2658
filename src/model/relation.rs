//! Relations, the edges of the graph: typed, dated, sourced links between two
//! entities, and the one table that says which entity kinds each kind joins.

use crate::error::{Error, Problem};
use crate::model::date::{Date, Period};
use crate::model::entity::{EntityKind, vocabulary};
use crate::model::id::{EntityId, IntoId, RelationId, SourceId};
use crate::rules::{self, Field, RelationFacts, Slot};

vocabulary! {
    /// What a relation is. The direction of each kind is given by
    /// [`RelationKind::is_symmetric`] and documented on each variant.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::RelationKind;
    ///
    /// let kind: RelationKind = "part-of".parse()?;
    /// assert!(kind.is_structural() && !kind.is_symmetric());
    /// assert!(RelationKind::Renewal.is_agreement());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    RelationKind, "relation kind" {
        /// A memorandum of understanding or cooperation agreement was signed (symmetric).
        Mou => "mou",
        /// A time-bounded renewal or extension of an earlier agreement, named by
        /// `renews` (symmetric).
        Renewal => "renewal",
        /// A delegation of `from` visited or worked with `to` (visitor → host).
        Visit => "visit",
        /// A training programme or capacity building (provider → beneficiary).
        Training => "training",
        /// Cooperation not (known to be) backed by a named instrument (symmetric).
        Cooperation => "cooperation",
        /// `from` took part in an event with `to`, e.g. attended a reception or
        /// hosted a venue (participant → counterpart).
        Participation => "participation",
        /// `from` is a member of `to` (member → body).
        Membership => "membership",
        /// `from` issued, runs or is tasked with `to` (authority → programme).
        Mandate => "mandate",
        /// Organisational hierarchy (child → parent).
        PartOf => "part-of",
        /// Where an entity is (entity → city).
        LocatedIn => "located-in",
    }
}

impl RelationKind {
    /// Whether the relation means the same read in either direction (mou,
    /// renewal, cooperation); `from` is then the first-named party.
    pub fn is_symmetric(self) -> bool {
        matches!(
            self,
            RelationKind::Mou | RelationKind::Renewal | RelationKind::Cooperation
        )
    }

    /// Whether the kind is in the *agreement* group: mou, renewal, cooperation.
    pub fn is_agreement(self) -> bool {
        self.is_symmetric()
    }

    /// Whether the kind is in the *partnership* group: mou, renewal, visit,
    /// training, cooperation.
    pub fn is_partnership(self) -> bool {
        self.is_agreement() || matches!(self, RelationKind::Visit | RelationKind::Training)
    }

    /// Whether the kind is in the *structural* group: part-of, located-in.
    pub fn is_structural(self) -> bool {
        matches!(self, RelationKind::PartOf | RelationKind::LocatedIn)
    }

    /// The entity kinds allowed at `from` and at `to`.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{EntityKind, RelationKind};
    ///
    /// let (_, to) = RelationKind::LocatedIn.endpoints();
    /// assert_eq!(to, &[EntityKind::City]);
    /// ```
    pub fn endpoints(self) -> (&'static [EntityKind], &'static [EntityKind]) {
        crate::rules::endpoints(self)
    }

    /// Whether a relation of this kind may go from a `from` entity to a `to` entity.
    pub fn allows(self, from: EntityKind, to: EntityKind) -> bool {
        let (froms, tos) = self.endpoints();
        froms.contains(&from) && tos.contains(&to)
    }
}

vocabulary! {
    /// How far a relation got, from a wish to its end.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::Status;
    ///
    /// assert_eq!("proposed".parse::<Status>()?, Status::Proposed);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    Status, "status" {
        /// Wished for, offered, suggested or advocated by `from`.
        Proposed => "proposed",
        /// Discussed by both sides.
        Discussed => "discussed",
        /// Planned, decided but not yet done.
        Planned => "planned",
        /// Signed.
        Signed => "signed",
        /// Going on.
        Ongoing => "ongoing",
        /// Done (a visit that took place, a plan that was issued).
        Completed => "completed",
        /// Ended or terminated.
        Ended => "ended",
    }
}

vocabulary! {
    /// Whether the source says a fact or only implies it.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::Basis;
    ///
    /// assert_eq!(Basis::Implied.to_string(), "implied");
    /// ```
    Basis, "basis" {
        /// The source says it.
        Stated => "stated",
        /// The source directly implies it (a renewal implies an earlier agreement).
        Implied => "implied",
    }
}

vocabulary! {
    /// How a [`Figure`]'s number is meant.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::Qualifier;
    ///
    /// assert_eq!("more-than".parse::<Qualifier>()?, Qualifier::MoreThan);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    Qualifier, "figure qualifier" {
        /// Exactly this number.
        Exact => "exact",
        /// About this number.
        About => "about",
        /// More than this number.
        MoreThan => "more-than",
        /// Nearly this number.
        Nearly => "nearly",
        /// At least this number.
        AtLeast => "at-least",
    }
}

vocabulary! {
    /// How far a claim is trusted, as Wikidata ranks statements.
    Rank, "rank" {
        /// The claim the data set prefers: queries use it.
        Preferred => "preferred",
        /// A claim held alongside the others.
        Normal => "normal",
        /// A claim known to be wrong, kept for the record: never used.
        Deprecated => "deprecated",
    }
}

vocabulary! {
    /// How an agreement continues an earlier one.
    Link, "link" {
        /// A renewal renews it: the same parties, a new term.
        Renews => "renews",
        /// It amends it: the same parties, changed terms; both stay in force.
        Amends => "amends",
        /// It supersedes it: replaces it, perhaps between other parties.
        Supersedes => "supersedes",
    }
}

/// What some sources say of a relation's period and status when sources
/// disagree (one report says 2024–2029, another 2025–2030): kept beside the
/// relation's own, each citing its own sources, with a [`Rank`].
///
/// # Example
///
/// ```
/// use healthgraph::{Claim, Rank, Relation, RelationKind, Status};
///
/// let later = Claim::new("2025..2030".parse()?, None, ["s2"]).with_rank(Rank::Preferred);
/// let r = Relation::builder("cooperation-1", RelationKind::Cooperation, "a", "b")
///     .start("2024".parse()?).end("2029".parse()?).status(Status::Ongoing)
///     .add_source("s1")
///     .add_claim(later)
///     .build()?;
/// // Queries use the preferred claim; the relation says it is contested.
/// assert_eq!(r.period().to_string(), "2025..2030");
/// assert!(r.is_contested());
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub(crate) period: Period,
    pub(crate) status: Option<Status>,
    pub(crate) rank: Rank,
    pub(crate) sources: Vec<SourceId>,
    pub(crate) note: Option<String>,
}

impl Claim {
    /// A claim of a period and (when it says one) a status, citing
    /// `sources` (ids, or their text: a malformed one is left out), ranked
    /// normal.
    pub fn new<S: IntoId<SourceId>>(
        period: Period,
        status: Option<Status>,
        sources: impl IntoIterator<Item = S>,
    ) -> Claim {
        Claim {
            period,
            status,
            rank: Rank::Normal,
            sources: sources
                .into_iter()
                .filter_map(|s| s.into_id().ok())
                .collect(),
            note: None,
        }
    }

    /// Sets the rank.
    pub fn with_rank(mut self, rank: Rank) -> Claim {
        self.rank = rank;
        self
    }

    /// Sets a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Claim {
        self.note = Some(note.into());
        self
    }

    /// The period it claims.
    pub fn period(&self) -> Period {
        self.period
    }

    /// The status it claims, if it says one.
    pub fn status(&self) -> Option<Status> {
        self.status
    }

    /// Its rank.
    pub fn rank(&self) -> Rank {
        self.rank
    }

    /// The sources that make it.
    pub fn sources(&self) -> &[SourceId] {
        &self.sources
    }

    /// A note, when there is one.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// A named participant in a relation: who led, signed or hosted it.
///
/// # Example
///
/// ```
/// use healthgraph::{EntityId, Person};
///
/// let p = Person::new("Nguyễn Đình Hưng")
///     .with_role("Deputy Director in charge")
///     .with_organisation(EntityId::new("hanoi-doh")?);
/// assert_eq!(p.organisation().map(|o| o.as_str()), Some("hanoi-doh"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub(crate) name: String,
    pub(crate) role: Option<String>,
    pub(crate) organisation: Option<EntityId>,
}

impl Person {
    /// A person by name, as the source writes it.
    pub fn new(name: impl Into<String>) -> Person {
        Person {
            name: name.into(),
            role: None,
            organisation: None,
        }
    }

    /// Sets the role in the relation or the title.
    pub fn with_role(mut self, role: impl Into<String>) -> Person {
        self.role = Some(role.into());
        self
    }

    /// Sets the organisation the person acts for; it must be an entity of the graph.
    pub fn with_organisation(mut self, organisation: EntityId) -> Person {
        self.organisation = Some(organisation);
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The role, when given.
    pub fn role(&self) -> Option<&str> {
        self.role.as_deref()
    }

    /// The organisation, when given.
    pub fn organisation(&self) -> Option<&EntityId> {
        self.organisation.as_ref()
    }
}

/// A number a source gives about a relation, e.g. more than 18,000 operations.
///
/// # Example
///
/// ```
/// use healthgraph::{Figure, Qualifier};
///
/// let f = Figure::new(18_000, "operations").with_qualifier(Qualifier::MoreThan);
/// assert_eq!(f.to_string(), "more than 18000 operations");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub(crate) value: u64,
    pub(crate) unit: String,
    pub(crate) qualifier: Qualifier,
}

impl Figure {
    /// An exact figure.
    pub fn new(value: u64, unit: impl Into<String>) -> Figure {
        Figure {
            value,
            unit: unit.into(),
            qualifier: Qualifier::Exact,
        }
    }

    /// Sets how the number is meant.
    pub fn with_qualifier(mut self, qualifier: Qualifier) -> Figure {
        self.qualifier = qualifier;
        self
    }

    /// The number.
    pub fn value(&self) -> u64 {
        self.value
    }

    /// What is counted.
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// How the number is meant.
    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = match self.qualifier {
            Qualifier::Exact => "",
            Qualifier::About => "about ",
            Qualifier::MoreThan => "more than ",
            Qualifier::Nearly => "nearly ",
            Qualifier::AtLeast => "at least ",
        };
        write!(f, "{q}{} {}", self.value, self.unit)
    }
}

/// A typed, dated, sourced link between two entities: an edge of the graph.
///
/// Built with [`Relation::builder`]; [`RelationBuilder::build`] checks what a
/// relation can check alone (period order, self-relation, at least one
/// source, `renews` only on renewals), and the graph checks the rest when it
/// is inserted (endpoints and sources exist, endpoint kinds, renewal rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub(crate) id: RelationId,
    pub(crate) kind: RelationKind,
    pub(crate) from: EntityId,
    pub(crate) to: EntityId,
    pub(crate) period: Period,
    pub(crate) status: Status,
    pub(crate) basis: Basis,
    pub(crate) sources: Sources,
    // Most relations have none of these; one optional box keeps the
    // relation small (a graph holds millions of them).
    pub(crate) details: Option<Box<Details>>,
}

/// The sources a relation cites, as a slice: the one most relations cite
/// held in place, more in a box. A box for one source cost a heap block (32
/// bytes with its header) and an allocation per relation; in place it costs
/// 8 more bytes in the relation.
#[derive(Debug, Clone)]
pub(crate) enum Sources {
    One(SourceId),
    Many(Box<[SourceId]>),
}

impl Default for Sources {
    fn default() -> Sources {
        Sources::Many(Box::default())
    }
}

impl From<Vec<SourceId>> for Sources {
    fn from(mut sources: Vec<SourceId>) -> Sources {
        match (sources.len(), sources.pop()) {
            (1, Some(one)) => Sources::One(one),
            (_, last) => {
                sources.extend(last);
                Sources::Many(sources.into_boxed_slice())
            }
        }
    }
}

impl std::ops::Deref for Sources {
    type Target = [SourceId];

    fn deref(&self) -> &[SourceId] {
        match self {
            Sources::One(one) => std::slice::from_ref(one),
            Sources::Many(many) => many,
        }
    }
}

impl std::ops::DerefMut for Sources {
    fn deref_mut(&mut self) -> &mut [SourceId] {
        match self {
            Sources::One(one) => std::slice::from_mut(one),
            Sources::Many(many) => many,
        }
    }
}

/// Equal when they list the same sources, however held.
impl PartialEq for Sources {
    fn eq(&self, other: &Sources) -> bool {
        **self == **other
    }
}

impl Eq for Sources {}

/// The descriptive fields of a relation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Details {
    /// The relation this one renews (renewals only). Most relations renew
    /// none: kept here, it costs the others nothing (an optional id is 24
    /// bytes, a fifth of a relation).
    pub(crate) renews: Option<RelationId>,
    /// The agreement this one amends (changes the terms of; both stay in force).
    pub(crate) amends: Option<RelationId>,
    /// The agreement this one supersedes (replaces, perhaps between other parties).
    pub(crate) supersedes: Option<RelationId>,
    /// What other sources say of its period and status.
    pub(crate) claims: Vec<Claim>,
    /// The period and status as the relation itself states them, when a
    /// preferred claim overrides them (the relation's fields then hold the
    /// preferred claim's, which queries use).
    pub(crate) stated: Option<(Period, Status)>,
    pub(crate) scope: Vec<String>,
    pub(crate) people: Vec<Person>,
    pub(crate) figures: Vec<Figure>,
    pub(crate) note: Option<String>,
}

/// A relation shows as its id, kind, ends, period and status:
/// `renewal-a: renewal karolinska-institute — hanoi-obgyn-hospital, 2025..2030, signed`
/// (`—` for a symmetric kind, `→` otherwise).
///
/// # Example
///
/// ```
/// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
/// let visit = graph.relation("visit-ap-hp-hanoi-doh-2025").expect("in the data");
/// assert_eq!(
///     visit.to_string(),
///     "visit-ap-hp-hanoi-doh-2025: visit ap-hp → hanoi-doh, 2025-05-26..2025-05-26, completed"
/// );
/// # Ok::<(), healthgraph::Error>(())
/// ```
impl std::fmt::Display for Relation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let arrow = if self.kind.is_symmetric() {
            "—"
        } else {
            "→"
        };
        write!(
            f,
            "{}: {} {} {arrow} {}, {}, {}",
            self.id, self.kind, self.from, self.to, self.period, self.status
        )
    }
}

impl Relation {
    /// What an unused slot of the graph's relation table holds: no relation
    /// of any graph (its ids are stand-ins), and nothing on the heap.
    pub(crate) fn vacant() -> Relation {
        Relation::bare(
            RelationId::stand_in(),
            RelationKind::Cooperation,
            EntityId::stand_in(),
            EntityId::stand_in(),
        )
    }

    /// A relation with nothing but its id, kind and ends: status `ongoing`,
    /// basis `stated`, an unknown period, no sources.
    pub(crate) fn bare(
        id: RelationId,
        kind: RelationKind,
        from: EntityId,
        to: EntityId,
    ) -> Relation {
        Relation {
            id,
            kind,
            from,
            to,
            period: Period::UNKNOWN,
            status: Status::Ongoing,
            basis: Basis::Stated,
            sources: Sources::default(),
            details: None,
        }
    }

    /// Starts a relation of `kind` from `from` to `to`, with status `ongoing`,
    /// basis `stated` and an unknown period until set.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Relation, RelationKind, Status};
    ///
    /// let visit = Relation::builder("visit-ap-hp-hanoi-doh-2025", RelationKind::Visit, "ap-hp", "hanoi-doh")
    ///     .start("2025-05-26".parse()?)
    ///     .end("2025-05-26".parse()?)
    ///     .status(Status::Completed)
    ///     .add_source("a1-n2")
    ///     .build()?;
    /// assert_eq!(visit.period().to_string(), "2025-05-26..2025-05-26");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn builder(
        id: impl IntoId<RelationId>,
        kind: RelationKind,
        from: impl IntoId<EntityId>,
        to: impl IntoId<EntityId>,
    ) -> RelationBuilder {
        let mut bad = Vec::new();
        let id = or_stand_in(id.into_id(), RelationId::stand_in, &mut bad);
        let from = or_stand_in(from.into_id(), EntityId::stand_in, &mut bad);
        let to = or_stand_in(to.into_id(), EntityId::stand_in, &mut bad);
        RelationBuilder {
            relation: Relation::bare(id, kind, from, to),
            sources: Vec::new(),
            details: Details::default(),
            start: None,
            end: None,
            bad,
        }
    }

    /// The id.
    pub fn id(&self) -> &RelationId {
        &self.id
    }

    /// The kind.
    pub fn kind(&self) -> RelationKind {
        self.kind
    }

    /// The entity the relation goes from (for symmetric kinds, the first-named party).
    pub fn from(&self) -> &EntityId {
        &self.from
    }

    /// The entity the relation goes to.
    pub fn to(&self) -> &EntityId {
        &self.to
    }

    /// The other endpoint, seen from `entity`, if `entity` is an endpoint.
    pub fn other(&self, entity: &str) -> Option<&EntityId> {
        if self.from == entity {
            Some(&self.to)
        } else if self.to == entity {
            Some(&self.from)
        } else {
            None
        }
    }

    /// The period: when the relation started and ended, either possibly unknown.
    pub fn period(&self) -> Period {
        self.period
    }

    /// The start, when known.
    pub fn start(&self) -> Option<Date> {
        self.period.start()
    }

    /// The end, when known.
    pub fn end(&self) -> Option<Date> {
        self.period.end()
    }

    /// The status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Whether the source states the relation or only implies it.
    pub fn basis(&self) -> Basis {
        self.basis
    }

    /// The relation this one renews, for a renewal.
    pub fn renews(&self) -> Option<&RelationId> {
        self.details.as_ref().and_then(|d| d.renews.as_ref())
    }

    /// The agreement this one amends: it changes its terms, between the
    /// same parties, and both stay in force together.
    pub fn amends(&self) -> Option<&RelationId> {
        self.details.as_ref().and_then(|d| d.amends.as_ref())
    }

    /// The agreement this one supersedes: it replaces it, perhaps between
    /// other parties (a department taking over a hospital's agreement); the
    /// superseded one is out of force once this one surely starts.
    pub fn supersedes(&self) -> Option<&RelationId> {
        self.details.as_ref().and_then(|d| d.supersedes.as_ref())
    }

    /// Every agreement this one continues, with the kind of link: what it
    /// renews, amends and supersedes.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Link, Relation, RelationKind};
    ///
    /// let addendum = Relation::builder("mou-2-addendum", RelationKind::Mou, "a", "b")
    ///     .amends("mou-2")
    ///     .add_source("s")
    ///     .build()?;
    /// let links: Vec<(Link, &str)> = addendum.links().map(|(l, id)| (l, id.as_str())).collect();
    /// assert_eq!(links, [(Link::Amends, "mou-2")]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn links(&self) -> impl Iterator<Item = (Link, &RelationId)> + '_ {
        [
            (Link::Renews, self.renews()),
            (Link::Amends, self.amends()),
            (Link::Supersedes, self.supersedes()),
        ]
        .into_iter()
        .filter_map(|(link, id)| Some((link, id?)))
    }

    /// What other sources say of its period and status, as written (the
    /// relation's own statement is its period, status and sources, unless a
    /// claim is preferred: then those are the preferred claim's, and
    /// [`Relation::stated`] is its own).
    pub fn claims(&self) -> &[Claim] {
        self.details.as_ref().map_or(&[], |d| &d.claims)
    }

    /// The period and status as the relation itself states them (citing
    /// its own sources), whether or not a preferred claim overrides them.
    pub fn stated(&self) -> (Period, Status) {
        self.details
            .as_ref()
            .and_then(|d| d.stated)
            .unwrap_or((self.period, self.status))
    }

    /// Whether sources disagree: a claim that is not deprecated gives
    /// another period or status than the one queries use (or a preferred
    /// claim overrides the relation's own statement).
    pub fn is_contested(&self) -> bool {
        let used = (self.period, self.status);
        self.stated() != used
            || self.claims().iter().any(|c| {
                c.rank != Rank::Deprecated
                    && (c.period, c.status.unwrap_or(self.stated().1)) != used
            })
    }

    /// Areas of cooperation.
    pub fn scope(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.scope)
    }

    /// Named participants.
    pub fn people(&self) -> &[Person] {
        self.details.as_ref().map_or(&[], |d| &d.people)
    }

    /// Numbers the sources give.
    pub fn figures(&self) -> &[Figure] {
        self.details.as_ref().map_or(&[], |d| &d.figures)
    }

    /// The sources the relation rests on (at least one).
    pub fn sources(&self) -> &[SourceId] {
        &self.sources
    }

    /// A note, when there is one.
    pub fn note(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.note.as_deref())
    }

    /// Whether the relation joins `a` and `b`, in either direction.
    pub fn joins(&self, a: &str, b: &str) -> bool {
        (self.from == a && self.to == b) || (self.from == b && self.to == a)
    }
}

/// The id `made`, or a stand-in with its problems kept in `bad` for the
/// builder to report.
fn or_stand_in<T>(made: Result<T, Error>, stand_in: fn() -> T, bad: &mut Vec<Problem>) -> T {
    made.unwrap_or_else(|e| {
        bad.extend(e.problems().iter().cloned());
        stand_in()
    })
}

/// Builds a [`Relation`]; see [`Relation::builder`]. A method named for a
/// field sets it (`start`, `status`, `renews`); one named `add_*` adds to a
/// list (`add_source`, `add_scope`, `add_person`, `add_figure`). Ids may be
/// given as text: a malformed one is an error of `build`.
#[derive(Debug, Clone)]
pub struct RelationBuilder {
    relation: Relation,
    sources: Vec<SourceId>,
    details: Details,
    start: Option<Date>,
    end: Option<Date>,
    /// Ids given as text that are malformed: `build` reports them.
    bad: Vec<Problem>,
}

impl RelationBuilder {
    /// Sets the start.
    pub fn start(mut self, start: Date) -> Self {
        self.start = Some(start);
        self
    }

    /// Sets the end.
    pub fn end(mut self, end: Date) -> Self {
        self.end = Some(end);
        self
    }

    /// Sets the status.
    pub fn status(mut self, status: Status) -> Self {
        self.relation.status = status;
        self
    }

    /// Sets the basis.
    pub fn basis(mut self, basis: Basis) -> Self {
        self.relation.basis = basis;
        self
    }

    /// Sets the relation this one renews (renewals only): an id, or its text.
    pub fn renews(mut self, renews: impl IntoId<RelationId>) -> Self {
        match renews.into_id() {
            Ok(id) => self.details.renews = Some(id),
            Err(e) => self.bad.extend(e.problems().iter().cloned()),
        }
        self
    }

    /// Sets the agreement this one amends (agreements only): an id, or its text.
    pub fn amends(mut self, amends: impl IntoId<RelationId>) -> Self {
        match amends.into_id() {
            Ok(id) => self.details.amends = Some(id),
            Err(e) => self.bad.extend(e.problems().iter().cloned()),
        }
        self
    }

    /// Sets the agreement this one supersedes (agreements only): an id, or its text.
    pub fn supersedes(mut self, supersedes: impl IntoId<RelationId>) -> Self {
        match supersedes.into_id() {
            Ok(id) => self.details.supersedes = Some(id),
            Err(e) => self.bad.extend(e.problems().iter().cloned()),
        }
        self
    }

    /// Adds a claim of other sources about its period and status.
    pub fn add_claim(mut self, claim: Claim) -> Self {
        self.details.claims.push(claim);
        self
    }

    /// Adds an area of cooperation.
    pub fn add_scope(mut self, area: impl Into<String>) -> Self {
        self.details.scope.push(area.into());
        self
    }

    /// Adds a named participant.
    pub fn add_person(mut self, person: Person) -> Self {
        self.details.people.push(person);
        self
    }

    /// Adds a figure.
    pub fn add_figure(mut self, figure: Figure) -> Self {
        self.details.figures.push(figure);
        self
    }

    /// Adds a cited source: an id, or its text.
    pub fn add_source(mut self, source: impl IntoId<SourceId>) -> Self {
        match source.into_id() {
            Ok(id) => self.sources.push(id),
            Err(e) => self.bad.extend(e.problems().iter().cloned()),
        }
        self
    }

    /// Sets every cited source at once (a loader that has them in a list).
    pub(crate) fn with_sources(mut self, sources: Vec<SourceId>) -> Self {
        self.sources = sources;
        self
    }

    /// Sets a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.details.note = Some(note.into());
        self
    }

    /// Checks the relation on its own and returns it.
    ///
    /// # Errors
    ///
    /// [`Rule::MalformedId`](crate::Rule::MalformedId) for each id given as
    /// text that is malformed; otherwise
    /// every problem of [`Rule::StartAfterEnd`](crate::Rule::StartAfterEnd), [`Rule::SelfRelation`](crate::Rule::SelfRelation),
    /// [`Rule::MissingSource`](crate::Rule::MissingSource), [`Rule::RenewalWithoutTarget`](crate::Rule::RenewalWithoutTarget),
    /// [`Rule::RenewsOnNonRenewal`](crate::Rule::RenewsOnNonRenewal) and [`Rule::EmptyField`](crate::Rule::EmptyField) (a person without
    /// a name) that the relation breaks.
    pub fn build(mut self) -> Result<Relation, Error> {
        let bad = std::mem::take(&mut self.bad);
        if !bad.is_empty() {
            // The rules would only be checked against stand-ins.
            return Err(Error::from_problems(bad));
        }
        let (relation, problems) = self.build_checked();
        if problems.is_empty() {
            Ok(relation)
        } else {
            let id = relation.id.as_str();
            Err(Error::from_problems(
                problems
                    .into_iter()
                    .map(|(field, p)| p.about(Some(id), Some(field.name())))
                    .collect(),
            ))
        }
    }

    /// Builds the relation and lists its own problems with their fields; a
    /// period that breaks its order is left unknown in the returned value.
    pub(crate) fn build_checked(self) -> (Relation, Vec<(Field, Problem)>) {
        let (start, end) = (self.start, self.end);
        let relation = self.assemble().settle(start, end);
        let problems = relation.check_alone(start, end);
        (relation, problems)
    }

    /// Builds the relation without checking it, for a loader that has checked
    /// the record's facts with [`rules::relation_alone`] itself; a period that
    /// breaks its order is left unknown.
    pub(crate) fn build_unchecked(self) -> Relation {
        let (start, end) = (self.start, self.end);
        self.assemble().settle(start, end)
    }

    /// The relation with its sources and details, its period not yet set.
    fn assemble(self) -> Relation {
        let mut relation = self.relation;
        relation.sources = Sources::from(self.sources);
        if self.details != Details::default() {
            relation.details = Some(Box::new(self.details));
        }
        relation
    }
}

impl Relation {
    /// The relation's own problems, with their fields, its period given as
    /// written (`start..end`, which [`Relation::settle`] leaves unknown when
    /// they break its order): [`rules::relation_alone`].
    pub(crate) fn check_alone(
        &self,
        start: Option<Date>,
        end: Option<Date>,
    ) -> Vec<(Field, Problem)> {
        let mut problems = Vec::new();
        let facts = RelationFacts {
            start: Slot::from_option(start),
            end: Slot::from_option(end),
            ..RelationFacts::of(self)
        };
        rules::relation_alone(&facts, &mut problems);
        problems
    }

    /// The relation with its period `start..end` (unknown when they break
    /// its order), and a preferred claim's period and status in place of
    /// its own, which are kept beside the claims.
    pub(crate) fn settle(mut self, start: Option<Date>, end: Option<Date>) -> Relation {
        self.period = Period::new(start, end).unwrap_or(Period::UNKNOWN);
        // A preferred claim is what queries use; the relation's own
        // statement is kept beside it.
        let preferred = self
            .details
            .as_ref()
            .and_then(|d| d.claims.iter().find(|c| c.rank == Rank::Preferred))
            .map(|c| (c.period, c.status.unwrap_or(self.status)));
        if let (Some(used), Some(d)) = (preferred, self.details.as_mut()) {
            d.stated = Some((self.period, self.status));
            (self.period, self.status) = used;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Rule;

    /// However many sources, a list reads back as given, and lists of the
    /// same sources are equal however they are held.
    #[test]
    fn sources_read_back_as_given_however_held() {
        let ids = |n: usize| -> Vec<SourceId> {
            (0..n)
                .map(|i| SourceId::new(&format!("s{i}")).unwrap())
                .collect()
        };
        for n in 0..4 {
            let held = Sources::from(ids(n));
            assert_eq!(&*held, ids(n).as_slice());
            assert_eq!(matches!(held, Sources::One(_)), n == 1);
        }
        let one = ids(1);
        assert_eq!(
            Sources::from(one.clone()),
            Sources::Many(one.into_boxed_slice())
        );
    }

    fn builder(kind: RelationKind, from: &str, to: &str) -> RelationBuilder {
        Relation::builder(
            RelationId::new("r").unwrap(),
            kind,
            EntityId::new(from).unwrap(),
            EntityId::new(to).unwrap(),
        )
        .add_source(SourceId::new("s").unwrap())
    }

    fn rules(result: Result<Relation, Error>) -> Vec<Rule> {
        result
            .unwrap_err()
            .problems()
            .iter()
            .map(Problem::rule)
            .collect()
    }

    #[test]
    fn endpoint_table_encodes_the_design() {
        use EntityKind::*;
        assert!(RelationKind::LocatedIn.allows(Hospital, City));
        assert!(!RelationKind::LocatedIn.allows(Hospital, Agency));
        assert!(!RelationKind::LocatedIn.allows(City, City));
        assert!(RelationKind::Mou.allows(City, Company));
        assert!(RelationKind::Cooperation.allows(Programme, Agency));
        assert!(!RelationKind::Visit.allows(Programme, Agency));
        assert!(RelationKind::Mandate.allows(Agency, Programme));
        assert!(!RelationKind::Mandate.allows(Agency, City));
        assert!(RelationKind::Membership.allows(Institute, Ngo));
        assert!(!RelationKind::PartOf.allows(Hospital, City));
    }

    #[test]
    fn groups_match_the_design() {
        let names = |f: fn(RelationKind) -> bool| -> Vec<&str> {
            RelationKind::ALL
                .iter()
                .filter(|k| f(**k))
                .map(|k| k.as_str())
                .collect()
        };
        assert_eq!(
            names(RelationKind::is_partnership),
            ["mou", "renewal", "visit", "training", "cooperation"]
        );
        assert_eq!(
            names(RelationKind::is_agreement),
            ["mou", "renewal", "cooperation"]
        );
        assert_eq!(
            names(RelationKind::is_structural),
            ["part-of", "located-in"]
        );
    }

    #[test]
    fn build_reports_every_intrinsic_problem() {
        let r = Relation::builder(
            RelationId::new("r").unwrap(),
            RelationKind::Renewal,
            EntityId::new("a").unwrap(),
            EntityId::new("a").unwrap(),
        )
        .start("2026".parse().unwrap())
        .end("2025".parse().unwrap())
        .add_person(Person::new(" "))
        .build();
        assert_eq!(
            rules(r),
            [
                Rule::StartAfterEnd,
                Rule::SelfRelation,
                Rule::MissingSource,
                Rule::RenewalWithoutTarget,
                Rule::EmptyField
            ]
        );
    }

    #[test]
    fn renews_is_only_for_renewals() {
        let r = builder(RelationKind::Mou, "a", "b")
            .renews(RelationId::new("x").unwrap())
            .build();
        assert_eq!(rules(r), [Rule::RenewsOnNonRenewal]);
        let ok = builder(RelationKind::Renewal, "a", "b")
            .renews(RelationId::new("x").unwrap())
            .build();
        assert!(ok.is_ok());
    }

    #[test]
    fn other_and_joins_ignore_direction() {
        let r = builder(RelationKind::Visit, "a", "b").build().unwrap();
        assert_eq!(r.other("a").unwrap(), "b");
        assert_eq!(r.other("b").unwrap(), "a");
        assert!(r.other("c").is_none());
        assert!(r.joins("b", "a") && !r.joins("a", "c"));
    }

    #[test]
    fn figures_read_naturally() {
        assert_eq!(Figure::new(42, "hospitals").to_string(), "42 hospitals");
        assert_eq!(
            Figure::new(10_000_000, "residents")
                .with_qualifier(Qualifier::Nearly)
                .to_string(),
            "nearly 10000000 residents"
        );
    }
}
