//! The live side of a meeting screen: choosing the chair, publishing the
//! chair's place for `--follow` screens, following it, autosaving drafts and
//! the backup taken when a meeting screen opens. Called from the event loop
//! on keys and ticks; all of it is short writes, so several instances share
//! one database without "database is locked" reaching anyone.

use super::app::{App, Role};
use crate::error::Result;
use crate::store::{ChairWatch, Claim, Position, Presence, Store};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The chair's longest heartbeat interval; shorter when the stale window
/// is (tests), so a live chair always beats several times within it.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// Default number of automatic backups kept per database.
pub const KEEP_BACKUPS: usize = 10;

pub struct Live {
    id: String,
    label: String,
    last_beat: Instant,
    published: Option<Position>,
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
            id: format!("{pid}-{nanos:x}"),
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
    pub fn start(&mut self, store: &mut Store, app: &mut App, take_chair: bool) -> Result<()> {
        if app.role.edits() {
            let claim = if take_chair { Claim::Force } else { Claim::IfFree };
            let (chair, presence) = store.claim_chair(app.meeting.id, &self.id, &self.label, claim, unix_now())?;
            app.set_role(store, if chair { Role::Chair } else { Role::Minutes })?;
            app.chair_label = presence.as_ref().map(|p| if chair { "you".to_string() } else { p.chair_label.clone() });
            if chair {
                self.publish(store, app, true)?;
            } else if let Some(p) = &presence {
                self.watch.is_stale(p, Instant::now(), self.stale);
                if app.on_chair_position(p.position) {
                    app.reload(store)?;
                }
            }
        } else if let Some(p) = store.presence(app.meeting.id)? {
            app.chair_label = Some(p.chair_label);
            if app.on_chair_position(p.position) {
                app.reload(store)?;
            }
        }
        app.restore_draft(store)?;
        Ok(())
    }

    /// Advances the beat (on a move, or when a heartbeat is due); false if
    /// this screen is no longer the chair.
    fn publish(&mut self, store: &mut Store, app: &App, force: bool) -> Result<bool> {
        let pos = app.position();
        if force || self.published != Some(pos) || self.last_beat.elapsed() >= self.heartbeat {
            self.published = Some(pos);
            self.last_beat = Instant::now();
            return store.publish_position(app.meeting.id, &self.id, pos, unix_now());
        }
        Ok(true)
    }

    /// After every key and tick (every 500 ms at most): the chair checks it
    /// still holds the chair and beats; a minute-taker's screen takes over
    /// a chair that has gone quiet or handed back, and follows the chair's
    /// place; a `--follow` screen follows it. Drafts are autosaved. True if
    /// the screen should redraw.
    pub fn sync(&mut self, store: &mut Store, app: &mut App) -> Result<bool> {
        app.sync_draft(store)?;
        if !app.role.edits() && app.role != Role::Follow {
            return Ok(false);
        }
        let presence = store.presence(app.meeting.id)?;
        match app.role {
            Role::Chair => self.sync_chair(store, app, presence),
            Role::Minutes => self.sync_minutes(store, app, presence),
            _ => Ok(match presence {
                Some(p) => {
                    let moved = app.on_chair_position(p.position);
                    if moved {
                        app.reload(store)?;
                    }
                    let changed = app.chair_label.as_deref() != Some(p.chair_label.as_str());
                    app.chair_label = Some(p.chair_label);
                    moved || changed
                }
                None => false,
            }),
        }
    }

    fn sync_chair(&mut self, store: &mut Store, app: &mut App, presence: Option<Presence>) -> Result<bool> {
        let presence = match presence {
            Some(p) if p.chair_id == self.id => {
                if self.publish(store, app, false)? {
                    return self.offer_draft(store, app);
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
                    return Ok(false);
                }
                now
            }
            other => other,
        };
        // Another screen holds the chair: this one is the minute-taker's now.
        let by = presence.as_ref().map_or("another screen".to_string(), |p| p.chair_label.clone());
        app.set_role(store, Role::Minutes)?;
        app.chair_label = presence.as_ref().map(|p| p.chair_label.clone());
        self.offer_chair_draft = false;
        self.watch = ChairWatch::new(Instant::now());
        if let Some(p) = &presence {
            self.watch.is_stale(p, Instant::now(), self.stale);
            if app.on_chair_position(p.position) {
                app.reload(store)?;
            }
        }
        app.status = Some(format!("The chair was taken by {by}: this screen is now the minute-taker's"));
        Ok(true)
    }

