//! Dates that carry their precision (`2025`, `2025-05`, `2025-05-23`, the
//! EDTF level 0 forms) and periods between two such dates.
//!
//! Calendar validation comes from jiff, which stays out of the public API.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Rule};
use crate::model::id::shorten;

/// How much of a [`Date`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Precision {
    /// Only the year: `2025`.
    Year,
    /// The year and month: `2025-05`.
    Month,
    /// The full day: `2025-05-23`.
    Day,
}

/// A calendar date known to a year, a month or a day.
///
/// Dates order by year, then month, then day, with a coarser date before the
/// finer dates it contains: `2025` < `2025-01` < `2025-01-01` < `2025-02`.
/// As the start of a period a partial date means its first day, as the end its
/// last day ([`Date::first_day`], [`Date::last_day`]).
///
/// # Example
///
/// ```
/// use healthgraph::{Date, Precision};
///
/// let d: Date = "2024-02".parse()?;
/// assert_eq!(d.precision(), Precision::Month);
/// assert_eq!(d.last_day().to_string(), "2024-02-29");
/// assert!("2025-02-30".parse::<Date>().is_err());
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i16,
    // 0 when unknown; the field order makes the derived ordering the one documented.
    month: u8,
    day: u8,
}

impl Date {
    /// The earliest date, the year 0000: an open start for windows.
    pub const MIN: Date = Date {
        year: 0,
        month: 0,
        day: 0,
    };

    /// The latest date, the year 9999: an open end for windows.
    pub const MAX: Date = Date {
        year: 9999,
        month: 0,
        day: 0,
    };

    /// A date known to the year, from 0 to 9999.
    ///
    /// # Errors
    ///
    /// [`Rule::InvalidDate`] if the year is outside 0..=9999.
    pub fn from_year(year: i16) -> Result<Date, Error> {
        Self::from_parts(year, 0, 0)
    }

    /// A date known to the month.
    ///
    /// # Errors
    ///
    /// [`Rule::InvalidDate`] if the year or month does not exist.
    pub fn from_year_month(year: i16, month: u8) -> Result<Date, Error> {
        Self::from_parts(year, month, 0)
    }

