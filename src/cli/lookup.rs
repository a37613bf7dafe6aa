//! `qprm kpi`: indicator tables and one indicator's series.

use super::Ctx;
use super::spc_text;
use super::table::Width::{Text, Upto, Whole};
use super::table::{Cell, Layout, Table};
use crate::domain::rag::sparkline;
use crate::domain::sanitize::clean;
use crate::domain::spc::{SpecialCause, Variation};
use crate::domain::{Period, Rag};
use crate::error::{Error, Result};
use crate::store::{KpiRow, KpiSeries};

pub fn rag_colour(rag: Rag) -> Option<&'static str> {
    match rag {
        Rag::Green => Some("32"),
        Rag::Amber => Some("33"),
        Rag::Red => Some("1;31"),
        Rag::None => None,
    }
}

fn fmt(row: &KpiRow, v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| row.unit.format(v))
}

/// `kpi CODE --rebase P` / `--no-rebase P`: periods where the process changed.
#[derive(Debug, Default)]
pub struct Rebase {
    pub on: Option<String>,
    pub off: Option<String>,
}

pub fn kpi(
    ctx: &mut Ctx<'_>,
    code: Option<String>,
    service: Option<String>,
    period: Option<String>,
    json: bool,
    rebase: Rebase,
) -> Result<()> {
    let period: Option<Period> =
        period.map(|p| p.parse().map_err(|e| Error::invalid(format!("--period: {e}")))).transpose()?;
    let parse = |flag: &str, p: Option<String>| -> Result<Option<Period>> {
        p.map(|p| p.parse().map_err(|e| Error::invalid(format!("{flag}: {e}")))).transpose()
    };
    let (on, off) = (parse("--rebase", rebase.on)?, parse("--no-rebase", rebase.off)?);
    if (on.is_some() || off.is_some()) && code.is_none() {
        return Err(Error::invalid("--rebase and --no-rebase need an indicator: qprm kpi CODE --rebase YYYY-MM"));
    }
    let store = if on.is_some() || off.is_some() {
        let mut store = ctx.open_existing_for_writing()?;
        let code = code.as_deref().unwrap_or_default();
        // Check both before changing either: bad input changes nothing.
        let _ = store.kpi_series(code)?;
        if let (Some(a), Some(b)) = (on, off)
            && a == b
        {
            return Err(Error::invalid(format!("--rebase {a} and --no-rebase {b}: give one or the other")));
        }
        if let Some(p) = off {
            let (c, _) = store.set_rebase(code, p, false)?;
            eprintln!("{}", clean(&format!("{c}: rebase at {p} taken out; limits computed across it")));
        }
        if let Some(p) = on {
            let (c, changed) = store.set_rebase(code, p, true)?;
            let said = if changed { "recorded" } else { "was already recorded" };
            eprintln!("{}", clean(&format!("{c}: rebase at {p} {said}; limits computed separately before and after")));
        }
        store
    } else {
        ctx.open_existing()?
    };
    if let Some(code) = code {
        let s = store.kpi_series(&code)?;
        if json {
            return ctx.json(&s);
        }
        let r = &s.latest;
        ctx.line(clean(&format!("{}  {}", r.code, r.name)))?;
        ctx.line(clean(&format!(
            "service {} · {} · {} · baseline {} · target {}{}",
            r.service.as_deref().unwrap_or("—"),
            r.unit,
            r.polarity,
            fmt(r, r.baseline),
            fmt(r, r.target),
            match (r.england, r.statistical_neighbours) {
                (None, None) => String::new(),
                (e, n) => format!(" · England {} · neighbours {}", fmt(r, e), fmt(r, n)),
            }
        )))?;
        let values: Vec<f64> = s.series.iter().map(|p| p.value).collect();
        if !values.is_empty() {
            ctx.line(format!("trend {}  ({} months)", sparkline(&values), values.len()))?;
        }
        spc_lines(ctx, &s)?;
        let scale = spc_text::Scale::of(&s);
        let charted = !s.spc.segments.is_empty();
        let mut columns =
            vec![("period", Whole), ("value", Whole), ("RAG", Whole), ("direction", Whole), ("SPC", Whole)];
        if charted {
            columns.push(("chart", Whole));
        }
        columns.push(("note", Text));
        let mut t = Table::new(&columns);
        for p in &s.series {
            let mut cells: Vec<Cell> = vec![
                p.period.as_str().into(),
                r.unit.format(p.value).into(),
                Cell::coloured(p.rag.label(), rag_colour(p.rag)),
                p.direction.arrow().into(),
                match p.special_cause {
                    Some(SpecialCause::Improvement) => "+ improvement",
                    Some(SpecialCause::Concern) => "! concern",
                    None => "",
                }
                .into(),
            ];
            if charted {
                let seg = spc_text::segment_for(&s, &p.period);
                cells.push(spc_text::strip(&scale, p.value, seg, r.target, p.special_cause).into());
            }
            cells.push(p.note.as_deref().unwrap_or("").into());
            t.row(cells);
        }
        if t.is_empty() {
            return ctx.line("no values recorded yet");
        }
        return ctx.table(&t);
    }
    let rows = store.kpi_rows(service.as_deref(), period)?;
    if json {
        return ctx.json(&rows);
    }
    if rows.is_empty() {
        return ctx.line("no indicators: import a pack first");
    }
    // Asked for one service, a terminal has no room to repeat its id on
    // every row; piped, every column stays, for scripts.
    let show_service = service.is_none() || ctx.layout == Layout::Lines;
    let mut columns = vec![
        ("code", Whole),
        ("indicator", Text),
        ("service", Upto(20)),
        ("period", Whole),
        ("value", Whole),
        ("baseline", Whole),
        ("target", Whole),
        ("RAG", Whole),
        ("direction", Whole),
    ];
    if !show_service {
        columns.remove(2);
    }
    let mut t = Table::new(&columns);
    let mut counts = [0usize; 4];
    for r in &rows {
        counts[r.rag as usize] += 1;
        let mut cells = vec![
            r.code.as_str().into(),
            r.name.as_str().into(),
            r.service.as_deref().unwrap_or("—").into(),
            r.period.as_deref().unwrap_or("—").into(),
            fmt(r, r.value).into(),
            fmt(r, r.baseline).into(),
            fmt(r, r.target).into(),
            Cell::coloured(r.rag.label(), rag_colour(r.rag)),
            r.direction.arrow().into(),
        ];
        if !show_service {
            cells.remove(2);
        }
        t.row(cells);
    }
    ctx.table(&t)?;
    ctx.line(format!(
        "{} red, {} amber, {} green, {} without target or value",
        counts[2], counts[1], counts[0], counts[3]
    ))?;
    let concerns = rows.iter().filter(|r| r.variation == Variation::SpecialCauseConcern).count();
    let better = rows.iter().filter(|r| r.variation == Variation::SpecialCauseImprovement).count();
    ctx.line(format!("special cause (SPC): {concerns} concern, {better} improvement; see qprm kpi CODE, or --json"))
}