    fn sync_minutes(&mut self, store: &mut Store, app: &mut App, presence: Option<Presence>) -> Result<bool> {
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
                app.set_role(store, Role::Chair)?;
                app.chair_label = Some("you".into());
                app.status = Some(format!("{why}: this screen is now the chair"));
                self.offer_chair_draft = true;
                self.publish(store, app, true)?;
                self.offer_draft(store, app)?;
                return Ok(true);
            }
            return self.follow(store, app, now);
        }
        self.follow(store, app, presence)
    }

    /// A minute-taker's screen: shows who chairs and moves with the chair
    /// (`App::on_chair_position` decides whether it may move now).
    fn follow(&mut self, store: &mut Store, app: &mut App, presence: Option<Presence>) -> Result<bool> {
        let Some(p) = presence else { return Ok(false) };
        let moved = app.on_chair_position(p.position);
        if moved {
            app.reload(store)?;
        }
        let changed = app.chair_label.as_deref() != Some(p.chair_label.as_str());
        app.chair_label = Some(p.chair_label);
        Ok(moved || changed)
    }

    /// Offers back the chair's unsaved draft once, when no form is open.
    fn offer_draft(&mut self, store: &mut Store, app: &mut App) -> Result<bool> {
        if !self.offer_chair_draft || app.has_open_form() {
            return Ok(false);
        }
        self.offer_chair_draft = false;
        app.restore_draft(store)?;
        Ok(app.has_open_form())
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

/// The result of the opening backup, from its thread.
pub type BackupResult = Result<(PathBuf, bool)>;

/// Takes the opening backup on its own read connection and thread, so the
/// first frame never waits for a copy of the whole file (seconds on ten
/// years of meetings). Its snapshot is taken within milliseconds of the
/// screen opening, before a form can be filled in. Quitting mid-copy leaves only a `.partial`
/// file, which the next screen removes; it then takes the backup again.
pub fn backup_in_background(db: PathBuf, keep: usize) -> std::sync::mpsc::Receiver<BackupResult> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = Store::open_read_only(&db, "backup", false).and_then(|store| backup_on_open(&store, keep));
        let _ = tx.send(result);
    });
    rx
}

/// A `.partial` backup untouched for this long was abandoned (its copy
/// writes continuously while it runs).
const PARTIAL_ABANDONED: Duration = Duration::from_secs(600);

/// A backup younger than this is recent enough: the chair's, the minute-
/// taker's and the projector's screens opening for one meeting share it.
const BACKUP_FRESH: Duration = Duration::from_secs(12 * 3600);

/// Takes a backup when a meeting screen opens (unless one was taken in the
/// last 12 hours), keeping the newest `keep`. Returns the backup's path and
/// whether it was taken now.
pub fn backup_on_open(store: &Store, keep: usize) -> Result<(PathBuf, bool)> {
    let dir = backup_dir(store.path());
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| crate::Error::io(format!("creating {}", dir.display()), e))?;
    }
    let stem = store.path().file_stem().and_then(|s| s.to_str()).unwrap_or("qprm").to_string();
    // Unfinished copies: one still being written (by another screen opening
    // now) counts as today's backup; abandoned ones are removed.
    for entry in
        std::fs::read_dir(&dir).map_err(|e| crate::Error::io(format!("reading {}", dir.display()), e))?.flatten()
    {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        if !name.ends_with(".partial") {
            continue;
        }
        let age = entry.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if age.is_some_and(|age| age > PARTIAL_ABANDONED) {
            crate::store::remove_partial(&entry.path());
        } else if name.starts_with(&format!("{stem}-")) {
            return Ok((dir.join(name.trim_end_matches(".partial")), false));
        }
    }
    let recent = std::fs::read_dir(&dir)
        .map_err(|e| crate::Error::io(format!("reading {}", dir.display()), e))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&format!("{stem}-")) && n.ends_with(".db")))
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .filter(|(_, t)| t.elapsed().is_ok_and(|age| age < BACKUP_FRESH))
        .max_by_key(|(_, t)| *t);
    if let Some((path, _)) = recent {
        return Ok((path, false));
    }
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.db"));
    let mut n = 1;
    while path.exists() || crate::store::partial_path(&path).exists() {
        path = dir.join(format!("{stem}-{stamp}-{n}.db"));
        n += 1;
    }
    store.backup_to(&path)?;
    let mut old: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| crate::Error::io(format!("reading {}", dir.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{stem}-")) && n.ends_with(".db"))
        })
        .collect();
    old.sort();
    let excess = old.len().saturating_sub(keep.max(1));
    for p in old.into_iter().take(excess) {
        let _ = std::fs::remove_file(p);
    }
    Ok((path, true))
}
