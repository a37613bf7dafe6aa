//! `qprm pack template` and `qprm pack export`: a month's pack as a
//! workbook (or JSON) from what the database holds, for business support
//! to fill in, or to correct and import again with `--replace`.

use super::export::write_atomically;
use super::{Ctx, PackCommand};
use crate::domain::Period;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::pack::xlsx::{WorkbookKind, write_workbook};
use std::path::Path;

pub fn run(ctx: &mut Ctx<'_>, cmd: PackCommand) -> Result<()> {
    match cmd {
        PackCommand::Template { period, services, output } => {
            let period = period_arg(&period)?;
            if !has_extension(&output, "xlsx") {
                return Err(Error::invalid(format!(
                    "-o {}: a template is an Excel workbook: name it FILE.xlsx",
                    clean(&output.display().to_string())
                )));
            }
            // Without a database the template is empty: a council starting
            // out lists its services in Read me and its indicators in Data.
            let (pack, defs, previous) = if ctx.db_path()?.exists() {
                let store = ctx.open_existing()?;
                (store.stored_pack(period, &services)?, store.indicator_defs()?, store.values_before(period)?)
            } else if services.is_empty() {
                (empty_pack(period), Vec::new(), Default::default())
            } else {
                return Err(Error::invalid("no database yet, so no services to choose: leave out --service"));
            };
            let bytes = write_workbook(&pack, &defs, &previous, WorkbookKind::Template)
                .map_err(|e| Error::invalid(format!("writing the workbook: {e}")))?;
            write_atomically(&output, &bytes)?;
            let rows = defs
                .iter()
                .filter(|d| d.service.as_ref().is_some_and(|s| pack.services.iter().any(|p| p.id == *s)))
                .count();
            eprintln!(
                "{}",
                clean(&format!(
                    "template for {period} written to {}: {} service(s), {rows} indicator row(s) to fill in",
                    output.display(),
                    pack.services.len()
                ))
            );
            Ok(())
        }
        PackCommand::Export { period, services, format, output } => {
            let period = period_arg(&period)?;
            let format = match (format.as_deref(), &output) {
                (Some(f @ ("xlsx" | "json")), _) => f.to_string(),
                (Some(f), _) => {
                    return Err(Error::invalid(format!("--format: '{}' is not one of xlsx, json", clean(f))));
                }
                (None, Some(o)) if has_extension(o, "json") => "json".into(),
                (None, _) => "xlsx".into(),
            };
            if format == "xlsx" && output.is_none() && ctx.terminal {
                return Err(Error::invalid(
                    "an XLSX file is binary and would garble the terminal: use -o FILE.xlsx, or --format json",
                ));
            }
            let store = ctx.open_existing()?;
            let mut pack = store.stored_pack(period, &services)?;
            // Services with nothing stored for the month are left out of
            // an export (a template lists them all).
            pack.services
                .retain(|s| !s.data.is_empty() || s.audits.is_some() || !s.feedback.is_empty() || !services.is_empty());
            let bytes = match format.as_str() {
                "json" => crate::pack::pack_json(&pack).into_bytes(),
                _ => {
                    write_workbook(&pack, &store.indicator_defs()?, &store.values_before(period)?, WorkbookKind::Export)
                        .map_err(|e| Error::invalid(format!("writing the workbook: {e}")))?
                }
            };
            let values: usize = pack.services.iter().map(|s| s.data.len()).sum();
            match output {
                Some(path) => {
                    write_atomically(&path, &bytes)?;
                    eprintln!(
                        "{}",
                        clean(&format!(
                            "{period} exported to {}: {} service(s), {values} value(s), {} action(s)",
                            path.display(),
                            pack.services.len(),
                            pack.actions.len()
                        ))
                    );
                    Ok(())
                }
                None if ctx.terminal => ctx.out.write_all(clean_json(&bytes).as_bytes()).map_err(super::write_err),
                None => ctx.out.write_all(&bytes).map_err(super::write_err),
            }
        }
    }
}

/// JSON on a terminal keeps its own line breaks but no control
/// characters from data (JSON escapes them already; this is the guard).
fn clean_json(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).lines().map(clean).collect::<Vec<_>>().join("\n") + "\n"
}

fn empty_pack(period: Period) -> crate::pack::ValidPack {
    crate::pack::ValidPack {
        file: String::new(),
        period,
        organisation: None,
        good_or_better_target: None,
        family_feedback_target: None,
        indicators: Vec::new(),
        services: Vec::new(),
        actions: Vec::new(),
    }
}

fn period_arg(p: &str) -> Result<Period> {
    p.parse().map_err(|e: String| Error::invalid(format!("--period: {e}")))
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}
