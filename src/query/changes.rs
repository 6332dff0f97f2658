//! What changed in a window: what began, what ended, what was renewed, and
//! what was first reported, each surely within the window or only maybe
//! (a date known to the year may fall inside a window of months, or not).

use crate::index::dates::{Spans, link_bit};
use crate::model::date::Date;
use crate::model::relation::{Link, Relation};
use crate::query::view::View;

/// Whether a change surely falls in the window or only may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Certainty {
    /// Every day the date can mean lies in the window.
    Surely,
    /// Some days the date can mean lie in the window, some outside: the
    /// data cannot say.
    Maybe,
}

impl Certainty {
    /// `surely` or `maybe`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(healthgraph::Certainty::Maybe.as_str(), "maybe");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Surely => "surely",
            Certainty::Maybe => "maybe",
        }
    }
}

impl std::fmt::Display for Certainty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change: a relation, the date of the change (its start, its end, or
/// the publication of its first source) and how sure it is to fall in the
/// window.
#[derive(Debug, Clone, Copy)]
pub struct Change<'g> {
    relation: &'g Relation,
    date: Date,
    certainty: Certainty,
}

impl<'g> Change<'g> {
    /// The relation that changed.
    pub fn relation(&self) -> &'g Relation {
        self.relation
    }

    /// The date of the change, as precise as the data gives it.
    pub fn date(&self) -> Date {
        self.date
    }

    /// Whether it surely falls in the window, or only may.
    pub fn certainty(&self) -> Certainty {
        self.certainty
    }
}

/// The changes of a view in a window; see [`View::changes`].
#[derive(Debug, Clone)]
pub struct Changes<'g> {
    from: Date,
    to: Date,
    began: Vec<Change<'g>>,
    ended: Vec<Change<'g>>,
    renewed: Vec<Change<'g>>,
    amended: Vec<Change<'g>>,
    superseded: Vec<Change<'g>>,
    reported: Vec<Change<'g>>,
    truncated: bool,
}

impl<'g> Changes<'g> {
    /// The window's first date, as asked.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The window's last date, as asked.
    pub fn to(&self) -> Date {
        self.to
    }

    /// Relations that began in the window, by date, other than those that
    /// continue an earlier agreement (listed as renewed, amended or
    /// superseded).
    pub fn began(&self) -> &[Change<'g>] {
        &self.began
    }

    /// Relations that ended in the window, by date.
    pub fn ended(&self) -> &[Change<'g>] {
        &self.ended
    }

    /// Renewals that began in the window, by date; each renews
    /// [`Relation::renews`].
    pub fn renewed(&self) -> &[Change<'g>] {
        &self.renewed
    }

    /// Amendments that began in the window, by date; each amends
    /// [`Relation::amends`].
    pub fn amended(&self) -> &[Change<'g>] {
        &self.amended
    }

    /// Agreements that began in the window superseding an earlier one, by
    /// date; each supersedes [`Relation::supersedes`].
    pub fn superseded(&self) -> &[Change<'g>] {
        &self.superseded
    }

    /// Relations whose first source was published in the window, by date:
    /// what the record learnt of then, whenever it happened.
    pub fn reported(&self) -> &[Change<'g>] {
        &self.reported
    }

    /// Keeps at most `n` changes of each kind (the earliest); whether any
    /// list was cut. For output a person reads: a window over a large
    /// graph can hold millions of changes.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut changes = graph.view(Filter::partnership()).changes("2025-01".parse()?, "2025-06".parse()?);
    /// assert!(changes.truncate(2));
    /// assert_eq!(changes.began().len(), 2);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn truncate(&mut self, n: usize) -> bool {
        let lists = [
            &mut self.began,
            &mut self.ended,
            &mut self.renewed,
            &mut self.amended,
            &mut self.superseded,
            &mut self.reported,
        ];
        let cut = super::truncate_each(lists, n);
        self.truncated |= cut;
        cut
    }

    /// Whether [`Changes::truncate`] cut any list.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut changes = graph.view(Filter::partnership()).changes("2025-01".parse()?, "2025-06".parse()?);
    /// assert!(!changes.is_truncated());
    /// changes.truncate(1);
    /// assert!(changes.is_truncated());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.began.is_empty()
            && self.ended.is_empty()
            && self.renewed.is_empty()
            && self.amended.is_empty()
            && self.superseded.is_empty()
            && self.reported.is_empty()
    }
}

