//! The live side of a meeting screen: choosing the chair, publishing the
//! chair's place for `--follow` screens, following it, and the backup
//! taken when a meeting screen opens. Called from the event loop on keys
//! and ticks; all of it is short writes, so several instances share one
//! database without "database is locked" reaching anyone. It reads the
//! screen's state but never changes it: it returns `LiveEvent`s, which
//! `effects` applies to the app.

use super::app::{App, Role};
use crate::error::Result;
use crate::store::{ChairTimer, ChairWatch, Claim, Position, Presence, Store};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The chair's longest heartbeat interval; shorter when the stale window
/// is (tests), so a live chair always beats several times within it.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// Default number of automatic backups kept per database.
pub const KEEP_BACKUPS: usize = 10;

/// What the live machinery found, for the app to take in, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// This screen's role changed: it took the chair, or lost it.
    Role(Role),
    /// Who holds the chair, as shown ("you" when this screen does).
    ChairLabel(Option<String>),
    /// The chair's published place and timer: move there if this screen follows.
    Chair { position: Position, timer: ChairTimer },
    /// A line for the status bar.
    Status(String),
    /// Offer back an unsaved draft left for this screen's role (at once on
    /// opening; when taking the chair, once no form is open).
    RestoreDraft,
}

pub struct Live {
    id: String,
    label: String,
    last_beat: Instant,
    published: Option<(Position, bool)>,
    /// How long the chair's beat may stand still, by this screen's clock.
    stale: Duration,
    heartbeat: Duration,
    /// The chair's beat as this screen has seen it (minute-takers).
    watch: ChairWatch,
    /// Set on becoming the chair mid-meeting: the chair's unsaved draft
    /// (left by the screen that went quiet or quit) is offered back once
    /// no form is open here.
    offer_chair_draft: bool,
}

