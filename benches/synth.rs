//! A seeded, deterministic generator of synthetic health-cooperation graphs
//! of any size, for benchmarks and the `synth` example: a skewed, hub-heavy
//! degree distribution, every entity and relation kind in plausible
//! proportions and within the endpoint rules, dates between 1990 and 2035
//! with mixed precision (some unknown), statuses, renewal chains and sources.
//!
//! The same seed and size give the same graph, written as RON (for
//! healthgraph) or as a TSV edge list (for NetworkX and igraph, with dates as
//! day numbers so that they can filter by date).
//!
//! Shared by `benches/` and `examples/synth.rs` through `#[path]`; which
//! entity kinds a relation joins comes from the library's endpoint table.

// Each binary that includes this file uses part of it; indices into the
// generator's own tables are bounded by construction.
#![allow(dead_code, clippy::indexing_slicing)]

use std::io::{self, Write};

/// SplitMix64: small, fast, and good enough to shape a benchmark graph.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer in [0, n).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// An index in [0, n) skewed towards 0: P(index < k) = (k/n)^(1/3),
    /// which gives a few hubs with very many relations and a long tail.
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize % n.max(1)
    }

    /// Picks from weighted choices.
    pub(crate) fn weighted<T: Copy>(&mut self, choices: &[(T, u32)]) -> T {
        let total: u32 = choices.iter().map(|c| c.1).sum();
        let mut x = (self.unit() * f64::from(total)) as u32;
        for &(v, w) in choices {
            if x < w {
                return v;
            }
            x -= w;
        }
        choices[0].0
    }
}

/// Entity kinds, in healthgraph's kebab-case.
pub(crate) const ENTITY_KINDS: &[(&str, u32)] = &[
    ("city", 2),
    ("hospital", 40),
    ("institute", 15),
    ("company", 15),
    ("agency", 15),
    ("ngo", 10),
    ("programme", 3),
];

const COUNTRIES: &[(&str, u32)] = &[
    ("VN", 30),
    ("US", 10),
    ("FR", 8),
    ("JP", 8),
    ("KR", 8),
    ("SE", 4),
    ("DE", 6),
    ("GB", 6),
    ("CN", 6),
    ("TH", 4),
    ("LA", 3),
    ("KH", 3),
    ("AU", 4),
];

const SYLLABLES: &[&str] = &[
    "Hà",
    "Nội",
    "Đông",
    "Anh",
    "Phụ",
    "Sản",
    "Tim",
    "Ung",
    "Bướu",
    "Xanh",
    "Pôn",
    "Mỹ",
    "Đức",
    "Bạch",
    "Mai",
    "Việt",
    "Đức",
    "Thanh",
    "Nhàn",
    "Saint",
    "Paul",
    "Kobe",
    "Ajou",
    "Karolinska",
    "Lyon",
    "Bordeaux",
    "Osaka",
    "Seoul",
    "Huế",
    "Cần",
    "Thơ",
    "Đà",
    "Nẵng",
    "Quảng",
    "Ninh",
];

fn prefix(kind: &str) -> &'static str {
    match kind {
        "city" => "Thành phố",
        "hospital" => "Bệnh viện Đa khoa",
        "institute" => "Viện Nghiên cứu",
        "company" => "Công ty TNHH",
        "agency" => "Sở Y tế",
        "ngo" => "Tổ chức",
        _ => "Chương trình",
    }
}

/// Relation kinds other than located-in, with weights.
const RELATION_KINDS: &[(&str, u32)] = &[
    ("mou", 16),
    ("visit", 25),
    ("training", 10),
    ("cooperation", 20),
    ("participation", 10),
    ("membership", 5),
    ("mandate", 4),
    ("part-of", 10),
];

/// Entity kinds a relation may have at `from` and at `to`, as indices into
/// `ENTITY_KINDS`.
type Ends = (Vec<usize>, Vec<usize>);

/// Which entity kinds each relation kind joins, as indices into
/// `ENTITY_KINDS`: the library's own endpoint table, in index order.
fn endpoints(kind: &str) -> Ends {
    let indices = |kinds: &[healthgraph::EntityKind]| {
        let mut out: Vec<usize> = kinds
            .iter()
            .filter_map(|k| {
                ENTITY_KINDS
                    .iter()
                    .position(|(name, _)| *name == k.as_str())
            })
            .collect();
        out.sort_unstable();
        out
    };
    match kind.parse::<healthgraph::RelationKind>() {
        Ok(kind) => {
            let (froms, tos) = kind.endpoints();
            (indices(froms), indices(tos))
        }
        Err(_) => (Vec::new(), Vec::new()),
    }
}

/// A date with its precision; day numbers for the TSV.
#[derive(Clone, Copy)]
pub(crate) struct SDate {
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) day: u32,
}

impl SDate {
    pub(crate) fn text(self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{m:02}", self.year),
            (m, d) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }

    /// Days since 1970-01-01 of the first day the date can mean.
    pub(crate) fn first_day(self) -> i64 {
        days(self.year, self.month.max(1), self.day.max(1))
    }

