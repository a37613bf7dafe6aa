//! `qprm import` and `qprm validate`: every pack is checked before anything
//! is written, so a bad pack anywhere in the list means nothing changes (and
//! no database file is created).

use super::Ctx;
use crate::domain::Period;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::pack::{Known, ValidPack, is_values_csv, load_any};
use crate::store::{ImportOptions, ImportSummary, Store};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Validates all files against the database (if it exists) and each other.
fn check_all(
    ctx: &Ctx<'_>,
    files: &[PathBuf],
    verb: Verb,
    period: Option<&str>,
) -> Result<(Vec<ValidPack>, Option<Store>)> {
    let period = csv_period(files, period)?;
    let path = ctx.db_path()?;
    let store = if path.exists() { Some(ctx.timed(Store::open(&path, "import")?)) } else { None };
    let mut known = match &store {
        Some(s) => s.known()?,
        None => Known::default(),
    };
    let mut packs = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match load_any(file, &known, period) {
            Ok(pack) => {
                known.absorb(&pack);
                packs.push(pack);
            }
            Err(mut errs) => problems.append(&mut errs),
        }
    }
    if !problems.is_empty() {
        let n = files.len();
        let done = match verb {
            Verb::Import => "nothing was imported: ",
            Verb::Validate => "",
        };
        problems.push(format!("{done}fix the problems above ({} of {n} file(s) invalid)", n - packs.len()));
        return Err(Error::Pack(problems));
    }
    Ok((packs, store))
}

/// Every check `import` makes, then import's own comparison with what is
/// stored, run and rolled back: "ok" means `import` (with the same
/// `--replace`) would succeed. Without a database there is nothing stored
/// to compare with, and the output says so.
pub fn validate(ctx: &mut Ctx<'_>, files: &[PathBuf], replace: bool, period: Option<&str>) -> Result<()> {
    let (packs, store) = check_all(ctx, files, Verb::Validate, period)?;
    let summaries = match store {
        Some(mut store) => Some(
            store
                .import_packs(&packs, ImportOptions { replace, dry_run: true })
                .map_err(|e| word(e, Verb::Validate))?,
        ),
        None => None,
    };
    for (i, p) in packs.iter().enumerate() {
        let values: usize = p.services.iter().map(|s| s.data.len()).sum();
        let against = match summaries.as_ref().and_then(|s| s.get(i)) {
            Some(s) => {
                format!(
                    " (against the database: {} new, {} to replace, {} unchanged)",
                    s.added.len(),
                    s.changed.len(),
                    s.unchanged
                )
            }
            None => String::new(),
        };
        ctx.line(clean(&format!(
            "ok  {} ({}): {} indicators, {} services, {} values, {} actions{against}",
            p.file,
            p.period,
            p.indicators.len(),
            p.services.len(),
            values,
            p.actions.len()
        )))?;
    }
    if summaries.is_none() {
        let path = clean(&ctx.db_path()?.display().to_string());
        ctx.line(format!("no database at {path} yet: the packs were checked alone, not against stored values"))?;
    }
    Ok(())
}

pub fn import(ctx: &mut Ctx<'_>, files: &[PathBuf], replace: bool, period: Option<&str>) -> Result<()> {
    let (packs, store) = check_all(ctx, files, Verb::Import, period)?;
    let mut store = match store {
        Some(s) => s,
        None => ctx.open("import")?,
    };
    let summaries =
        store.import_packs(&packs, ImportOptions { replace, dry_run: false }).map_err(|e| word(e, Verb::Import))?;
    for s in &summaries {
        print_summary(ctx, s)?;
    }
    Ok(())
}

/// `--period`, which only a values CSV takes (the others name their own).
fn csv_period(files: &[PathBuf], period: Option<&str>) -> Result<Option<Period>> {
    let Some(p) = period else { return Ok(None) };
    if !files.iter().any(|f| is_values_csv(f)) {
        return Err(Error::invalid(
            "--period is for values CSVs (service,indicator,value,note); workbooks and JSON packs name their own period",
        ));
    }
    p.parse().map(Some).map_err(|e: String| Error::invalid(format!("--period: {e}")))
}

#[derive(Clone, Copy)]
enum Verb {
    Import,
    Validate,
}

/// The store's typed conflicts in the CLI's words: the same lines for
/// `import` and `validate`, then what the command did and the flag that
/// would accept the changes.
fn word(e: Error, verb: Verb) -> Error {
    const SHOWN: usize = 20;
    let Error::ImportConflicts(list) = e else { return e };
    let total = list.len();
    let mut lines: Vec<String> = list
        .iter()
        .take(SHOWN)
        .map(|c| clean(&format!("{}: {}: stored {}, pack has {}", c.file, c.item, c.stored, c.incoming)))
        .collect();
    if total > SHOWN {
        lines.push(format!("… and {} more differences", total - SHOWN));
    }
    lines.push(match verb {
        Verb::Import => format!(
            "{total} stored value(s) differ from the pack; nothing was imported. Re-run with --replace to overwrite them (the old values are kept in history)."
        ),
        Verb::Validate => format!(
            "{total} stored value(s) differ from the pack: `qprm import` would refuse it; `qprm import --replace` would accept it and keep the old values in history."
        ),
    });
    Error::Pack(lines)
}

/// "2023-05.json (2023-05): added 42 indicators, 7 services; changed 1 value; 3 unchanged"
fn print_summary(ctx: &mut Ctx<'_>, s: &ImportSummary) -> Result<()> {
    let group = |keys: &[String]| -> String {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for k in keys {
            *kinds.entry(k.split(' ').next().unwrap_or("item")).or_default() += 1;
        }
        kinds.iter().map(|(k, n)| format!("{n} {}", plural(k, *n))).collect::<Vec<_>>().join(", ")
    };
    let mut parts = Vec::new();
    if !s.added.is_empty() {
        parts.push(format!("added {}", group(&s.added)));
    }
    if !s.changed.is_empty() {
        parts.push(format!("replaced {} ({})", group(&s.changed), s.changed.join("; ")));
    }
    if s.unchanged > 0 {
        parts.push(format!("{} unchanged", s.unchanged));
    }
    if parts.is_empty() {
        parts.push("nothing in it".into());
    }
    ctx.line(clean(&format!("{} ({}): {}", s.file, s.period, parts.join("; "))))
}

fn plural(kind: &str, n: usize) -> String {
    match (kind, n) {
        (k, 1) => k.to_string(),
        ("audits" | "feedback", _) => kind.to_string(),
        (k, _) => format!("{k}s"),
    }
}