/// Screens started in this process, so each has its own presence id.
static SCREENS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The wall clock, written into the beat only for older qprm screens
/// (store/presence.rs); nothing here judges liveness by it.
fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Live {
    pub fn new(stale: Duration) -> Live {
        let pid = std::process::id();
        let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into());
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        Live {
            // A counter too: `qprm serve` starts many screens in one process.
            id: format!("{pid}-{nanos:x}-{}", SCREENS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
            label: crate::domain::sanitize::clean(&format!("{user} (pid {pid})")),
            last_beat: Instant::now(),
            published: None,
            stale,
            heartbeat: HEARTBEAT.min(stale / 3),
            watch: ChairWatch::new(Instant::now()),
            offer_chair_draft: false,
        }
    }

    /// Decides this instance's role: a follower or read-only screen never
    /// chairs; an editing screen chairs if nobody does (or with
    /// `--take-chair`), else it is the minute-taker's. A chair that has gone
    /// quiet is not replaced here: this screen has not yet watched it for
    /// the stale window, so it starts as the minute-taker's and `sync`
    /// takes over once the beat has stood still that long.
    pub fn start(&mut self, store: &mut Store, app: &App, take_chair: bool) -> Result<Vec<LiveEvent>> {
        let mut events = Vec::new();
        if app.role.edits() {
            let claim = if take_chair { Claim::Force } else { Claim::IfFree };
            let (chair, presence) = store.claim_chair(app.meeting.id, &self.id, &self.label, claim, unix_now())?;
            events.push(LiveEvent::Role(if chair { Role::Chair } else { Role::Minutes }));
            let label = presence.as_ref().map(|p| if chair { "you".to_string() } else { p.chair_label.clone() });
            events.push(LiveEvent::ChairLabel(label));
            if chair {
                self.publish(store, app, true)?;
            } else if let Some(p) = &presence {
                self.watch.is_stale(p, Instant::now(), self.stale);
                events.push(LiveEvent::Chair { position: p.position, timer: p.timer });
            }
        } else if let Some(p) = store.presence(app.meeting.id)? {
            events.push(LiveEvent::ChairLabel(Some(p.chair_label)));
            events.push(LiveEvent::Chair { position: p.position, timer: p.timer });
        }
        events.push(LiveEvent::RestoreDraft);
        Ok(events)
    }

    /// Advances the beat (on a move, or when a heartbeat is due); false if
    /// this screen is no longer the chair.
    fn publish(&mut self, store: &mut Store, app: &App, force: bool) -> Result<bool> {
        // A move, or the timer started or stopped, is published at once;
        // the timer's count rides on the heartbeat.
        let (pos, timer) = (app.position(), app.chair_timer());
        if force || self.published != Some((pos, timer.running)) || self.last_beat.elapsed() >= self.heartbeat {
            self.published = Some((pos, timer.running));
            self.last_beat = Instant::now();
            return store.publish_position(app.meeting.id, &self.id, pos, timer, unix_now());
        }
        Ok(true)
    }

    /// After every key and tick (every 500 ms at most): the chair checks it
    /// still holds the chair and beats; a minute-taker's screen takes over
    /// a chair that has gone quiet or handed back, and follows the chair's
    /// place; a `--follow` screen follows it.
    pub fn sync(&mut self, store: &mut Store, app: &App) -> Result<Vec<LiveEvent>> {
        if !app.role.edits() && app.role != Role::Follow {
            return Ok(Vec::new());
        }
        let presence = store.presence(app.meeting.id)?;
        match app.role {
            Role::Chair => self.sync_chair(store, app, presence),
            Role::Minutes => self.sync_minutes(store, app, presence),
            _ => Ok(follow(presence)),
        }
    }

    fn sync_chair(&mut self, store: &mut Store, app: &App, presence: Option<Presence>) -> Result<Vec<LiveEvent>> {
        let presence = match presence {
            Some(p) if p.chair_id == self.id => {
                if self.publish(store, app, false)? {
                    return Ok(self.offer_draft(app));
                }
                store.presence(app.meeting.id)?
            }
            // Handed back under us (a screen that took the chair and quit
            // within a tick): still ours if nobody else has claimed it.
            None => {
                let (chair, now) =
                    store.claim_chair(app.meeting.id, &self.id, &self.label, Claim::IfFree, unix_now())?;
                if chair {
                    self.publish(store, app, true)?;
                    return Ok(Vec::new());
                }
                now
            }
            other => other,
        };
        // Another screen holds the chair: this one is the minute-taker's now.
        let by = presence.as_ref().map_or("another screen".to_string(), |p| p.chair_label.clone());
        let mut events = vec![
            LiveEvent::Role(Role::Minutes),
            LiveEvent::ChairLabel(presence.as_ref().map(|p| p.chair_label.clone())),
        ];
        self.offer_chair_draft = false;
        self.watch = ChairWatch::new(Instant::now());
        if let Some(p) = &presence {
            self.watch.is_stale(p, Instant::now(), self.stale);
            events.push(LiveEvent::Chair { position: p.position, timer: p.timer });
        }
        events.push(LiveEvent::Status(format!("The chair was taken by {by}: this screen is now the minute-taker's")));
        Ok(events)
    }

    fn sync_minutes(&mut self, store: &mut Store, app: &App, presence: Option<Presence>) -> Result<Vec<LiveEvent>> {
        let claim = match &presence {
            None => Some((Claim::IfFree, "The chair's screen closed")),
            Some(p) if self.watch.is_stale(p, Instant::now(), self.stale) => {
                Some((Claim::IfStale { chair_id: &p.chair_id, beat: p.beat }, "The chair's screen went quiet"))
            }
            Some(_) => None,
        };
        if let Some((claim, why)) = claim {
            let (chair, now) = store.claim_chair(app.meeting.id, &self.id, &self.label, claim, unix_now())?;
            if chair {
                self.offer_chair_draft = true;
                self.publish(store, app, true)?;
                let mut events = vec![
                    LiveEvent::Role(Role::Chair),
                    LiveEvent::ChairLabel(Some("you".into())),
                    LiveEvent::Status(format!("{why}: this screen is now the chair")),
                ];
                events.extend(self.offer_draft(app));
                return Ok(events);
            }
            return Ok(follow(now));
        }
        Ok(follow(presence))
    }

    /// Offers back the chair's unsaved draft once, when no form is open.
    fn offer_draft(&mut self, app: &App) -> Vec<LiveEvent> {
        if !self.offer_chair_draft || app.has_open_form() {
            return Vec::new();
        }
        self.offer_chair_draft = false;
        vec![LiveEvent::RestoreDraft]
    }

    /// Names this screen to the others (who chairs), in place of the
    /// user and process: a served screen is one of many in one process.
    pub fn set_label(&mut self, label: &str) {
        self.label = crate::domain::sanitize::clean(label);
    }

    /// This instance's presence id (the chair's, when it holds the chair).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A clean exit hands the chair back at once.
    pub fn finish(&mut self, store: &mut Store, app: &App) -> Result<()> {
        if app.role == Role::Chair {
            store.release_chair(app.meeting.id, &self.id)?;
        }
        Ok(())
    }
}

/// A minute-taker's or `--follow` screen: who chairs, and the chair's
/// place and timer (`App::on_chair_position` decides whether it may move now).
fn follow(presence: Option<Presence>) -> Vec<LiveEvent> {
    let Some(p) = presence else { return Vec::new() };
    vec![LiveEvent::ChairLabel(Some(p.chair_label)), LiveEvent::Chair { position: p.position, timer: p.timer }]
}

