//! The command line: clap definitions and dispatch. Each command group lives
//! in its own file and writes to the `Write` it is given, so tests can run
//! commands in-process as well as through the binary.

mod action;
mod demo;
mod export;
mod import;
pub mod json;
mod lookup;
mod meeting;
mod pack;
mod spc_text;
pub mod table;

use crate::domain::StatusFilter;
use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "qprm",
    version,
    about = "Run the monthly Quality Performance and Review Meeting: packs, KPIs, decisions and actions",
    after_help = "Without a command, opens the meeting screen on the latest meeting.\nThe database is --db, else $QPRM_DB, else the platform data directory (…/qprm/qprm.db)."
)]
pub struct Cli {
    /// The database file
    #[arg(long, global = true, env = "QPRM_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Meeting screen: projector view (large, calm, no key clutter)
    #[arg(long, global = true)]
    pub present: bool,
    /// Meeting screen: lookups only, no edits
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Meeting screen: read-only, moving with the chair's agenda item, section, row and timer
    #[arg(long, global = true)]
    pub follow: bool,
    /// Meeting screen: take the chair even if another live instance holds it
    #[arg(long, global = true)]
    pub take_chair: bool,
    /// Meeting screen: plain ASCII glyphs for consoles without the symbols
    /// (also QPRM_ASCII=1; automatic on the Linux console and a Windows
    /// console outside Windows Terminal)
    #[arg(long, global = true)]
    pub ascii: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open a meeting on a fresh temporary database loaded with the bundled sample packs
    Demo,
    /// Validate and import meeting packs (all or nothing)
    Import {
        /// Pack workbooks (.xlsx), qprm-pack/1 JSON files and values CSVs (service,indicator,value,note), mixed freely
        #[arg(required = true, value_name = "PACK")]
        files: Vec<PathBuf>,
        /// Overwrite stored values that differ from the pack (the old values are kept in history)
        #[arg(long)]
        replace: bool,
        /// The month (YYYY-MM) of the values CSVs given; workbooks and JSON packs name their own
        #[arg(long, value_name = "YYYY-MM")]
        period: Option<String>,
    },
    /// Check packs without importing them: every check import makes, against the database
    Validate {
        #[arg(required = true, value_name = "PACK")]
        files: Vec<PathBuf>,
        /// Check as `import --replace` would: stored values that differ are accepted
        #[arg(long)]
        replace: bool,
        /// The month (YYYY-MM) of the values CSVs given
        #[arg(long, value_name = "YYYY-MM")]
        period: Option<String>,
    },
    /// Meeting-pack workbooks: a template to fill in, or a stored month to correct
    Pack {
        #[command(subcommand)]
        command: PackCommand,
    },
    /// Create and list meetings
    Meeting {
        #[command(subcommand)]
        command: MeetingCommand,
    },
    /// Record, update and show one action
    Action {
        #[command(subcommand)]
        command: ActionCommand,
    },
    /// The action log (default: open and overdue actions)
    Actions(ActionsArgs),
    /// Record a decision
    Decision {
        #[command(subcommand)]
        command: DecisionCommand,
    },
    /// The decision register
    Decisions {
        /// Meeting id or date
        #[arg(long)]
        meeting: Option<String>,
        /// A service id, as in the packs (e.g. corporate-parenting)
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        /// Meetings reviewing this period or later (YYYY-MM)
        #[arg(long)]
        from: Option<String>,
        /// Meetings reviewing this period or earlier (YYYY-MM)
        #[arg(long)]
        to: Option<String>,
        /// Words the decision contains
        #[arg(long)]
        text: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Full-text search across actions, decisions, audit findings and feedback
    Search {
        /// Words to find (each must appear; prefixes match: "supervis")
        text: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// The minutes of a meeting: attendance, per service the headline data, decisions, new and carried-forward actions
    Minutes {
        /// Meeting id or date
        meeting: String,
        /// md, html or json
        #[arg(long, default_value = "md")]
        format: String,
        /// Write to FILE instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export the action log for Excel users and Scrutiny
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Build a synthetic database of realistic shape (for benchmarks and training); never touches your own database
    Generate {
        /// The new database file to create (must not exist)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Years of monthly meetings
        #[arg(long, default_value_t = 10)]
        years: u32,
        #[arg(long, default_value_t = 10)]
        services: u32,
        #[arg(long, default_value_t = 50_000)]
        actions: u64,
    },
    /// Check the database file for damage (SQLite integrity and foreign keys)
    Check,
    /// The meeting screen over SSH for other laptops: ssh -p 2222 chair@host, minutes@, projector@, viewer@ (keys only)
    Serve {
        /// Where to listen; beyond this machine only when you say so (0.0.0.0:2222)
        #[arg(long, value_name = "ADDR:PORT", default_value = crate::serve::DEFAULT_LISTEN)]
        listen: String,
        /// OpenSSH authorized_keys file (default: the database's path + .authorized_keys)
        #[arg(long, value_name = "FILE")]
        authorized_keys: Option<PathBuf>,
        /// At most this many screens at once
        #[arg(long, value_name = "N", default_value_t = crate::serve::DEFAULT_MAX_SESSIONS)]
        max_sessions: usize,
        /// Close a screen nobody has typed in for this many seconds (0: never; projectors never)
        #[arg(long, value_name = "SECS", default_value_t = crate::serve::DEFAULT_IDLE_SECS)]
        idle_timeout: u64,
        /// Print the ssh commands (with the host key's fingerprint) to paste into an invitation, and exit
        #[arg(long)]
        print_invite: bool,
    },
    /// A consistent copy of the live database, safe while meetings are open
    Backup {
        /// Where to write the copy (must not exist)
        file: PathBuf,
    },
    /// Indicator values with baseline, target, RAG and direction of travel
    Kpi {
        /// An indicator code: show its whole series
        code: Option<String>,
        /// A service id, as in the packs (e.g. corporate-parenting)
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        /// The month to show (YYYY-MM); default: each indicator's latest value
        #[arg(long)]
        period: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// With CODE: mark a period where the process changed (a new service
        /// model); SPC limits are then computed separately before and after
        #[arg(long, value_name = "YYYY-MM", requires = "code")]
        rebase: Option<String>,
        /// With CODE: take out a rebase recorded at this period
        #[arg(long, value_name = "YYYY-MM", requires = "code")]
        no_rebase: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// A workbook for business support to fill in for a month: each service's indicators, last values for reference
    Template {
        /// The month the workbook is for (YYYY-MM)
        #[arg(long, value_name = "YYYY-MM")]
        period: String,
        /// Only these services (ids, as in the packs); default: all
        #[arg(long = "service", value_name = "ID")]
        services: Vec<String>,
        /// The workbook to write (.xlsx)
        #[arg(short = 'o', long = "output", value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// What is stored for a month, as a pack; importing it back changes nothing
    Export {
        /// The month to export (YYYY-MM)
        #[arg(long, value_name = "YYYY-MM")]
        period: String,
        /// Only these services (ids); default: all
        #[arg(long = "service", value_name = "ID")]
        services: Vec<String>,
        /// xlsx or json; default: from the output file's name, else xlsx
        #[arg(long)]
        format: Option<String>,
        /// Write to FILE instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The whole action log (every status unless filtered)
    Actions {
        /// csv (Excel-ready), xlsx or json
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to FILE instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Case-insensitive part of the owner's name
        #[arg(long)]
        owner: Option<String>,
        /// A service id, as in the packs (e.g. corporate-parenting)
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        /// open, overdue, done, dropped or all (default: all)
        #[arg(long)]
        status: Option<String>,
        /// Only actions due before this date (31/03/2024, 2024-03-31, end of march…)
        #[arg(long, value_name = "DATE")]
        due_before: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Create a meeting; prints its id
    New {
        /// The meeting's day, with its year: 14/11/2023, 14 Nov 2023 or 2023-11-14
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The reporting month it reviews
        #[arg(long, value_name = "YYYY-MM")]
        period: String,
        #[arg(long)]
        chair: Option<String>,
        /// Repeat for each attendee
        #[arg(long = "attendee")]
        attendees: Vec<String>,
        /// Repeat for each apology
        #[arg(long = "apology")]
        apologies: Vec<String>,
        /// Repeat in agenda order; default: every service
        #[arg(long = "service", value_name = "ID")]
        services: Vec<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Meetings, newest first
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Attendance as it really was: late arrivals, apologies on the day, a new chair
    Update {
        /// Meeting id or date
        meeting: String,
        /// Someone present (repeat); moves them from apologies if listed there
        #[arg(long = "attendee", value_name = "NAME")]
        attendees: Vec<String>,
        /// Someone who sent apologies (repeat); moves them from present if listed there
        #[arg(long = "apology", value_name = "NAME")]
        apologies: Vec<String>,
        /// A name recorded in error (repeat)
        #[arg(long, value_name = "NAME")]
        remove: Vec<String>,
        /// Who chaired the meeting
        #[arg(long, value_name = "NAME")]
        chair: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Record that the minutes were agreed; the meeting's record is then locked
    Approve {
        /// Meeting id or date
        meeting: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Unlock an approved meeting's record, saying why (kept in its history)
    Reopen {
        /// Meeting id or date
        meeting: String,
        /// Why the approved minutes must change
        #[arg(long, value_name = "WHY")]
        note: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Record an action; prints its reference
    Add {
        text: String,
        #[arg(long)]
        owner: String,
        /// Read day first: 31/03/2024, 31/3/24, 31 Mar 2024, 31 March (the next one),
        /// 2024-03-31, or +2w, +10d, +1m, end of march, end of month
        #[arg(long)]
        due: String,
        /// A service id, as in the packs (e.g. corporate-parenting)
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        /// Meeting id or date where it was raised
        #[arg(long)]
        meeting: Option<String>,
        /// Link to an indicator code
        #[arg(long)]
        indicator: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Change an action; the change goes to its history
    Update {
        #[arg(value_name = "REF")]
        reference: String,
        /// open, in_progress, done, dropped (dropped needs --note)
        #[arg(long)]
        status: Option<String>,
        /// A new due date, in any form `action add --due` takes
        #[arg(long)]
        due: Option<String>,
        /// Case-insensitive part of the owner's name
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// Meeting id or date in which the update was made
        #[arg(long)]
        meeting: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// One action with its full history
    Show {
        #[arg(value_name = "REF")]
        reference: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Case-insensitive part of the owner's name
    #[arg(long)]
    pub owner: Option<String>,
    /// A service id, as in the packs (e.g. corporate-parenting)
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// open (open and in progress), overdue, done, dropped or all
    #[arg(long)]
    pub status: Option<String>,
    /// Only actions due before this date (31/03/2024, 2024-03-31, end of march…)
    #[arg(long, value_name = "DATE")]
    pub due_before: Option<String>,
    /// At most this many rows
    #[arg(long)]
    pub limit: Option<u32>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DecisionCommand {
    /// Record a decision; prints its id
    Add {
        text: String,
        /// Meeting id or date
        #[arg(long)]
        meeting: String,
        /// A service id, as in the packs (e.g. corporate-parenting)
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// What every command needs besides its arguments.
pub struct Ctx<'a> {
    pub out: &'a mut dyn Write,
    pub colour: bool,
    /// How tables are laid out: fitted to the terminal, or a line a row.
    pub layout: table::Layout,
    /// Standard output is a terminal: text formats are sanitised for it
    /// and binary ones refused (set by the binary's edge, so tests can say).
    pub terminal: bool,
    pub today: NaiveDate,
    /// The moment this command runs, for what it records (read once here,
    /// so the store never reads the clock for it).
    pub now: chrono::DateTime<chrono::Utc>,
    db: Option<PathBuf>,
}

impl<'a> Ctx<'a> {
    pub fn new(out: &'a mut dyn Write, db: Option<PathBuf>, colour: bool) -> Self {
        let layout = table::Layout::for_stdout();
        let clock = Clock::fixed_now();
        Ctx { out, colour, layout, terminal: false, today: clock.today(), now: clock.now(), db }
    }

    /// The command's one moment, for the stores it opens: what they record
    /// and how they judge overdue agree with what it prints.
    pub fn clock(&self) -> Clock {
        Clock::Fixed { now: self.now, today: self.today }
    }

    /// `store`, set to record by this command's clock.
    pub fn timed(&self, mut store: Store) -> Store {
        store.set_clock(self.clock());
        store
    }

    /// Says whether `out` is a terminal (see `terminal`).
    pub fn on_terminal(mut self, terminal: bool) -> Self {
        self.terminal = terminal;
        self
    }

    /// Prints a table laid out for where stdout goes.
    pub fn table(&mut self, t: &table::Table) -> Result<()> {
        t.print(self.out, self.colour, self.layout).map_err(write_err)
    }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    pub fn stdout_colour() -> bool {
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    pub fn db_path(&self) -> Result<PathBuf> {
        if let Some(p) = &self.db {
            return Ok(p.clone());
        }
        let dir = dirs::data_dir()
            .ok_or_else(|| Error::invalid("cannot find a data directory for the database; pass --db PATH"))?;
        Ok(dir.join("qprm").join("qprm.db"))
    }

    pub fn open(&self, actor: &str) -> Result<Store> {
        Store::open(&self.db_path()?, actor).map(|s| self.timed(s))
    }

    /// The database path, if a database is there (lookups never create one).
    fn existing_path(&self) -> Result<PathBuf> {
        let path = self.db_path()?;
        if !path.exists() {
            return Err(Error::invalid(format!(
                "no database at {}: import packs first (`qprm import PACK.json`) or pass --db",
                crate::domain::sanitize::clean(&path.display().to_string())
            )));
        }
        Ok(path)
    }

    /// For lookups: falls back to reading when the file cannot be written.
    pub fn open_existing(&self) -> Result<Store> {
        Store::open_for_lookups(&self.existing_path()?, "cli").map(|s| self.timed(s))
    }

    /// For commands that record something: a file we cannot write is an error.
    pub fn open_existing_for_writing(&self) -> Result<Store> {
        Store::open(&self.existing_path()?, "cli").map(|s| self.timed(s))
    }

    pub fn json(&mut self, value: &impl serde::Serialize) -> Result<()> {
        json::write_pretty(&mut *self.out, value).map_err(|e| Error::io("writing JSON", e.into()))?;
        writeln!(self.out).map_err(write_err)
    }

    /// Writes one line of human output (sanitise data before it gets here).
    pub fn line(&mut self, text: impl AsRef<str>) -> Result<()> {
        writeln!(self.out, "{}", text.as_ref()).map_err(write_err)
    }
}

/// Writes a JSON array one element at a time, so `--json` on a large log
/// never holds the whole log in memory.
pub struct JsonStream<'w> {
    out: &'w mut dyn Write,
    first: bool,
}

impl<'w> JsonStream<'w> {
    pub fn begin(out: &'w mut dyn Write) -> Result<Self> {
        write!(out, "[").map_err(write_err)?;
        Ok(JsonStream { out, first: true })
    }

    pub fn item(&mut self, value: &impl serde::Serialize) -> Result<()> {
        let sep = if self.first { "\n  " } else { ",\n  " };
        self.first = false;
        self.out.write_all(sep.as_bytes()).map_err(write_err)?;
        // Straight into the buffered output: no string per row.
        json::write_compact(&mut *self.out, value).map_err(|e| write_err(e.into()))
    }

    pub fn end(self) -> Result<()> {
        writeln!(self.out, "{}]", if self.first { "" } else { "\n" }).map_err(write_err)
    }
}

pub fn write_err(e: std::io::Error) -> Error {
    Error::io("writing output", e)
}

pub(crate) fn parse_status_filter(s: Option<&str>) -> Result<StatusFilter> {
    match s {
        None => Ok(StatusFilter::Open),
        Some(s) => StatusFilter::parse(s).ok_or_else(|| {
            Error::invalid(format!(
                "--status: '{}' is not one of {}",
                crate::domain::sanitize::clean(s),
                StatusFilter::choices()
            ))
        }),
    }
}

/// Runs one parsed command line. The store's typed errors are worded here
/// for a command line (what to type next).
pub fn run(cli: Cli, ctx: &mut Ctx<'_>) -> Result<()> {
    // A command waiting for another's write lock says so on stderr.
    crate::store::announce_waits(true);
    let db = ctx.db_path().ok();
    dispatch(cli, ctx).map_err(worded).map_err(|e| busy_worded(e, db.as_deref())).map_err(settled_worded)
}

/// A write that met an I/O error, as it was settled when its store closed
/// (store/settle.rs): what the file holds, read back, not SQLite's guess.
fn settled_worded(e: Error) -> Error {
    use crate::store::Settled;
    let Some(settled) = crate::store::last_settled() else { return e };
    let said = match settled {
        Settled::Saved => "yet the change is in the database (read back to check)",
        Settled::NotSaved => {
            "the change is not in the database (read back to check) and cannot appear later; try again"
        }
        Settled::Unknown => {
            "the change is not in the database now, but the disk is failing and refused the check too: check after the disk is fixed"
        }
    };
    Error::Unwritable(format!("{e}; {said}"))
}

/// The lock another process kept past our wait, as a command-line user
/// reads it: what held it (when we can tell), that nothing changed, and
/// what to do.
fn busy_worded(e: Error, db: Option<&std::path::Path>) -> Error {
    if !matches!(e, Error::Busy(None)) {
        return e;
    }
    let why = db.map_or("another qprm is writing to it", crate::store::why_busy);
    Error::Busy(Some(format!(
        "the database stayed busy for {} s ({why}); nothing was changed. Try again when it has finished",
        crate::store::COMMAND_WAIT.as_secs()
    )))
}

/// A typed store error as a command-line user reads it: the same sentence
/// plus the command that gets them further.
fn worded(e: Error) -> Error {
    match &e {
        Error::MeetingApproved { date, .. } => Error::Invalid(format!(
            "{e}. To change it, reopen it first: qprm meeting reopen {date} --note \"why it must change\""
        )),
        Error::NotApproved { date, .. } => {
            Error::Invalid(format!("{e}; approve them with `qprm meeting approve {date}`"))
        }
        Error::NothingToChange { .. } => {
            Error::Invalid(format!("{e}: give a new --status, --due, --owner or a --note"))
        }
        Error::ReasonNeeded { .. } => Error::Invalid(format!("{e}: add --note \"why\"")),
        _ => e,
    }
}

fn dispatch(cli: Cli, ctx: &mut Ctx<'_>) -> Result<()> {
    let mode = crate::tui::app::Mode {
        present: cli.present,
        read_only: cli.read_only || cli.follow,
        follow: cli.follow,
        take_chair: cli.take_chair,
        ascii: crate::tui::glyphs::wanted(cli.ascii, |k| std::env::var(k).ok()),
    };
    match cli.command {
        None => demo::open_latest(ctx, mode),
        Some(Command::Demo) => demo::run(ctx, mode),
        Some(Command::Import { files, replace, period }) => import::import(ctx, &files, replace, period.as_deref()),
        Some(Command::Validate { files, replace, period }) => import::validate(ctx, &files, replace, period.as_deref()),
        Some(Command::Pack { command }) => pack::run(ctx, command),
        Some(Command::Meeting { command }) => meeting::run(ctx, command),
        Some(Command::Action { command }) => action::run(ctx, command),
        Some(Command::Actions(args)) => action::list(ctx, &args),
        Some(Command::Decision { command }) => meeting::decision(ctx, command),
        Some(Command::Decisions { meeting, service, from, to, text, json }) => {
            let period = |p: Option<String>, flag: &str| {
                p.map(|p| p.parse().map_err(|e| Error::invalid(format!("{flag}: {e}")))).transpose()
            };
            let filter = crate::store::DecisionFilter {
                from: period(from, "--from")?,
                to: period(to, "--to")?,
                text,
                ..Default::default()
            };
            meeting::decisions(ctx, meeting, service, filter, json)
        }
        Some(Command::Export { what }) => export::run(ctx, what),
        Some(Command::Minutes { meeting, format, output }) => export::minutes(ctx, &meeting, &format, output),
        Some(Command::Search { text, limit, json }) => lookup::search(ctx, &text.join(" "), limit, json),
        Some(Command::Generate { out, years, services, actions }) => {
            let label = crate::domain::sanitize::clean(&out.display().to_string());
            if out.exists() {
                return Err(Error::invalid(format!("{label} already exists; generate only ever creates a new file")));
            }
            if services > 200 || years > 50 || actions > 20_000_000 {
                return Err(Error::invalid("at most 50 years, 200 services and 20,000,000 actions"));
            }
            let started = std::time::Instant::now();
            let mut store = ctx.timed(Store::open(&out, "generate")?);
            let made = store.generate(crate::store::GenerateOptions { years, services, actions });
            drop(store);
            let made = match made {
                Ok(m) => m,
                Err(e) => {
                    // Half a synthetic database is worth nothing; don't leave one.
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", out.display()));
                    }
                    return Err(e);
                }
            };
            ctx.line(format!(
                "generated {label} in {:.1} s: {} meetings, {} services, {} indicators, {} values, {} actions ({} history rows), {} decisions, {} owners",
                started.elapsed().as_secs_f64(),
                made.meetings,
                made.services,
                made.indicators,
                made.values,
                made.actions,
                made.history,
                made.decisions,
                made.owners
            ))
        }
        Some(Command::Check) => {
            let path = ctx.db_path()?;
            let label = crate::domain::sanitize::clean(&path.display().to_string());
            // Read-only, and an older schema is checked as it is: upgrading
            // is for the commands that write (it would change the file).
            let (store, version) = Store::open_to_check(&path)?;
            let problems = store.check().map_err(|e| {
                Error::Database(format!("{label} is damaged: {e}; restore a backup (see README, Backups)"))
            })?;
            if problems.is_empty() {
                let older = if version < crate::store::SCHEMA_VERSION {
                    format!(
                        " (schema version {version}, older than this qprm's {}: any other qprm command, e.g. `qprm meeting list`, upgrades it when it opens it)",
                        crate::store::SCHEMA_VERSION
                    )
                } else {
                    String::new()
                };
                return ctx.line(format!("ok: {label} passed SQLite's integrity and foreign-key checks{older}"));
            }
            let mut lines: Vec<String> = problems.iter().take(20).map(|p| crate::domain::sanitize::clean(p)).collect();
            lines.insert(
                0,
                format!("{label} is damaged ({} problem(s)); restore a backup (see README, Backups):", problems.len()),
            );
            Err(Error::Database(lines.join("\n")))
        }
        Some(Command::Serve { listen, authorized_keys, max_sessions, idle_timeout, print_invite }) => {
            let keep = std::env::var("QPRM_KEEP_BACKUPS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(crate::tui::live::KEEP_BACKUPS);
            let opts = crate::serve::ServeOptions {
                listen,
                authorized_keys,
                max_sessions,
                idle: (idle_timeout > 0).then(|| std::time::Duration::from_secs(idle_timeout)),
                print_invite,
                chair_stale: demo::chair_stale(),
                keep_backups: keep,
            };
            crate::serve::run(&ctx.db_path()?, opts, ctx.out)
        }
        Some(Command::Backup { file }) => {
            let store = ctx.open_existing()?;
            let done = store.backup_to(&file)?;
            if done.cleared {
                ctx.line(crate::domain::sanitize::clean(&format!(
                    "removed an unfinished copy from an earlier backup to {} that was interrupted (its writer had gone)",
                    file.display()
                )))?;
            }
            ctx.line(crate::domain::sanitize::clean(&format!(
                "backed up {} to {} ({} bytes)",
                store.path().display(),
                file.display(),
                done.bytes
            )))
        }
        Some(Command::Kpi { code, service, period, json, rebase, no_rebase }) => {
            lookup::kpi(ctx, code, service, period, json, lookup::Rebase { on: rebase, off: no_rebase })
        }
    }
}
