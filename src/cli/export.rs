//! Report commands: `qprm export actions` (the action log as CSV, XLSX or
//! JSON) and `qprm minutes` (Markdown, HTML or JSON), to a file or standard
//! output. A file is written to a temporary name and renamed into place, so
//! a failed run never leaves half a document behind.

use super::{Ctx, ExportCommand, JsonStream, parse_status_filter};
use crate::domain::StatusFilter;
use crate::domain::dates::parse_due;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::report::export::{CsvWriter, XlsxWriter};
use crate::store::ActionFilter;
use std::io::Write;
use std::path::Path;

pub fn run(ctx: &mut Ctx<'_>, cmd: ExportCommand) -> Result<()> {
    let ExportCommand::Actions { format, output, owner, service, status, due_before } = cmd;
    if !["csv", "xlsx", "json"].contains(&format.as_str()) {
        return Err(Error::invalid(format!("--format: '{}' is not one of csv, xlsx, json", clean(&format))));
    }
    let status = match status {
        None => StatusFilter::All,
        s => parse_status_filter(s.as_deref())?,
    };
    let due_before = due_before
        .as_deref()
        .map(|d| parse_due(d, ctx.today).map_err(|e| Error::invalid(format!("--due-before: {e}"))))
        .transpose()?;
    let store = ctx.open_existing()?;
    if let Some(s) = &service {
        store.require_service(s)?;
    }
    let filter = ActionFilter { owner, service, status, due_before, ..ActionFilter::all(ctx.today) };
    if format == "xlsx" && output.is_none() && ctx.terminal {
        return Err(Error::invalid(
            "an XLSX file is binary and would garble the terminal: use -o FILE (e.g. -o actions.xlsx), or redirect standard output",
        ));
    }
    // On a terminal, every cell is sanitised: data's escape sequences would
    // otherwise set the window title or write the clipboard (OSC 52).
    let for_terminal = output.is_none() && ctx.terminal;
    let mut buffer: Vec<u8> = Vec::new();
    let sink: &mut dyn Write = if output.is_some() { &mut buffer } else { &mut *ctx.out };
    let n = match format.as_str() {
        "csv" => {
            let mut w = if for_terminal { CsvWriter::for_terminal(sink)? } else { CsvWriter::new(sink)? };
            let n = store.for_each_export_row(&filter, |r| w.row(&r))?;
            w.finish()?;
            n
        }
        "xlsx" => {
            let mut w = XlsxWriter::new()?;
            let n = store.for_each_export_row(&filter, |r| w.row(&r))?;
            sink.write_all(&w.finish()?).map_err(|e| Error::io("writing the spreadsheet", e))?;
            n
        }
        _ => {
            let mut stream = JsonStream::begin(sink)?;
            let n = store.for_each_export_row(&filter, |r| stream.item(&r))?;
            stream.end()?;
            n
        }
    };
    if let Some(path) = output {
        write_atomically(&path, &buffer)?;
        eprintln!("{}", clean(&format!("exported {n} action(s) to {}", path.display())));
    }
    Ok(())
}

pub fn minutes(ctx: &mut Ctx<'_>, meeting: &str, format: &str, output: Option<std::path::PathBuf>) -> Result<()> {
    use crate::report::minutes::{HtmlWriter, JsonWriter, MarkdownWriter};
    if !["md", "html", "json"].contains(&format) {
        return Err(Error::invalid(format!("--format: '{}' is not one of md, html, json", clean(format))));
    }
    let store = ctx.open_existing()?;
    let m = store.find_meeting(meeting)?;
    // Written as the store reads it: to standard output directly, to a file
    // through a temporary file renamed into place once complete.
    let mut file = match &output {
        Some(path) => Some(Temporary::beside(path)?),
        None => None,
    };
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, &mut *ctx.out);
    let dest: &mut dyn Write = match &mut file {
        Some(f) => &mut f.writer,
        None => &mut stdout,
    };
    match format {
        "md" => store.write_minutes(m.id, &mut MarkdownWriter::new(dest))?,
        "html" => store.write_minutes(m.id, &mut HtmlWriter::new(dest))?,
        _ => store.write_minutes(m.id, &mut JsonWriter::new(dest))?,
    }
    stdout.flush().map_err(super::write_err)?;
    if let (Some(f), Some(path)) = (file, output) {
        f.persist(&path)?;
        eprintln!("{}", clean(&format!("minutes of meeting {} ({}) written to {}", m.id, m.date, path.display())));
    }
    Ok(())
}

/// A file being written beside its final name, renamed into place once
/// complete: a failed run never leaves half a document behind.
struct Temporary {
    writer: std::io::BufWriter<tempfile::NamedTempFile>,
    label: String,
}

impl Temporary {
    fn beside(path: &Path) -> Result<Temporary> {
        let label = clean(&path.display().to_string());
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| Error::io(format!("{label}: cannot write beside it"), e))?;
        Ok(Temporary { writer: std::io::BufWriter::with_capacity(64 * 1024, tmp), label })
    }

    fn persist(self, path: &Path) -> Result<()> {
        let label = self.label;
        let tmp = self.writer.into_inner().map_err(|e| Error::io(format!("{label}: writing"), e.into_error()))?;
        tmp.persist(path).map_err(|e| Error::io(format!("{label}: saving"), e.error))?;
        Ok(())
    }
}

pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let label = clean(&path.display().to_string());
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(format!("{label}: cannot write beside it"), e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(format!("{label}: writing"), e))?;
    tmp.persist(path).map_err(|e| Error::io(format!("{label}: saving"), e.error))?;
    Ok(())
}