/// Where automatic backups of `db` go: a `backups` folder beside it.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// How long a stop signal may go unanswered before the watchdog ends the
/// screen itself.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Ends a screen whose loop cannot see a stop signal. Once the terminal has
/// gone (a closed window or dropped connection), crossterm 0.29 reads its
/// end-of-file forever inside `event::read`, so the SIGHUP that follows
/// never reaches the loop: the process would spin and keep the chair.
/// After `STOP_GRACE` unanswered, this hands the chair back on its own
/// connection and exits. Nothing is lost: saves commit before "Saved" and
/// drafts are written as they are typed. A write still waiting on another
/// instance's lock after the grace is rolled back, never reported saved.
/// Set the returned flag once the loop has finished normally.
pub fn stop_watchdog(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    db: PathBuf,
    meeting: i64,
    presence_id: String,
) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::Ordering;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = std::sync::Arc::clone(&finished);
    // Only the file the screen opened: never create one where it was deleted.
    let identity = crate::store::file_identity(&db);
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            if done.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(STOP_GRACE);
        if done.load(Ordering::Relaxed) {
            return;
        }
        if identity.is_some()
            && crate::store::file_identity(&db) == identity
            && let Ok(mut store) = Store::open(&db, "chair")
        {
            let _ = store.release_chair(meeting, &presence_id);
        }
        ratatui::restore();
        std::process::exit(0);
    });
    finished
}

/// What the opening backup did, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupOutcome {
    /// Today's backup: the one just taken, or the recent one reused.
    pub path: PathBuf,
    /// Taken now (else a recent one, or one being written, is shared).
    pub taken: bool,
    /// What the screen should also say: an earlier backup that failed or
    /// was interrupted.
    pub notes: Vec<String>,
}

/// The result of the opening backup, from its thread.
pub type BackupResult = Result<BackupOutcome>;

/// Takes the opening backup on its own read connection and thread, so the
/// first frame never waits for a copy of the whole file (seconds on ten
/// years of meetings). Its snapshot is taken within milliseconds of the
/// screen opening, before a form can be filled in. Quitting mid-copy leaves
/// only a `.partial` file, which the next screen removes, saying so; it then
/// takes the backup again.
pub fn backup_in_background(db: PathBuf, keep: usize) -> std::sync::mpsc::Receiver<BackupResult> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = Store::open_read_only(&db, "backup", false).and_then(|store| backup_on_open(&store, keep));
        if let Err(e) = &result {
            record_failure(&db, e);
        }
        let _ = tx.send(result);
    });
    rx
}

/// A backup younger than this is recent enough: the chair's, the minute-
/// taker's and the projector's screens opening for one meeting share it.
const BACKUP_FRESH: Duration = Duration::from_secs(12 * 3600);

/// The name automatic backups of `db` start with: the file's whole stem,
/// so `qprm.db` and `qprm-old.db` in one folder each have their own. A
/// file not named `.db` keeps its whole name (`qprm.sqlite-…`), so
/// `qprm.db` and `qprm.sqlite` never share backups; one with no extension
/// ends in a dot (`qprm.-…`), apart from `qprm.db`'s too.
fn backup_stem(db: &Path) -> String {
    let name = |s: &std::ffi::OsStr| s.to_string_lossy().into_owned();
    match (db.file_stem(), db.extension()) {
        (Some(stem), Some(ext)) if ext == "db" => name(stem),
        (Some(_), Some(_)) => db.file_name().map_or_else(|| "qprm".to_string(), name),
        (Some(stem), None) => format!("{}.", name(stem)),
        (None, _) => "qprm".to_string(),
    }
}

/// Where a failed opening backup is noted until the next screen reports it.
fn failure_marker(db: &Path) -> PathBuf {
    backup_dir(db).join(format!("{}.backup-failed", backup_stem(db)))
}