    /// A date known to the day.
    ///
    /// # Errors
    ///
    /// [`Rule::InvalidDate`] if the day does not exist (`2025-02-30`).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::Date;
    ///
    /// assert_eq!(Date::from_ymd(2025, 5, 23)?.to_string(), "2025-05-23");
    /// assert!(Date::from_ymd(2025, 2, 29).is_err());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn from_ymd(year: i16, month: u8, day: u8) -> Result<Date, Error> {
        if day == 0 {
            return Err(invalid(
                &format!("{year:04}-{month:02}-00"),
                "day 0 does not exist",
            ));
        }
        Self::from_parts(year, month, day)
    }

    /// A date from its year, month and day, 0 for a month or day not
    /// known, checked as the constructors check it.
    pub(crate) fn from_parts(year: i16, month: u8, day: u8) -> Result<Date, Error> {
        let date = Date { year, month, day };
        let why = if !(0..=9999).contains(&year) {
            "years run from 0000 to 9999"
        } else if month > 12 || (month == 0 && day != 0) {
            "months run from 01 to 12"
        } else if day != 0 && day > days_in_month(year, month) {
            "no such day in that month"
        } else {
            return Ok(date);
        };
        // The text is written only for the message: loading checks
        // millions of dates.
        Err(invalid(&date.to_string(), why))
    }

    /// Today's date in UTC, to the day.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Date, Precision};
    ///
    /// let today = Date::today();
    /// assert_eq!(today.precision(), Precision::Day);
    /// assert!(today >= Date::from_ymd(2025, 1, 1)?);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn today() -> Date {
        let day = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        let (month, dom) = (
            u8::try_from(day.month()).unwrap_or(1),
            u8::try_from(day.day()).unwrap_or(1),
        );
        Date {
            year: day.year(),
            month,
            day: dom,
        }
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month (1 to 12), when known.
    pub fn month(self) -> Option<u8> {
        (self.month != 0).then_some(self.month)
    }

    /// The day of the month, when known.
    pub fn day(self) -> Option<u8> {
        (self.day != 0).then_some(self.day)
    }

    /// How much of the date is known.
    pub fn precision(self) -> Precision {
        match (self.month, self.day) {
            (0, _) => Precision::Year,
            (_, 0) => Precision::Month,
            _ => Precision::Day,
        }
    }

    /// The first day the date can mean: `2025-05` gives `2025-05-01`.
    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month.max(1),
            day: self.day.max(1),
        }
    }

    /// The last day the date can mean: `2024-02` gives `2024-02-29`.
    pub fn last_day(self) -> Date {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        Date {
            year: self.year,
            month,
            day,
        }
    }

    /// Days from 1970-01-01 to a day-precision date (its first day if partial),
    /// for the compact index's hot arrays. Howard Hinnant's `days_from_civil`;
    /// a unit test checks it against jiff over the whole range we accept.
    pub(crate) fn days(self) -> i32 {
        let d = self.first_day();
        let y = i32::from(d.year) - i32::from(d.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i32::from(d.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i32::from(d.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day-precision date of a day number ([`Date::days`]' inverse,
    /// Howard Hinnant's `civil_from_days`), or `None` outside the years we
    /// accept.
    pub(crate) fn from_days(days: i32) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i32::from(month <= 2);
        let year = i16::try_from(year)
            .ok()
            .filter(|y| (0..=Date::MAX.year).contains(y))?;
        // In range by construction: a month of 1..=12, a day of that month.
        Some(Date {
            year,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// The date whose days run from day number `first` to `last`: a day, a
    /// whole month or a whole year; `None` for any other span. The date
    /// index keeps dates as such spans and gives them back with this.
    pub(crate) fn from_day_span(first: i32, last: i32) -> Option<Date> {
        let day = Date::from_days(first)?;
        if first == last {
            return Some(day);
        }
        let length = i64::from(last) - i64::from(first) + 1;
        if day.day != 1 {
            None
        } else if length == i64::from(days_in_month(day.year, day.month)) {
            Some(Date { day: 0, ..day })
        } else if day.month == 1 && length == 337 + i64::from(days_in_month(day.year, 2)) {
            Some(Date {
                month: 0,
                day: 0,
                ..day
            })
        } else {
            None
        }
    }

    /// The day after this date's first day, or `None` after 9999-12-31.
    pub(crate) fn next_day(self) -> Option<Date> {
        let d = self.first_day();
        if d.day < days_in_month(d.year, d.month) {
            Some(Date {
                day: d.day + 1,
                ..d
            })
        } else if d.month < 12 {
            Some(Date {
                month: d.month + 1,
                day: 1,
                ..d
            })
        } else if d.year < Date::MAX.year {
            Some(Date {
                year: d.year + 1,
                month: 1,
                day: 1,
            })
        } else {
            None
        }
    }

    /// Whether the two dates can mean the same day: `2025` overlaps `2025-05-23`.
    pub fn overlaps(self, other: Date) -> bool {
        self.first_day() <= other.last_day() && other.first_day() <= self.last_day()
    }
}

/// Days in a month that exists; jiff owns the calendar rules.
fn days_in_month(year: i16, month: u8) -> u8 {
    let month = i8::try_from(month).unwrap_or(1);
    jiff::civil::Date::new(year, month, 1)
        .map(|d| u8::try_from(d.days_in_month()).unwrap_or(28))
        .unwrap_or(28)
}

fn invalid(text: &str, why: &str) -> Error {
    Error::new(
        Rule::InvalidDate,
        format!("invalid date `{}`: {why}", shorten(text)),
    )
}

/// The date `s` means if it is written in another common way: day first
/// with slashes, dots or hyphens (`23/05/2025`, `23.5.2025`), a month and
/// a year (`5/2025`), or year first without leading zeros (`2025-5-23`,
/// `2025/05/23`). `None` if it is none of these, or the date does not exist.
fn suggestion(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim().split(['/', '.', '-']).collect();
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(|p| digits(p)) {
        return None;
    }
    let n = |p: &&str| p.parse::<u16>().ok();
    let text = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => format!("{:04}-{:02}-{:02}", n(y)?, n(m)?, n(d)?),
        [d, m, y] if y.len() == 4 => format!("{:04}-{:02}-{:02}", n(y)?, n(m)?, n(d)?),
        [y, m] if y.len() == 4 => format!("{:04}-{:02}", n(y)?, n(m)?),
        [m, y] if y.len() == 4 => format!("{:04}-{:02}", n(y)?, n(m)?),
        _ => return None,
    };
    (text != s && text.parse::<Date>().is_ok()).then_some(text)
}

impl FromStr for Date {
    type Err = Error;

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. A date written another
    /// common way (`23/05/2025`, `2025-5-23`) is refused with the form it
    /// should take.
    fn from_str(s: &str) -> Result<Date, Error> {
        let malformed = || match suggestion(s) {
            Some(better) => invalid(
                s,
                &format!("expected YYYY, YYYY-MM or YYYY-MM-DD; did you mean {better}?"),
            ),
            None => invalid(s, "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        };
        let b = s.as_bytes();
        let number = |range: std::ops::Range<usize>| {
            b.get(range).and_then(|digits| {
                digits.iter().try_fold(0u16, |n, &d| {
                    d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
                })
            })
        };
        let dash = |i: usize| b.get(i) == Some(&b'-');
        let (year, month, day) = match b.len() {
            4 => (number(0..4), None, None),
            7 if dash(4) => (number(0..4), Some(number(5..7)), None),
            10 if dash(4) && dash(7) => (number(0..4), Some(number(5..7)), Some(number(8..10))),
            _ => return Err(malformed()),
        };
        let year = year.ok_or_else(malformed)?;
        let month = month.map(|m| m.ok_or_else(malformed)).transpose()?;
        let day = day.map(|d| d.ok_or_else(malformed)).transpose()?;
        let year = i16::try_from(year).map_err(|_| malformed())?;
        let small = |n: u16| u8::try_from(n).map_err(|_| malformed());
        match (month, day) {
            (None, _) => Date::from_year(year),
            (Some(m), None) => {
                if m == 0 {
                    return Err(invalid(s, "months run from 01 to 12"));
                }
                Date::from_year_month(year, small(m)?)
            }
            (Some(m), Some(d)) => {
                if m == 0 {
                    return Err(invalid(s, "months run from 01 to 12"));
                }
                Date::from_ymd(year, small(m)?, small(d)?)
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month != 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day != 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

/// A period between two dates, either of which may be unknown.
///
/// A known start never lies after a known end: the start's first day is no
/// later than the end's last day, so `2025-05..2025` is a valid period and
/// `2025-06..2025-05` is not. Periods order by start, then end, an unknown
/// bound before a known one.
///
/// # Example
///
/// ```
/// use healthgraph::Period;
///
/// let term = Period::new(Some("2025".parse()?), Some("2030".parse()?))?;
/// assert_eq!(term.to_string(), "2025..2030");
/// assert!(Period::new(Some("2026".parse()?), Some("2025".parse()?)).is_err());
/// let open: Period = "..2030".parse()?;
/// let mut periods = vec![term, open, "2025..2026".parse()?];
/// periods.sort();
/// assert_eq!(periods.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["..2030", "2025..2026", "2025..2030"]);
/// # Ok::<(), healthgraph::Error>(())
/// ```
// Ordered by start, then end, an unknown bound before a known one (the
// field order and `Option`'s order give exactly that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Period {
    start: Option<Date>,
    end: Option<Date>,
}

impl Period {
    /// A period with no known bounds.
    pub const UNKNOWN: Period = Period {
        start: None,
        end: None,
    };

    /// A period from `start` to `end`.
    ///
    /// # Errors
    ///
    /// [`Rule::StartAfterEnd`] if both are known and the start's first day
    /// falls after the end's last day.
    pub fn new(start: Option<Date>, end: Option<Date>) -> Result<Period, Error> {
        if let (Some(s), Some(e)) = (start, end) {
            if s.first_day() > e.last_day() {
                return Err(Error::new(
                    Rule::StartAfterEnd,
                    format!("period starts at {s}, after it ends at {e}"),
                ));
            }
        }
        Ok(Period { start, end })
    }

    /// The start, when known.
    pub fn start(self) -> Option<Date> {
        self.start
    }

    /// The end, when known.
    pub fn end(self) -> Option<Date> {
        self.end
    }

    /// The days on which what has this period may hold: from its start's
    /// first day to its end's last day, an unknown side open (`None`).
    ///
    /// # Example
    ///
    /// ```
    /// let p: healthgraph::Period = "2025..2030-06".parse()?;
    /// let (from, to) = p.possible_days();
    /// assert_eq!((from.map(|d| d.to_string()), to.map(|d| d.to_string())), (Some("2025-01-01".into()), Some("2030-06-30".into())));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn possible_days(self) -> (Option<Date>, Option<Date>) {
        (
            self.start.map(Date::first_day),
            self.end.map(Date::last_day),
        )
    }

    /// The days on which what has this period surely holds, whatever day
    /// its partial dates mean: from its start's last day to its end's first
    /// day. `None` when either side is unknown or no day is sure (`2025..2025`).
    ///
    /// # Example
    ///
    /// ```
    /// let p: healthgraph::Period = "2025..2030".parse()?;
    /// let (from, to) = p.sure_days().expect("both sides known");
    /// assert_eq!((from.to_string(), to.to_string()), ("2025-12-31".into(), "2030-01-01".into()));
    /// assert_eq!("2025..".parse::<healthgraph::Period>()?.sure_days(), None);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn sure_days(self) -> Option<(Date, Date)> {
        let (from, to) = (self.start?.last_day(), self.end?.first_day());
        (from <= to).then_some((from, to))
    }
}

impl FromStr for Period {
    type Err = Error;

    /// Parses `FROM..TO`, either side possibly empty: `2025..2030`,
    /// `2017-07..`, `..2030`, `..`.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::Period;
    ///
    /// let p: Period = "2029..2030-06".parse()?;
    /// assert_eq!(p.end().map(|d| d.to_string()).as_deref(), Some("2030-06"));
    /// assert!("2030..2029".parse::<Period>().is_err());
    /// assert!("2029-2030".parse::<Period>().is_err());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Period, Error> {
        let (start, end) = s.split_once("..").ok_or_else(|| {
            Error::new(
                Rule::InvalidDate,
                format!(
                    "invalid period `{}`: expected FROM..TO, e.g. 2025..2030",
                    shorten(s)
                ),
            )
        })?;
        let side = |t: &str| -> Result<Option<Date>, Error> {
            let t = t.trim();
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse().map(Some)
            }
        };
        Period::new(side(start)?, side(end)?)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.start {
            write!(f, "{s}")?;
        }
        f.write_str("..")?;
        if let Some(e) = self.end {
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn dates_in_other_common_forms_get_a_suggestion() {
        let message = |s: &str| {
            s.parse::<Date>().unwrap_err().problems()[0]
                .message()
                .to_owned()
        };
        for (text, better) in [
            ("23/05/2025", "2025-05-23"),
            ("2025-5-23", "2025-05-23"),
            ("2025/05/23", "2025-05-23"),
            ("23.5.2025", "2025-05-23"),
            ("5/2025", "2025-05"),
            ("2030/12", "2030-12"),
        ] {
            assert!(
                message(text).ends_with(&format!("did you mean {better}?")),
                "{text}: {}",
                message(text)
            );
        }
        // No suggestion for what is no date, or a date that does not exist.
        for text in ["soon", "31/02/2025", "2025-13-01", "1/2/3"] {
            assert!(!message(text).contains("did you mean"), "{text}");
        }
    }

    #[test]
    fn parses_and_prints_each_precision() {
        for (text, precision) in [
            ("2025", Precision::Year),
            ("2025-05", Precision::Month),
            ("2025-05-23", Precision::Day),
            ("0000", Precision::Year),
            ("9999-12-31", Precision::Day),
        ] {
            let date = d(text);
            assert_eq!(date.precision(), precision);
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for bad in [
            "2025-02-30",
            "2023-02-29",
            "2025-13",
            "2025-00",
            "2025-00-01",
            "2025-04-31",
            "2025-05-00",
            "25",
            "2025-5",
            "2025-05-1",
            "20255",
            "-2025",
            "2025-",
            "2025-05-23-1",
            "2025/05",
            "",
            "٢٠٢٥",
            "+202",
        ] {
            let err = bad.parse::<Date>().unwrap_err();
            assert_eq!(err.problems()[0].rule(), Rule::InvalidDate, "{bad}");
        }
        assert_eq!(
            "2025-02-30".parse::<Date>().unwrap_err().to_string(),
            "invalid date `2025-02-30`: no such day in that month"
        );
    }

    #[test]
    fn day_numbers_agree_with_jiff() {
        let epoch = jiff::civil::date(1970, 1, 1);
        for year in (0..=9999).step_by(7).chain([1900, 2000, 2024, 2025]) {
            for (month, day) in [(1, 1), (2, 28), (3, 1), (12, 31), (6, 15)] {
                let ours = Date::from_ymd(year, month, day).unwrap().days();
                let jiffs = jiff::civil::Date::new(year, month as i8, day as i8).unwrap();
                let theirs = jiffs.since((jiff::Unit::Day, epoch)).unwrap().get_days();
                assert_eq!(ours, theirs, "{year}-{month}-{day}");
            }
        }
        assert_eq!(d("2025").days(), d("2025-01-01").days());
        assert_eq!(d("2025").last_day().days(), d("2025-12-31").days());
    }

    #[test]
    fn day_numbers_and_spans_give_back_their_dates() {
        for year in (0..=9999).step_by(3).chain([1900, 2000, 2024, 2025]) {
            let whole = Date::from_year(year).unwrap();
            let (first, last) = (whole.days(), whole.last_day().days());
            assert_eq!(Date::from_day_span(first, last), Some(whole), "{year}");
            for month in 1..=12 {
                let m = Date::from_year_month(year, month).unwrap();
                let (first, last) = (m.days(), m.last_day().days());
                assert_eq!(Date::from_day_span(first, last), Some(m), "{m}");
                for day in [1, 2, 15, 28, days_in_month(year, month)] {
                    let d = Date::from_ymd(year, month, day).unwrap();
                    assert_eq!(Date::from_days(d.days()), Some(d), "{d}");
                    assert_eq!(Date::from_day_span(d.days(), d.days()), Some(d), "{d}");
                }
            }
        }
        // Spans that are no date's.
        let (first, last) = (d("2025-03-02").days(), d("2025-03-31").days());
        assert_eq!(Date::from_day_span(first, last), None);
        assert_eq!(Date::from_day_span(first, first + 365), None);
        assert_eq!(Date::from_days(d("9999-12-31").days() + 1), None);
        assert_eq!(Date::from_days(d("0000-01-01").days() - 1), None);
    }

    #[test]
    fn the_next_day_is_one_day_number_on() {
        for text in [
            "2024-02-28",
            "2024-02-29",
            "2023-02-28",
            "2025-12-31",
            "2025-01-31",
            "2025-04-30",
            "2025",
        ] {
            let day = d(text);
            assert_eq!(day.next_day().unwrap().days(), day.days() + 1, "{text}");
        }
        assert_eq!(d("9999-12-31").next_day(), None);
    }

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!("1900-02-29".parse::<Date>().is_err());
        assert_eq!(d("1900-02").last_day(), d("1900-02-28"));
    }

    #[test]
    fn partial_dates_have_first_and_last_days() {
        assert_eq!(d("2025").first_day(), d("2025-01-01"));
        assert_eq!(d("2025").last_day(), d("2025-12-31"));
        assert_eq!(d("2025-04").last_day(), d("2025-04-30"));
        assert_eq!(d("2025-04-07").last_day(), d("2025-04-07"));
    }

    #[test]
    fn coarse_dates_sort_before_the_days_they_contain() {
        let mut dates = [
            d("2025-02"),
            d("2025-01-01"),
            d("2025"),
            d("2024-12-31"),
            d("2025-01"),
        ];
        dates.sort();
        let printed: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            ["2024-12-31", "2025", "2025-01", "2025-01-01", "2025-02"]
        );
    }

    #[test]
    fn overlap_uses_first_and_last_days() {
        assert!(d("2025").overlaps(d("2025-05-23")));
        assert!(!d("2025-04").overlaps(d("2025-05-01")));
    }

    #[test]
    fn periods_reject_only_impossible_orders() {
        assert!(Period::new(Some(d("2025-05")), Some(d("2025"))).is_ok());
        assert!(Period::new(Some(d("2025")), Some(d("2025-01-01"))).is_ok());
        assert!(Period::new(Some(d("2025-05-24")), Some(d("2025-05-23"))).is_err());
        assert!(Period::new(None, Some(d("2025"))).is_ok());
        assert_eq!(Period::UNKNOWN.to_string(), "..");
    }
}
