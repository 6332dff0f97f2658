//! Relations counted upward along `part-of` and `located-in` (a
//! department's relations count for its agency, a hospital's for its city),
//! and the cooperation matrix: rows of entities against columns of partner
//! countries or partner entities, with counts by relation kind.

use std::collections::{BTreeMap, HashSet, VecDeque};

use crate::error::Error;
use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::entity::Entity;
use crate::model::relation::{Relation, RelationKind};
use crate::query::view::View;

impl HealthGraph {
    /// The entities directly under `entity`: those `part-of` it or
    /// `located-in` it, in id order. Empty for an unknown id.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// let under: Vec<&str> = graph.children("hanoi-doh").iter().map(|e| e.id().as_str()).collect();
    /// assert_eq!(under, ["hanoi-doh-medical-affairs-division", "hanoi-doh-office", "my-duc-general-hospital"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn children(&self, entity: &str) -> Vec<&Entity> {
        let mut out: Vec<&Entity> = self
            .relations_of(entity)
            .filter(|r| r.kind.is_structural() && r.to == entity)
            .filter_map(|r| self.entity(r.from.as_str()))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }

    /// `entity` and every entity under it, at any depth, in breadth-first
    /// order (each once, even where the structure has a cycle).
    fn subtree(&self, entity: &str) -> Vec<&Entity> {
        let Some(root) = self.entity(entity) else {
            return Vec::new();
        };
        let mut seen: HashSet<&str> = HashSet::from([root.id.as_str()]);
        let mut out = vec![root];
        let mut queue = VecDeque::from([root]);
        while let Some(e) = queue.pop_front() {
            for child in self.children(e.id.as_str()) {
                if seen.insert(child.id.as_str()) {
                    out.push(child);
                    queue.push_back(child);
                }
            }
        }
        out
    }
}

/// What the columns of a [`Matrix`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Columns {
    /// The partner's country (`?` when the data does not say).
    #[default]
    Countries,
    /// The partner entity itself.
    Entities,
}

/// One cell of a [`Matrix`]: how many relations, by kind, and how many of
/// them surely held in the matrix's window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    by_kind: BTreeMap<RelationKind, usize>,
    surely_by_kind: BTreeMap<RelationKind, usize>,
}

impl Cell {
    /// The relations counted, by kind.
    pub fn by_kind(&self) -> &BTreeMap<RelationKind, usize> {
        &self.by_kind
    }

    /// Every relation counted.
    pub fn total(&self) -> usize {
        self.by_kind.values().sum()
    }

    /// How many of them surely held on some day of the window (all of them
    /// when no window was asked).
    pub fn surely(&self) -> usize {
        self.surely_by_kind.values().sum()
    }

    /// [`Cell::surely`] by kind (a kind none of whose relations surely
    /// held is absent).
    pub fn surely_by_kind(&self) -> &BTreeMap<RelationKind, usize> {
        &self.surely_by_kind
    }
}

/// One row of a [`Matrix`]: an entity and its cells, by column key.
#[derive(Debug, Clone)]
pub struct Row<'g> {
    entity: &'g Entity,
    cells: BTreeMap<String, Cell>,
}

impl<'g> Row<'g> {
    /// The entity of the row.
    pub fn entity(&self) -> &'g Entity {
        self.entity
    }

    /// Its cells by column (a country code, `?`, or an entity id).
    pub fn cells(&self) -> &BTreeMap<String, Cell> {
        &self.cells
    }

    /// Every relation counted in the row (each once).
    pub fn total(&self) -> usize {
        self.cells.values().map(Cell::total).sum()
    }
}

/// The cooperation matrix; see [`View::matrix`].
#[derive(Debug, Clone)]
pub struct Matrix<'g> {
    rows: Vec<Row<'g>>,
    columns: Vec<String>,
}

impl<'g> Matrix<'g> {
    /// The rows, in the order asked.
    pub fn rows(&self) -> &[Row<'g>] {
        &self.rows
    }

    /// Every column that has a count, in order (`?` last).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
}