/// Notes a failed opening backup in `backups/`, so the next screen to open
/// says so even if this one closed before its status line was read.
fn record_failure(db: &Path, e: &crate::Error) {
    let marker = failure_marker(db);
    if !backup_dir(db).is_dir() {
        return;
    }
    let line = format!("{}: {e}", chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    if let Ok(mut f) = options.open(&marker) {
        let _ = std::io::Write::write_all(&mut f, line.as_bytes());
    }
}

/// The failure an earlier screen noted, removed once read (it is reported
/// once). Read with a bound: it is a file anyone could have replaced.
fn take_failure(db: &Path) -> Option<String> {
    use std::io::Read;
    let marker = failure_marker(db);
    let file = std::fs::File::open(&marker).ok()?;
    let mut text = String::new();
    let _ = file.take(2048).read_to_string(&mut text);
    let _ = std::fs::remove_file(&marker);
    let text = crate::domain::sanitize::clean(text.trim());
    Some(if text.is_empty() { "unknown reason".into() } else { text })
}

/// The sort key of an automatic backup of `stem` named `name`, or `None`
/// for any other file: exactly `{stem}-YYYYMMDD-HHMMSS.db` or
/// `{stem}-YYYYMMDD-HHMMSS-N.db`. Never a prefix match: `qprm-old-…` is not
/// one of `qprm`'s.
pub fn backup_key(name: &str, stem: &str) -> Option<(String, u32)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".db")?;
    let stamp = rest.get(..15)?;
    let shape = stamp.bytes().enumerate().all(|(i, b)| if i == 8 { b == b'-' } else { b.is_ascii_digit() });
    if !shape {
        return None;
    }
    let n = match &rest[15..] {
        "" => 0,
        tail => {
            let digits = tail.strip_prefix('-').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))?;
            digits.parse().ok()?
        }
    };
    Some((stamp.to_string(), n))
}

/// Takes a backup when a meeting screen opens (unless one was taken in the
/// last 12 hours), keeping the newest `keep` of this database's. Says what
/// became of an earlier backup that failed or was interrupted. A failure
/// is noted in `backups/` for the next screen as well.
pub fn backup_on_open(store: &Store, keep: usize) -> Result<BackupOutcome> {
    let result = take_opening_backup(store, keep);
    if let Err(e) = &result {
        record_failure(store.path(), e);
    }
    result
}

fn take_opening_backup(store: &Store, keep: usize) -> Result<BackupOutcome> {
    let dir = backup_dir(store.path());
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| crate::Error::io(format!("creating {}", dir.display()), e))?;
    }
    let stem = backup_stem(store.path());
    let mut notes = Vec::new();
    if let Some(why) = take_failure(store.path()) {
        notes.push(format!("Last backup failed: {why}"));
    }
    let listing = || -> Result<Vec<(PathBuf, String)>> {
        Ok(std::fs::read_dir(&dir)
            .map_err(|e| crate::Error::io(format!("reading {}", dir.display()), e))?
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.path(), e.file_name().to_str()?.to_string())))
            .collect())
    };
    // This database's unfinished copies: one still being written (by
    // another screen opening now) counts as today's backup; one whose
    // writer has gone is removed, and the screen says so.
    for (path, name) in listing()? {
        let Some(dest) = name.strip_suffix(".partial") else { continue };
        if backup_key(dest, &stem).is_none() {
            continue;
        }
        match crate::store::clear_if_abandoned(&path) {
            crate::store::Unfinished::BeingWritten => {
                return Ok(BackupOutcome { path: dir.join(dest), taken: false, notes });
            }
            crate::store::Unfinished::Cleared => {
                notes.push(format!("Last backup was interrupted; its unfinished copy ({dest}.partial) was removed"))
            }
            crate::store::Unfinished::Gone => {}
        }
    }
    let ours = |files: Vec<(PathBuf, String)>| -> Vec<((String, u32), PathBuf)> {
        files.into_iter().filter_map(|(path, name)| Some((backup_key(&name, &stem)?, path))).collect()
    };
    let recent = ours(listing()?)
        .into_iter()
        .filter_map(|(_, p)| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .filter(|(t, _)| t.elapsed().is_ok_and(|age| age < BACKUP_FRESH))
        .max_by_key(|(t, _)| *t);
    if let Some((_, path)) = recent {
        return Ok(BackupOutcome { path, taken: false, notes });
    }
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.db"));
    let mut n = 1;
    while path.exists() || crate::store::partial_path(&path).exists() {
        path = dir.join(format!("{stem}-{stamp}-{n}.db"));
        n += 1;
    }
    store.backup_to(&path)?;
    // Rotation: the one just taken always stays (a clock set back must not
    // make it look oldest); of the others, the newest `keep - 1`.
    let mut old: Vec<((String, u32), PathBuf)> = ours(listing()?).into_iter().filter(|(_, p)| *p != path).collect();
    old.sort();
    let excess = old.len().saturating_sub(keep.max(1) - 1);
    for (_, p) in old.into_iter().take(excess) {
        let _ = std::fs::remove_file(p);
    }
    // The status line names this file: it must still be there.
    if !path.is_file() {
        return Err(crate::Error::Database(format!(
            "the backup {} was removed as soon as it was written",
            crate::domain::sanitize::clean(&path.display().to_string())
        )));
    }
    Ok(BackupOutcome { path, taken: true, notes })
}
