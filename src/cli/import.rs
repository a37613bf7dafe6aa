//! `qprm import` and `qprm validate`: every pack is checked before anything
//! is written, so a bad pack anywhere in the list means nothing changes (and
//! no database file is created).

use super::Ctx;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::pack::{Known, ValidPack, load_file};
use crate::store::{ImportOptions, ImportSummary, Store};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Validates all files against the database (if it exists) and each other.
fn check_all(ctx: &Ctx<'_>, files: &[PathBuf]) -> Result<(Vec<ValidPack>, Option<Store>)> {
    let path = ctx.db_path()?;
    let store = if path.exists() { Some(Store::open(&path, "import")?) } else { None };
    let mut known = match &store {
        Some(s) => s.known()?,
        None => Known::default(),
    };
    let mut packs = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match load_file(file, &known) {
            Ok(pack) => {
                known.absorb(&pack);
                packs.push(pack);
            }
            Err(mut errs) => problems.append(&mut errs),
        }
    }
    if !problems.is_empty() {
        let n = files.len();
        problems
            .push(format!("nothing was imported: fix the problems above ({} of {n} file(s) invalid)", n - packs.len()));
        return Err(Error::Pack(problems));
    }
    Ok((packs, store))
}

pub fn validate(ctx: &mut Ctx<'_>, files: &[PathBuf]) -> Result<()> {
    let (packs, _) = check_all(ctx, files)?;
    for p in &packs {
        let values: usize = p.services.iter().map(|s| s.data.len()).sum();
        ctx.line(clean(&format!(
            "ok  {} ({}): {} indicators, {} services, {} values, {} actions",
            p.file,
            p.period,
            p.indicators.len(),
            p.services.len(),
            values,
            p.actions.len()
        )))?;
    }
    Ok(())
}

pub fn import(ctx: &mut Ctx<'_>, files: &[PathBuf], replace: bool) -> Result<()> {
    let (packs, store) = check_all(ctx, files)?;
    let mut store = match store {
        Some(s) => s,
        None => ctx.open("import")?,
    };
    let summaries = store.import_packs(&packs, ImportOptions { replace, dry_run: false })?;
    for s in &summaries {
        print_summary(ctx, s)?;
    }
    Ok(())
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