    /// Days since 1970-01-01 of the last day the date can mean.
    pub(crate) fn last_day(self) -> i64 {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        days(self.year, month, day)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 (Howard Hinnant's days_from_civil).
pub(crate) fn days(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) struct SEntity {
    pub(crate) kind: usize,
    pub(crate) country: &'static str,
    pub(crate) name: String,
    pub(crate) source: u32,
}

pub(crate) struct SRelation {
    pub(crate) kind: &'static str,
    pub(crate) from: u32,
    pub(crate) to: u32,
    pub(crate) start: Option<SDate>,
    pub(crate) end: Option<SDate>,
    pub(crate) status: &'static str,
    pub(crate) basis: &'static str,
    pub(crate) renews: Option<u32>,
    pub(crate) sources: [u32; 2],
    pub(crate) source_count: u8,
}

pub(crate) struct Synth {
    pub(crate) sources: Vec<SDate>,
    pub(crate) entities: Vec<SEntity>,
    pub(crate) relations: Vec<SRelation>,
}

fn random_date(rng: &mut Rng) -> SDate {
    let year = 1990 + rng.below(46) as i32;
    match rng.weighted(&[(0u8, 60), (1, 25), (2, 15)]) {
        0 => SDate {
            year,
            month: 1 + rng.below(12) as u32,
            day: 1 + rng.below(28) as u32,
        },
        1 => SDate {
            year,
            month: 1 + rng.below(12) as u32,
            day: 0,
        },
        _ => SDate {
            year,
            month: 0,
            day: 0,
        },
    }
}

fn later(rng: &mut Rng, start: SDate) -> SDate {
    let year = (start.year + 1 + rng.below(10) as i32).min(9999);
    match (start.month, start.day) {
        (0, _) => SDate {
            year,
            month: 0,
            day: 0,
        },
        (m, 0) => SDate {
            year,
            month: m,
            day: 0,
        },
        (m, d) => SDate {
            year,
            month: m,
            day: d,
        },
    }
}

impl Synth {
    /// A graph of `entities` entities and about five times as many relations.
    pub(crate) fn generate(entities: usize, seed: u64) -> Synth {
        let mut rng = Rng::new(seed);
        let n_sources = (entities / 10).max(1);
        let sources: Vec<SDate> = (0..n_sources)
            .map(|_| {
                let year = 1990 + rng.below(36) as i32;
                SDate {
                    year,
                    month: 1 + rng.below(12) as u32,
                    day: 1 + rng.below(28) as u32,
                }
            })
            .collect();
        let mut ents = Vec::with_capacity(entities);
        let mut by_kind: Vec<Vec<u32>> = vec![Vec::new(); ENTITY_KINDS.len()];
        for i in 0..entities {
            // Keep at least one entity of each kind, so every rule can be met.
            let kind = if i < ENTITY_KINDS.len() {
                i
            } else {
                let name = rng.weighted(ENTITY_KINDS);
                ENTITY_KINDS.iter().position(|k| k.0 == name).unwrap_or(1)
            };
            let a = SYLLABLES[rng.below(SYLLABLES.len())];
            let b = SYLLABLES[rng.below(SYLLABLES.len())];
            by_kind[kind].push(i as u32);
            ents.push(SEntity {
                kind,
                country: rng.weighted(COUNTRIES),
                name: format!("{} {a} {b} {i}", prefix(ENTITY_KINDS[kind].0)),
                source: rng.below(n_sources) as u32,
            });
        }
        let pick = |rng: &mut Rng, kinds: &[usize]| -> u32 {
            // Choose a kind weighted by how many entities it has, then a
            // skewed member of it: hubs are the low indices of each kind.
            let total: usize = kinds.iter().map(|k| by_kind[*k].len()).sum();
            let mut x = rng.below(total);
            for k in kinds {
                let pool = &by_kind[*k];
                if x < pool.len() {
                    return pool[rng.skewed(pool.len())];
                }
                x -= pool.len();
            }
            by_kind[1][0]
        };
        let target = entities * 5;
        let mut rels: Vec<SRelation> = Vec::with_capacity(target + entities / 10);
        let cities = by_kind[0].clone();
        // Half of the entities are placed in a city.
        for (i, entity) in ents.iter().enumerate() {
            if entity.kind != 0 && rng.unit() < 0.5 {
                let city = cities[rng.skewed(cities.len())];
                let s = entity.source;
                rels.push(SRelation {
                    kind: "located-in",
                    from: i as u32,
                    to: city,
                    start: None,
                    end: None,
                    status: "ongoing",
                    basis: if rng.unit() < 0.7 {
                        "implied"
                    } else {
                        "stated"
                    },
                    renews: None,
                    sources: [s, s],
                    source_count: 1,
                });
            }
        }
        let tables: Vec<(&str, Ends)> = RELATION_KINDS
            .iter()
            .map(|(kind, _)| (*kind, endpoints(kind)))
            .collect();
        while rels.len() < target {
            let kind = rng.weighted(RELATION_KINDS);
            let Some((_, (froms, tos))) = tables.iter().find(|(k, _)| *k == kind) else {
                continue;
            };
            let from = pick(&mut rng, froms);
            let to = pick(&mut rng, tos);
            if from == to {
                continue;
            }
            let source_count = 1 + u8::from(rng.unit() < 0.3);
            let sources = [rng.below(n_sources) as u32, rng.below(n_sources) as u32];
            let structural = kind == "part-of";
            let start = (!structural && rng.unit() < 0.9).then(|| random_date(&mut rng));
            let end = match (kind, start) {
                ("visit" | "participation", Some(s)) => Some(s),
                ("mou" | "cooperation" | "training" | "mandate", Some(s)) if rng.unit() < 0.7 => {
                    Some(later(&mut rng, s))
                }
                _ => None,
            };
            let status = match kind {
                "mou" => rng.weighted(&[
                    ("signed", 55),
                    ("ongoing", 20),
                    ("ended", 10),
                    ("proposed", 10),
                    ("discussed", 5),
                ]),
                "cooperation" | "training" => rng.weighted(&[
                    ("ongoing", 50),
                    ("completed", 20),
                    ("proposed", 20),
                    ("planned", 10),
                ]),
                "visit" | "participation" => rng.weighted(&[("completed", 90), ("planned", 10)]),
                _ => "ongoing",
            };
            let basis = if rng.unit() < 0.85 {
                "stated"
            } else {
                "implied"
            };
            let index = rels.len() as u32;
            rels.push(SRelation {
                kind,
                from,
                to,
                start,
                end,
                status,
                basis,
                renews: None,
                sources,
                source_count,
            });
            // Some agreements are renewed, some more than once: chains.
            if kind == "mou" && matches!(status, "signed" | "ongoing") && rng.unit() < 0.25 {
                let mut previous = index;
                let mut at = end.or(start);
                for _ in 0..1 + rng.below(2) {
                    let renewal_start = at.map(|d| later(&mut rng, d));
                    let renewal_end = renewal_start.map(|d| later(&mut rng, d));
                    let index = rels.len() as u32;
                    rels.push(SRelation {
                        kind: "renewal",
                        from,
                        to,
                        start: renewal_start,
                        end: renewal_end,
                        status: "signed",
                        basis,
                        renews: Some(previous),
                        sources,
                        source_count,
                    });
                    previous = index;
                    at = renewal_end;
                }
            }
        }
        Synth {
            sources,
            entities: ents,
            relations: rels,
        }
    }

    /// Writes the RON data set, one record a line.
    pub(crate) fn write_ron(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "#![enable(implicit_some)]")?;
        writeln!(out, "(")?;
        writeln!(out, "sources: [")?;
        for (i, d) in self.sources.iter().enumerate() {
            writeln!(
                out,
                "(id:\"s{i}\",title:\"Synthetic source {i}\",published:\"{}\",language:\"vi\"),",
                d.text()
            )?;
        }
        writeln!(out, "],")?;
        writeln!(out, "entities: [")?;
        for (i, e) in self.entities.iter().enumerate() {
            writeln!(
                out,
                "(id:\"e{i}\",kind:\"{}\",name:\"{}\",country:\"{}\",sources:[\"s{}\"]),",
                ENTITY_KINDS[e.kind].0, e.name, e.country, e.source
            )?;
        }
        writeln!(out, "],")?;
        writeln!(out, "relations: [")?;
        for (i, r) in self.relations.iter().enumerate() {
            write!(
                out,
                "(id:\"r{i}\",kind:\"{}\",from:\"e{}\",to:\"e{}\"",
                r.kind, r.from, r.to
            )?;
            if let Some(s) = r.start {
                write!(out, ",start:\"{}\"", s.text())?;
            }
            if let Some(e) = r.end {
                write!(out, ",end:\"{}\"", e.text())?;
            }
            write!(out, ",status:\"{}\",basis:\"{}\"", r.status, r.basis)?;
            if let Some(t) = r.renews {
                write!(out, ",renews:\"r{t}\"")?;
            }
            if r.source_count == 2 && r.sources[0] != r.sources[1] {
                writeln!(
                    out,
                    ",sources:[\"s{}\",\"s{}\"]),",
                    r.sources[0], r.sources[1]
                )?;
            } else {
                writeln!(out, ",sources:[\"s{}\"]),", r.sources[0])?;
            }
        }
        writeln!(out, "],")?;
        writeln!(out, ")")
    }

    /// Writes the TSV edge list the peer tools load: one relation a line,
    /// `from to kind start_day end_day status id`, with unknown bounds as
    /// -9999999 and 9999999 (open).
    pub(crate) fn write_tsv(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "from\tto\tkind\tstart_day\tend_day\tstatus\tid")?;
        for (i, r) in self.relations.iter().enumerate() {
            let lo = r.start.map_or(-9_999_999, SDate::first_day);
            let hi = r.end.map_or(9_999_999, SDate::last_day);
            writeln!(
                out,
                "e{}\te{}\t{}\t{lo}\t{hi}\t{}\tr{i}",
                r.from, r.to, r.kind, r.status
            )?;
        }
        Ok(())
    }
}