impl<'g> View<'g> {
    /// The relations of the view of `entity` and of every entity under it
    /// (`part-of` or `located-in` it, at any depth), each once, in id
    /// order: what counts for it when relations are counted upward. A
    /// relation between two entities of the subtree is included once.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`](crate::Rule::UnknownEntity) if there is no such entity.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// // The Department's own relations and those of the hospital under it.
    /// let doh = view.rolled_up("hanoi-doh")?;
    /// assert!(doh.iter().any(|r| r.id() == "visit-kobe-university-hospital-hanoi-doh-2025"));
    /// // The city counts the relations of every body in it.
    /// let city = view.rolled_up("hanoi")?;
    /// assert!(city.iter().any(|r| r.id() == "mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025"));
    /// assert!(doh.iter().all(|r| city.contains(r)));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn rolled_up(&self, entity: &str) -> Result<Vec<&'g Relation>, Error> {
        self.graph
            .entity(entity)
            .ok_or_else(|| crate::query::view::unknown_entity(entity))?;
        Ok(self.relations_of_all(&self.graph.subtree(entity)))
    }

    /// The relations of the view that touch any of `entities`, each once,
    /// in id order.
    fn relations_of_all(&self, entities: &[&'g Entity]) -> Vec<&'g Relation> {
        let mut out: Vec<&'g Relation> = entities
            .iter()
            .flat_map(|e| self.graph.relations_of(e.id.as_str()))
            .filter(|r| self.contains_relation(r))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }

    /// The cooperation matrix: for each of `rows`, its relations counted
    /// upward ([`View::rolled_up`]), each once, in the cell of the partner
    /// (the party outside the row's subtree) by its country or as an
    /// entity, by kind. Relations inside a row's subtree have no partner
    /// and are not counted. With a `window` (first day of its first date to
    /// the last day of its second), [`Cell::surely`] counts the relations
    /// that surely held on some day of it; give the view a time filter
    /// ([`Filter::on`](crate::Filter::on), [`Filter::during`](crate::Filter::during))
    /// to count only what may have held then.
    ///
    /// O(s + d) a row for the s entities of its subtree and the d relations
    /// at them, read off the query index by number; each counted relation
    /// is read once. On a graph of 65,536 entities or more, half the rows
    /// are counted on a second thread.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`](crate::Rule::UnknownEntity) for an unknown row.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Columns, Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// let matrix = view.matrix(&["hanoi"], Columns::Countries, None)?;
    /// let sweden = &matrix.rows()[0].cells()["SE"];
    /// assert!(sweden.total() >= 3); // Karolinska's MOU, renewal, visit, ...
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn matrix(
        &self,
        rows: &[&str],
        columns: Columns,
        window: Option<(Date, Date)>,
    ) -> Result<Matrix<'g>, Error> {
        let window = window.map(|(a, b)| (a.first_day(), b.last_day()));
        // Rows are independent: on a large graph, half of them on each of
        // two threads, each with its own marks.
        let half = rows.len() / 2;
        let parallel =
            half > 0 && self.graph.node_bound() >= crate::index::adjacency::PARALLEL_FROM;
        let (first, second) = crate::index::both(
            parallel,
            || self.rows(rows.get(..half).unwrap_or_default(), columns, window),
            || self.rows(rows.get(half..).unwrap_or_default(), columns, window),
        );
        let mut out = first?;
        out.extend(second?);
        let mut columns: Vec<String> = out
            .iter()
            .flat_map(|r| r.cells.keys().cloned())
            .collect::<HashSet<String>>()
            .into_iter()
            .collect();
        columns.sort_by(|a, b| (a == "?", a).cmp(&(b == "?", b)));
        Ok(Matrix { rows: out, columns })
    }

    /// The rows of [`View::matrix`] for `rows`, in order: each row's subtree
    /// walked and the relations crossing it counted, on the query index by
    /// number. `window` runs from the first day of its first date to the
    /// last day of its second.
    fn rows(
        &self,
        rows: &[&str],
        columns: Columns,
        window: Option<(Date, Date)>,
    ) -> Result<Vec<Row<'g>>, Error> {
        let graph: &'g HealthGraph = self.graph;
        let adj = graph.adjacency();
        // The structural kinds as a mask over the index's kind numbers.
        let up: u32 = RelationKind::ALL
            .iter()
            .filter(|k| k.is_structural())
            .fold(0, |mask, &k| mask | 1 << (k as u8));
        let structural = |e: u32| {
            adj.hot
                .get(e as usize)
                .is_some_and(|h| up & 1u32.checked_shl(u32::from(h.kind)).unwrap_or(0) != 0)
        };
        // Which row's subtree each node was last put in: the stamp of a row
        // is its number plus one, so no clearing between rows.
        let mut inside = vec![0u32; graph.node_bound()];
        let mut out = Vec::with_capacity(rows.len());
        for (row, &id) in rows.iter().enumerate() {
            let (Some(node), Some(entity)) = (graph.node(id), graph.entity(id)) else {
                return Err(crate::query::view::unknown_entity(id));
            };
            let stamp = u32::try_from(row + 1).unwrap_or(u32::MAX);
            // The subtree, breadth-first over the relations that point up
            // to a member (as `HealthGraph::children`), each node once.
            let mut subtree = vec![node.index()];
            if let Some(mark) = inside.get_mut(node.index()) {
                *mark = stamp;
            }
            let mut head = 0;
            while let Some(&v) = subtree.get(head) {
                head += 1;
                for (child, e, outgoing) in adj.incidences(v) {
                    let child = child as usize;
                    match inside.get_mut(child) {
                        Some(mark) if !outgoing && *mark != stamp && structural(e) => {
                            *mark = stamp;
                            subtree.push(child);
                        }
                        _ => {}
                    }
                }
            }
            // Each relation of the view with one end in the subtree, met
            // once from that end; the other end is the partner.
            let mut by_partner: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for &v in &subtree {
                if !self.compiled.node(adj, v) {
                    continue;
                }
                for (partner, e, _) in adj.incidences(v) {
                    let p = partner as usize;
                    if inside.get(p) == Some(&stamp)
                        || !self.compiled.edge(adj, e as usize)
                        || !self.compiled.node(adj, p)
                    {
                        continue;
                    }
                    by_partner.entry(partner).or_default().push(e);
                }
            }
            let mut cells: BTreeMap<String, Cell> = BTreeMap::new();
            for (partner, relations) in by_partner {
                let partner = graph.entity_at(crate::graph::Node::from_index(partner));
                let key = match (columns, partner) {
                    (Columns::Entities, Some(p)) => p.id.to_string(),
                    (Columns::Countries, Some(p)) => p
                        .country()
                        .map_or_else(|| "?".to_owned(), |c| c.to_string()),
                    (_, None) => continue,
                };
                let cell = cells.entry(key).or_default();
                for r in relations.iter().filter_map(|&e| graph.relation_at(e)) {
                    let surely = window.is_none_or(|(a, b)| {
                        r.period()
                            .sure_days()
                            .is_some_and(|(f, t)| f <= b && a <= t)
                    });
                    *cell.by_kind.entry(r.kind).or_default() += 1;
                    if surely {
                        *cell.surely_by_kind.entry(r.kind).or_default() += 1;
                    }
                }
            }
            out.push(Row { entity, cells });
        }
        Ok(out)
    }
}
