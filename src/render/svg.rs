//! The agreements timeline as SVG: one bar per agreement across the years,
//! grouped by party, with the precision of each date drawn (a year-precise
//! end shaded across its whole year), open ends drawn open, renewals linked
//! to what they renew, proposals dashed, and a line at today.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::export::xml::escape;
use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::relation::{Link, Relation, Status};

/// Width of the column of labels, in pixels.
const LABEL_WIDTH: f64 = 480.0;
/// Width of one year on the axis.
const YEAR_WIDTH: f64 = 72.0;
/// Height of one row (a bar or a group's heading).
const ROW: f64 = 22.0;
/// Height of a bar.
const BAR: f64 = 12.0;
/// Where the rows begin, below the title, the legend and the axis.
const TOP: f64 = 112.0;

/// The agreements timeline of `agreements` as a standalone SVG document:
/// one bar per agreement across the years, grouped under the party with
/// the most agreements among them (or, when every agreement shares one
/// party, under the other party). A date known only to the year or month
/// is shaded across that whole year or month; a missing start or end fades
/// out to the edge (open); a renewal, an amendment or a supersession is
/// linked by an arrow (solid, dotted, dashed) to the agreement it continues; a proposal (proposed, discussed, planned) is dashed; a red
/// line marks `today`, and each of `marks` (a date and its label) a grey
/// one. Every name is escaped; each bar is a `<g data-agreement="ID">`.
///
/// # Example
///
/// ```
/// use healthgraph::{HealthGraph, render};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let agreements: Vec<_> = graph.relations().filter(|r| r.kind().is_agreement()).collect();
/// let svg = render::agreements_svg(&graph, &agreements, "2026-11-30".parse()?, &[]);
/// assert!(svg.starts_with("<svg "));
/// assert_eq!(svg.matches("data-agreement=").count(), agreements.len());
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn agreements_svg(
    graph: &HealthGraph,
    agreements: &[&Relation],
    today: Date,
    marks: &[(Date, &str)],
) -> String {
    let groups = group(agreements);
    // The axis: whole years from the earliest date to the latest (today and
    // the marks included), one more year on the right for open ends.
    let years = agreements
        .iter()
        .flat_map(|r| r.start().into_iter().chain(r.end()))
        .chain(std::iter::once(today))
        .chain(marks.iter().map(|(d, _)| *d))
        .map(Date::year);
    let (first, last) = years.fold((today.year(), today.year()), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let last = last + 1;
    let axis = Axis {
        start: Date::from_year(first).unwrap_or(Date::MIN).days(),
        end: Date::from_year(last).unwrap_or(Date::MAX).last_day().days() + 1,
    };
    let rows: usize = groups.iter().map(|(_, list)| list.len() + 1).sum();
    // At least wide enough for the legend in two rows.
    let width = (LABEL_WIDTH + f64::from(last - first + 1) * YEAR_WIDTH + 24.0).max(900.0);
    let height = TOP + rows as f64 * ROW + 24.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">"
    );
    out.push_str(DEFS);
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<text x=\"12\" y=\"24\" font-size=\"16\" font-weight=\"bold\">Agreements, {first}\u{2013}{last}: {} ({})</text>",
        agreements.len(),
        if agreements.len() == 1 {
            "one bar"
        } else {
            "one bar each"
        }
    );
    legend(&mut out, width);
    // Year lines and labels.
    for year in first..=last {
        let x = axis.x(Date::from_year(year).unwrap_or(Date::MIN).days());
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e4e4e4\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{year}</text>",
            TOP - 12.0,
            height - 16.0,
            x + YEAR_WIDTH / 2.0,
            TOP - 16.0
        );
    }
    // Rows: each group's heading, then its bars.
    let mut y = TOP;
    let mut at: HashMap<&str, (f64, f64, f64)> = HashMap::new();
    for (party, list) in &groups {
        let name = graph.entity(party).map_or(*party, |e| e.name());
        let _ = writeln!(
            out,
            "<text x=\"12\" y=\"{:.1}\" font-weight=\"bold\">{}</text>",
            y + ROW * 0.7,
            escape(&shorten(name, 60))
        );
        y += ROW;
        for r in list {
            let (x0, x1) = bar(&mut out, graph, r, party, &axis, y);
            at.insert(r.id.as_str(), (x0, x1, y + ROW / 2.0));
            y += ROW;
        }
    }
    // Renewals, amendments and supersessions: an arrow from what is
    // continued to what continues it.
    for r in agreements {
        for (link, previous) in r.links() {
            let (Some(&(from_start, from_end, from_y)), Some(&(to_x, _, to_y))) =
                (at.get(previous.as_str()), at.get(r.id.as_str()))
            else {
                continue;
            };
            // From the end of what is continued; from just before its
            // successor when that has no end on the axis (undated, or open).
            let from_x = if from_end > from_start && from_end <= to_x {
                from_end
            } else {
                to_x - 24.0
            };
            let bend = ((to_x - from_x).abs() / 2.0).min(40.0) + 8.0;
            // Renewals solid, amendments dotted, supersessions dashed.
            let dash = match link {
                Link::Renews => "",
                Link::Amends => " stroke-dasharray=\"2 2\"",
                _ => " stroke-dasharray=\"6 3\"",
            };
            let _ = writeln!(
                out,
                "<path d=\"M{from_x:.1},{from_y:.1} C{:.1},{from_y:.1} {:.1},{to_y:.1} {to_x:.1},{to_y:.1}\" \
                 fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\"{dash} marker-end=\"url(#arrow)\" data-{link}=\"{}\"><title>{} {link} {}</title></path>",
                from_x + bend,
                to_x - bend,
                escape(previous.as_str()),
                escape(r.id.as_str()),
                escape(previous.as_str())
            );
        }
    }
    // Today, and the asked dates.
    let lines = std::iter::once((today, format!("today {today}"), "#d62728")).chain(
        marks
            .iter()
            .map(|(d, label)| (*d, (*label).to_owned(), "#555555")),
    );
    for (i, (date, label, colour)) in lines.enumerate() {
        let x = axis.x(date.first_day().days());
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\" font-size=\"11\">{}</text>",
            TOP - 8.0,
            height - 20.0,
            x + 3.0,
            height - 8.0 - 12.0 * i as f64,
            escape(&label)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The gradients, hatching and arrow head the bars use.
const DEFS: &str = "<defs>\
<mask id=\"mask-in\" maskContentUnits=\"objectBoundingBox\"><rect width=\"1\" height=\"1\" fill=\"url(#fade-in-white)\"/></mask>\
<linearGradient id=\"fade-in-white\"><stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\"0.15\"/><stop offset=\"1\" stop-color=\"#fff\" stop-opacity=\"1\"/></linearGradient>\
<linearGradient id=\"fade-out-white\"><stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\"1\"/><stop offset=\"1\" stop-color=\"#fff\" stop-opacity=\"0.15\"/></linearGradient>\
<linearGradient id=\"open-white\"><stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\"0.9\"/><stop offset=\"1\" stop-color=\"#fff\" stop-opacity=\"0\"/></linearGradient>\
<linearGradient id=\"open-in-white\"><stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#fff\" stop-opacity=\"0.9\"/></linearGradient>\
<mask id=\"mask-out\" maskContentUnits=\"objectBoundingBox\"><rect width=\"1\" height=\"1\" fill=\"url(#fade-out-white)\"/></mask>\
<mask id=\"mask-open\" maskContentUnits=\"objectBoundingBox\"><rect width=\"1\" height=\"1\" fill=\"url(#open-white)\"/></mask>\
<mask id=\"mask-open-in\" maskContentUnits=\"objectBoundingBox\"><rect width=\"1\" height=\"1\" fill=\"url(#open-in-white)\"/></mask>\
<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>\
</defs>\n";

/// The legend under the title: what each way of drawing means.
fn legend(out: &mut String, width: f64) {
    let mut y = 44.0;
    let items: [(&str, &str); 7] = [
        (
            "<rect x=\"0\" y=\"-9\" width=\"34\" height=\"10\" fill=\"#1155cc\"/>",
            "the stated period",
        ),
        (
            "<rect x=\"0\" y=\"-9\" width=\"12\" height=\"10\" fill=\"#1155cc\"/><rect x=\"12\" y=\"-9\" width=\"22\" height=\"10\" fill=\"#1155cc\" mask=\"url(#mask-out)\"/>",
            "an end known only to the year or month",
        ),
        (
            "<rect x=\"0\" y=\"-9\" width=\"34\" height=\"10\" fill=\"#1155cc\" mask=\"url(#mask-open)\"/>",
            "no end stated (open)",
        ),
        (
            "<rect x=\"0\" y=\"-9\" width=\"34\" height=\"10\" fill=\"#1155cc\" fill-opacity=\"0.3\" stroke=\"#1155cc\" stroke-dasharray=\"4 2\"/>",
            "proposed, discussed or planned",
        ),
        (
            "<path d=\"M0,-4 L30,-4\" stroke=\"#333\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>",
            "renews",
        ),
        (
            "<path d=\"M0,-4 L30,-4\" stroke=\"#333\" stroke-width=\"1.2\" stroke-dasharray=\"2 2\" marker-end=\"url(#arrow)\"/>",
            "amends",
        ),
        (
            "<path d=\"M0,-4 L30,-4\" stroke=\"#333\" stroke-width=\"1.2\" stroke-dasharray=\"6 3\" marker-end=\"url(#arrow)\"/>",
            "supersedes",
        ),
    ];
    let mut x = 12.0;
    for (sample, words) in items {
        let wide = 60.0 + words.chars().count() as f64 * 6.6;
        if x + wide > width - 12.0 {
            (x, y) = (12.0, y + 18.0);
        }
        let _ = writeln!(
            out,
            "<g transform=\"translate({x:.1},{y:.1})\">{sample}<text x=\"40\" y=\"0\" fill=\"#333\">{words}</text></g>"
        );
        x += wide;
    }
    let _ = writeln!(
        out,
        "<text x=\"12\" y=\"{:.1}\" fill=\"#555\" font-size=\"11\">Blue: MOU and renewal; green: cooperation. Hover over a bar for its id, period, status and sources.</text>",
        y + 18.0
    );
}

/// Day numbers on the axis, and where they fall.
struct Axis {
    start: i32,
    end: i32,
}

impl Axis {
    fn x(&self, day: i32) -> f64 {
        let day = day.clamp(self.start, self.end);
        LABEL_WIDTH + f64::from(day - self.start) * YEAR_WIDTH / 365.2425
    }
}

/// The day after the last day `d` can mean, as a day number: where a bar
/// that runs to the end of `d` stops.
fn after(d: Date) -> i32 {
    d.last_day().days() + 1
}

/// Draws one agreement's row; gives the x of the bar's two ends.
fn bar(
    out: &mut String,
    graph: &HealthGraph,
    r: &Relation,
    party: &str,
    axis: &Axis,
    y: f64,
) -> (f64, f64) {
    let (colour, _) = crate::render::edge_style(r.kind);
    let proposal = matches!(
        r.status,
        Status::Proposed | Status::Discussed | Status::Planned
    );
    let other = r.other(party).map_or(r.to.as_str(), |id| id.as_str());
    let other_name = graph.entity(other).map_or(other, |e| e.name());
    let period = crate::render::dates(r);
    let status = match r.status {
        Status::Signed | Status::Ongoing => String::new(),
        s => format!(", {s}"),
    };
    // Cut to fit the label column (about 6.8 pixels a character).
    let fits = ((LABEL_WIDTH - 40.0) / 6.8) as usize;
    let label = shorten(&format!("{} {period}{status}: {other_name}", r.kind), fits);
    let sources: Vec<&str> = r.sources.iter().map(|s| s.as_str()).collect();
    let _ = write!(
        out,
        "<g data-agreement=\"{}\"><title>{} ({}, {period}, {}; sources: {})</title>\
         <text x=\"28\" y=\"{:.1}\" fill=\"#222\">{}</text>",
        escape(r.id.as_str()),
        escape(r.id.as_str()),
        r.kind,
        r.status,
        escape(&sources.join(", ")),
        y + ROW * 0.7,
        escape(&label)
    );
    let top = y + (ROW - BAR) / 2.0;
    let style = if proposal {
        format!(
            "fill=\"{colour}\" fill-opacity=\"0.3\" stroke=\"{colour}\" stroke-dasharray=\"4 2\""
        )
    } else {
        format!("fill=\"{colour}\"")
    };
    // A piece narrower than half a pixel is not drawn; a whole bar of a few
    // days is drawn 4 pixels wide, so that it stays visible.
    let mut rect = |mut from: f64, mut to: f64, mask: Option<&str>, whole: bool| {
        if whole && to - from < 4.0 {
            let middle = (from + to) / 2.0;
            (from, to) = (middle - 2.0, middle + 2.0);
        }
        if to - from < 0.5 {
            return;
        }
        let mask = mask.map_or(String::new(), |m| format!(" mask=\"url(#{m})\""));
        let _ = write!(
            out,
            "<rect x=\"{from:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR}\" {style}{mask}/>",
            to - from
        );
    };
    let (left, right) = (axis.x(axis.start), axis.x(axis.end));
    let ends = match (r.start(), r.end()) {
        (Some(s), Some(e)) => {
            let (s0, s1) = (axis.x(s.first_day().days()), axis.x(after(s)));
            let (e0, e1) = (axis.x(e.first_day().days()), axis.x(after(e)));
            if e1 - s0 < 4.0 {
                rect(s0, e1, None, true);
            } else if s1 <= e0 {
                rect(s0, s1, (s1 - s0 > 2.0).then_some("mask-in"), false);
                rect(s1, e0, None, false);
                rect(e0, e1, (e1 - e0 > 2.0).then_some("mask-out"), false);
            } else {
                // Start and end share their coarse span (2025..2025): all shaded.
                rect(s0, e1, Some("mask-out"), false);
            }
            (s0, e1)
        }
        (Some(s), None) => {
            let (s0, s1) = (axis.x(s.first_day().days()), axis.x(after(s)));
            rect(s0, s1, (s1 - s0 > 2.0).then_some("mask-in"), false);
            rect(s1, right, Some("mask-open"), false);
            (s0, right)
        }
        (None, Some(e)) => {
            let (e0, e1) = (axis.x(e.first_day().days()), axis.x(after(e)));
            rect(left, e0, Some("mask-open-in"), false);
            rect(e0, e1, (e1 - e0 > 2.0).then_some("mask-out"), false);
            (left, e1)
        }
        (None, None) => {
            let _ = write!(
                out,
                "<line x1=\"{left:.1}\" y1=\"{:.1}\" x2=\"{right:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-opacity=\"0.5\" stroke-dasharray=\"1 4\" stroke-width=\"3\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#777\" font-size=\"10\">undated</text>",
                y + ROW / 2.0,
                y + ROW / 2.0,
                left + 4.0,
                y + ROW / 2.0 - 4.0
            );
            (left, left)
        }
    };
    out.push_str("</g>\n");
    ends
}

/// The agreements under their groups: each agreement under whichever of its
/// parties has more agreements here (the lower id on a tie), so a hub gathers
/// its partners; when one party is in every agreement, under the other.
/// Groups largest first; bars by start (undated last), then id.
fn group<'a>(agreements: &[&'a Relation]) -> Vec<(&'a str, Vec<&'a Relation>)> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for r in agreements {
        for id in [r.from.as_str(), r.to.as_str()] {
            *count.entry(id).or_default() += 1;
        }
    }
    let everywhere: HashSet<&str> = count
        .iter()
        .filter(|&(_, &n)| n == agreements.len() && agreements.len() > 1)
        .map(|(&id, _)| id)
        .collect();
    let mut groups: HashMap<&str, Vec<&Relation>> = HashMap::new();
    for r in agreements {
        let (a, b) = (r.from.as_str(), r.to.as_str());
        let key = if everywhere.contains(a) && !everywhere.contains(b) {
            b
        } else if everywhere.contains(b) && !everywhere.contains(a) {
            a
        } else {
            let n = |id: &str| count.get(id).copied().unwrap_or(0);
            let (ca, cb) = (n(a), n(b));
            if ca > cb || (ca == cb && a <= b) {
                a
            } else {
                b
            }
        };
        groups.entry(key).or_default().push(r);
    }
    let mut out: Vec<(&str, Vec<&Relation>)> = groups.into_iter().collect();
    for (_, list) in &mut out {
        list.sort_by(|x, y| {
            (x.start().is_none(), x.start(), x.id.as_str()).cmp(&(
                y.start().is_none(),
                y.start(),
                y.id.as_str(),
            ))
        });
    }
    out.sort_by(|(a, x), (b, y)| y.len().cmp(&x.len()).then(a.cmp(b)));
    out
}

/// At most `max` characters, cut at a word with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\u{2026}")
}