/// The chart's summary above the table: limits, variation, assurance,
/// rebases, and the key to the chart column.
fn spc_lines(ctx: &mut Ctx<'_>, s: &KpiSeries) -> Result<()> {
    let r = &s.latest;
    let on_record =
        if s.spc.rebase.is_empty() { String::new() } else { format!(" · rebase {}", s.spc.rebase.join(", ")) };
    let Some(mean) = s.spc.mean else {
        return ctx.line(format!("SPC: no chart yet ({} of the 12 months needed){on_record}", s.series.len()));
    };
    let (lo, hi) = (s.spc.lower_limit.unwrap_or(mean), s.spc.upper_limit.unwrap_or(mean));
    let applied: Vec<&str> = s.spc.segments.iter().skip(1).map(|g| g.from.as_str()).collect();
    ctx.line(format!(
        "SPC: mean {} · process limits {} to {}{}",
        r.unit.format(mean),
        r.unit.format(lo),
        r.unit.format(hi),
        if applied.is_empty() { String::new() } else { format!(" (since the rebase at {})", applied.join(", ")) },
    ))?;
    ctx.line(format!("variation: {} · assurance: {}", s.spc.variation.words(), s.spc.assurance.words()))?;
    if !on_record.is_empty() {
        let waiting: Vec<&str> =
            s.spc.rebase.iter().map(String::as_str).filter(|p| !applied.iter().any(|a| a >= p)).collect();
        ctx.line(format!(
            "rebase on record: {}{}",
            s.spc.rebase.join(", "),
            if waiting.is_empty() {
                String::new()
            } else {
                format!(" ({} waiting: 12 months are needed on each side)", waiting.join(", "))
            }
        ))?;
    }
    ctx.line(
        "chart: | process limits  : mean  t target  o value  + special cause, improvement  ! special cause, concern",
    )
}

pub fn search(ctx: &mut Ctx<'_>, text: &str, limit: u32, json: bool) -> Result<()> {
    if crate::store::fts_query(text).is_none() {
        return Err(Error::invalid("give some words to search for, e.g. qprm search supervision"));
    }
    let store = ctx.open_existing()?;
    let found = store.search_ranked(text, limit.clamp(1, 1000))?;
    if json {
        /// A hit as `--json` writes it: `more` says matches exist beyond
        /// these rows, so the output stays an array of hits.
        #[derive(serde::Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            hit: &'a crate::store::SearchHit,
            more: bool,
        }
        let more = found.more();
        let rows: Vec<Row<'_>> = found.hits.iter().map(|hit| Row { hit, more }).collect();
        return ctx.json(&rows);
    }
    if found.hits.is_empty() {
        return ctx.line(format!("nothing found for '{}'", clean(text)));
    }
    let mut t = Table::new(&[("kind", Whole), ("ref", Whole), ("where", Upto(40)), ("match", Text)]);
    for h in &found.hits {
        let place = match (&h.meeting_date, &h.period) {
            (Some(d), _) => format!("meeting {d}"),
            (None, Some(p)) => p.clone(),
            _ => String::new(),
        };
        let place = [h.service.clone().unwrap_or_default(), place]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let title = if h.title.is_empty() { String::new() } else { format!("{}: ", h.title) };
        t.row(vec![
            h.kind.as_str().into(),
            h.reference.as_str().into(),
            place.into(),
            format!("{title}{}", h.snippet).into(),
        ]);
    }
    ctx.table(&t)?;
    if let Some(line) = more_words(&found) {
        ctx.line(line)?;
    }
    Ok(())
}

/// What a search left out, in words, or nothing when every match is shown.
fn more_words(found: &crate::store::SearchResults) -> Option<String> {
    let shown = found.hits.len();
    if found.beyond {
        Some(format!(
            "More matches exist: only the newest {} were ranked, and these are the best {shown}; add words to narrow the search.",
            found.ranked
        ))
    } else if found.more() {
        Some(format!("{shown} of {} matches shown; more exist (--limit N shows more).", found.ranked))
    } else {
        None
    }
}