impl<'g> View<'g> {
    /// What changed in the view from the first day of `from` to the last day
    /// of `to`: the relations that began, ended, were renewed, amended or
    /// superseded (an agreement continuing them began), and were first
    /// reported (their earliest
    /// source was published), each [`Certainty::Surely`] when every day its
    /// date can mean lies in the window and [`Certainty::Maybe`] when only
    /// some do (a start in "2025" surely begins within 2025-01..2025-12, and
    /// only maybe within 2025-03..2025-06).
    ///
    /// Cost: a binary search in the graph's date index and the changes
    /// found (plus the dates that begin within a year before the window),
    /// not a scan of the graph; the index is built once, O(m log m).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Certainty, Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// let changes = view.changes("2025-03".parse()?, "2025-06".parse()?);
    /// // The renewal of the Karolinska MOU starts in "2025": maybe in March to June.
    /// let renewal = &changes.renewed()[0];
    /// assert_eq!(renewal.relation().id(), "renewal-karolinska-institute-hanoi-obgyn-hospital-2025");
    /// assert_eq!(renewal.certainty(), Certainty::Maybe);
    /// // The AstraZeneca MOU was signed on 2025-03-26: surely.
    /// assert!(changes.began().iter().any(|c| c.relation().id() == "mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025"
    ///     && c.certainty() == Certainty::Surely));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn changes(&self, from: Date, to: Date) -> Changes<'g> {
        let (a, b) = (from.days(), to.last_day().days());
        let index = self.graph.date_index().spans(self.graph);
        let has = |link: Link| move |bits: u8| bits & link_bit(link) != 0;
        // One read of the starts gives four lists.
        let [began, renewed, amended, superseded] = self.read_changes(
            &index.starts,
            (a, b),
            [
                &|bits| bits == 0,
                &has(Link::Renews),
                &has(Link::Amends),
                &has(Link::Supersedes),
            ],
        );
        let [ended] = self.read_changes(&index.ends, (a, b), [&|_| true]);
        let [reported] = self.read_changes(&index.reported, (a, b), [&|_| true]);
        Changes {
            from,
            to,
            began,
            ended,
            renewed,
            amended,
            superseded,
            reported,
            truncated: false,
        }
    }

    /// The changes whose dates in `spans` share a day with the window
    /// (`a..=b`, day numbers), in `N` lists: a change goes to each list
    /// whose `keep` takes its relation's links.
    ///
    /// The index lists dates in report order (first day, last day, id),
    /// each as the days it can mean, with its relation's kind, status and
    /// links: the lists are read off it in one pass, with no sort, and the
    /// only relations touched are those listed (and, under a filter the
    /// kinds and statuses do not decide, those it must test).
    fn read_changes<const N: usize>(
        &self,
        spans: &Spans,
        (a, b): (i32, i32),
        keep: [&dyn Fn(u8) -> bool; N],
    ) -> [Vec<Change<'g>>; N] {
        let mut found: [Vec<(u32, Date, Certainty)>; N] = std::array::from_fn(|_| Vec::new());
        let mut last_date: Option<((i32, i32), Date)> = None;
        for entry in spans.overlapping(a, b) {
            if !keep.iter().any(|k| k(entry.links)) {
                continue;
            }
            let passes = self
                .compiled
                .by_kind_and_status(entry.kind, entry.status)
                .unwrap_or_else(|| {
                    self.graph
                        .relation_at(entry.edge)
                        .is_some_and(|r| self.passes(entry.edge, r))
                });
            if !passes {
                continue;
            }
            // Read in report order, the spans come day by day: each day's
            // date is worked out once.
            let date = match last_date {
                Some((span, date)) if span == (entry.first, entry.last) => date,
                _ => match Date::from_day_span(entry.first, entry.last) {
                    Some(date) => {
                        last_date = Some(((entry.first, entry.last), date));
                        date
                    }
                    None => continue,
                },
            };
            let certainty = if entry.first >= a && entry.last <= b {
                Certainty::Surely
            } else {
                Certainty::Maybe
            };
            for (k, list) in keep.iter().zip(&mut found) {
                if k(entry.links) {
                    list.push((entry.edge, date, certainty));
                }
            }
        }
        // The relations apart, in a loop of lookups that do not wait on one
        // another: at a million entities each is a cache miss, and this
        // lets the processor have many in flight.
        found.map(|list| {
            list.into_iter()
                .filter_map(|(edge, date, certainty)| {
                    Some(Change {
                        relation: self.graph.relation_at(edge)?,
                        date,
                        certainty,
                    })
                })
                .collect()
        })
    }
}
