//! `qprm demo` (a temporary database loaded with the bundled sample packs)
//! and bare `qprm` (the latest meeting). Both show the meeting's agenda
//! overview; the packs are compiled in so the demo works from any folder.

use super::Ctx;
use super::table::Width::{Text, Upto, Whole};
use super::table::{Cell, Table};
use crate::domain::rag::format_number;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::samples::load_samples;
use crate::store::Store;
use crate::tui::app::Mode;

/// The meeting screen needs a terminal on both ends; piped, we print the
/// agenda overview instead (useful in scripts and tests).
fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

fn screen_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn run(ctx: &mut Ctx<'_>, mode: Mode) -> Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("qprm-demo-")
        .tempdir()
        .map_err(|e| Error::io("creating the demo's temporary folder", e))?;
    let mut store = Store::open(&dir.path().join("demo.db"), "chair")?;
    let meeting = load_samples(&mut store)?;
    if interactive() {
        let opts = crate::tui::Options { colour: screen_colour(), keep_backups: None, chair_stale: chair_stale() };
        return crate::tui::run(&mut store, meeting, mode, opts);
    }
    ctx.line(format!(
        "Demo: sample packs loaded into a temporary database ({}); your own database is untouched.",
        clean(&dir.path().display().to_string())
    ))?;
    print_overview(ctx, &store, meeting)
}

pub fn open_latest(ctx: &mut Ctx<'_>, mode: Mode) -> Result<()> {
    let mut mode = mode;
    let mut store = if mode.read_only {
        Store::open_read_only(&ctx.db_path()?, "read-only", false)?
    } else {
        // Read-only media or a file we may not write: the screen opens to
        // read, with a banner, rather than failing the meeting.
        ctx.open_existing()?
    };
    mode.read_only |= store.is_read_only();
    match store.latest_meeting()? {
        Some(m) if interactive() => {
            let keep = std::env::var("QPRM_KEEP_BACKUPS").ok().and_then(|v| v.parse().ok()).unwrap_or(crate::tui::live::KEEP_BACKUPS);
            let opts = crate::tui::Options {
                colour: screen_colour(),
                keep_backups: (keep > 0).then_some(keep),
                chair_stale: chair_stale(),
            };
            crate::tui::run(&mut store, m.id, mode, opts)
        }
        Some(m) => print_overview(ctx, &store, m.id),
        None => ctx.line("No meetings yet. Create one with `qprm meeting new --date YYYY-MM-DD --period YYYY-MM`, or try `qprm demo`."),
    }
}

pub fn print_overview(ctx: &mut Ctx<'_>, store: &Store, meeting: i64) -> Result<()> {
    let m = store.meeting(meeting)?;
    ctx.line(clean(&format!(
        "QPRM {} · reviewing {} · chair: {}",
        m.date,
        m.period,
        m.chair.as_deref().unwrap_or("—")
    )))?;
    ctx.line(clean(&format!("present: {}", m.attendees.join(", "))))?;
    if !m.apologies.is_empty() {
        ctx.line(clean(&format!("apologies: {}", m.apologies.join(", "))))?;
    }
    ctx.line("")?;
    let mut t = Table::new(&[
        ("#", Whole),
        ("service", Text),
        ("head of service", Upto(46)),
        ("KPIs ■R ▲A ●G !SPC", Whole),
        ("audits good+", Upto(16)),
        ("actions", Upto(20)),
    ]);
    for line in store.agenda_overview(meeting, ctx.today)? {
        let audits = match &line.audits {
            Some(a) => match (a.good_or_better_pct(), a.good_or_better_target) {
                (Some(p), Some(t)) => {
                    format!("{}% (target {}%)", format_number(p), format_number(t))
                }
                (Some(p), None) => format!("{}%", format_number(p)),
                _ => "—".into(),
            },
            None => "—".into(),
        };
        let overdue = if line.overdue_actions > 0 { Some("1;31") } else { None };
        t.row(vec![
            line.position.to_string().into(),
            line.service.name.as_str().into(),
            line.service.head.as_deref().unwrap_or("—").into(),
            format!("■{} ▲{} ●{} !{}", line.red, line.amber, line.green, line.spc_concern).into(),
            audits.into(),
            Cell::coloured(&format!("{} open, {} overdue", line.open_actions, line.overdue_actions), overdue),
        ]);
    }
    ctx.table(&t)
}

/// How long a silent chair keeps the chair: `QPRM_CHAIR_STALE_MS` if set
/// (tests shorten it; a meeting has no reason to), else 15 s. Below a
/// second, a chair busy for a moment would be replaced.
pub(crate) fn chair_stale() -> std::time::Duration {
    std::env::var("QPRM_CHAIR_STALE_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(crate::store::STALE, |ms| std::time::Duration::from_millis(ms.max(1000)))
}
