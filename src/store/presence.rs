//! Live meetings: which instance chairs a meeting and where it is. The
//! chair's position lives in the database so `--follow` screens in other
//! processes move with it and a restarted chair resumes where it was.
//!
//! Liveness uses the database as the clock, never the machines' clocks.
//! The `heartbeat_at` column (named when it held unix seconds; the schema
//! is unchanged) is now a beat counter: the chair raises it on every
//! heartbeat and move, and each observer times, by its own monotonic clock
//! (`ChairWatch`), how long the counter has stood still. A chair whose
//! counter has not moved for the stale window *as measured by the
//! observer* is stale, so two machines whose clocks disagree by minutes
//! still agree on who chairs.
//!
//! Each beat writes `MAX(heartbeat_at + 1, the chair's unix seconds)`: it
//! always moves (which is all new observers look at), and it still reads
//! as a recent time to a screen of an older qprm that compares it with its
//! clock, so mixing versions during an upgrade does not hand the chair
//! away. A row left by an older qprm holds unix seconds: to a new observer
//! that is just a counter, taken over only once it has stood still for the
//! stale window (a live old chair rewrites it every 5 s, so it keeps the
//! chair; a crashed one is replaced). Nothing ever compares the value with
//! a clock, so an old row can never cause an immediate takeover.

use super::Store;
use crate::error::Result;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use std::time::{Duration, Instant};

/// How long a chair's beat may stand still, as an observer measures it,
/// before the next editing screen takes over.
pub const STALE: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub agenda_index: usize,
    pub section: crate::domain::Section,
    pub on_overview: bool,
    /// The selected row: in the section's list, or on the agenda overview.
    pub row: usize,
}

impl Position {
    /// The same agenda item, section and screen, whatever row is selected.
    pub fn same_place(&self, other: &Position) -> bool {
        (self.agenda_index, self.section, self.on_overview) == (other.agenda_index, other.section, other.on_overview)
    }
}

/// The chair's timer for the item it is on, as it last published it: the
/// seconds it showed then, and whether it was running. A follower counts
/// on from there by its own clock (never comparing machines' clocks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChairTimer {
    pub seconds: u64,
    pub running: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Presence {
    pub chair_id: String,
    pub chair_label: String,
    /// The beat counter (the `heartbeat_at` column): compared only with
    /// itself, for movement, never with a clock.
    pub beat: i64,
    pub position: Position,
    pub timer: ChairTimer,
}

/// When a screen may take the chair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim<'a> {
    /// Only if nobody chairs (or this instance already does).
    IfFree,
    /// Only if the row is still exactly what the observer judged stale:
    /// the same chair at the same beat. So two observers never both take
    /// over, and a chair that beat in the meantime keeps its place.
    IfStale { chair_id: &'a str, beat: i64 },
    /// `--take-chair`: whatever the row says.
    Force,
}

/// One observer's view of the chair's beat, timed by its own clock.
#[derive(Debug, Clone)]
pub struct ChairWatch {
    seen: Option<(String, i64)>,
    since: Instant,
}

impl ChairWatch {
    pub fn new(now: Instant) -> ChairWatch {
        ChairWatch { seen: None, since: now }
    }

    /// Records what the presence row says at `now` (the observer's clock);
    /// true when the same chair's beat has stood still for `stale` since
    /// this observer first saw it there. A new chair or a moved beat starts
    /// the count again, so the first sight of any row is never stale.
    pub fn is_stale(&mut self, row: &Presence, now: Instant, stale: Duration) -> bool {
        let same = self.seen.as_ref().is_some_and(|(id, beat)| *id == row.chair_id && *beat == row.beat);
        if !same {
            self.seen = Some((row.chair_id.clone(), row.beat));
            self.since = now;
            return false;
        }
        now.saturating_duration_since(self.since) >= stale
    }
}

impl Store {
    pub fn presence(&self, meeting: i64) -> Result<Option<Presence>> {
        Ok(self
            .conn
            .query_row(
                "SELECT chair_id, chair_label, heartbeat_at, agenda_index, section, on_overview, selected_row,
                        timer_seconds, timer_running
                 FROM meeting_presence WHERE meeting_id = ?1",
                [meeting],
                |r| {
                    Ok(Presence {
                        chair_id: r.get(0)?,
                        chair_label: r.get(1)?,
                        beat: r.get(2)?,
                        position: Position {
                            agenda_index: r.get::<_, i64>(3)?.max(0) as usize,
                            // A section this qprm does not know (a newer one's) reads as the first.
                            section: usize::try_from(r.get::<_, i64>(4)?)
                                .ok()
                                .and_then(crate::domain::Section::from_index)
                                .unwrap_or_default(),
                            on_overview: r.get(5)?,
                            row: r.get::<_, i64>(6)?.max(0) as usize,
                        },
                        timer: ChairTimer { seconds: r.get::<_, i64>(7)?.max(0) as u64, running: r.get(8)? },
                    })
                },
            )
            .optional()?)
    }

    /// Becomes the chair when `claim` allows it. `unix_now` is the caller's
    /// wall clock, written only so older qprm screens read a recent time
    /// (see the module comment); nothing here compares it with anything.
    /// Returns whether this instance is chair, and the row as it now stands.
    pub fn claim_chair(
        &mut self,
        meeting: i64,
        id: &str,
        label: &str,
        claim: Claim<'_>,
        unix_now: i64,
    ) -> Result<(bool, Option<Presence>)> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<(String, i64)> = tx
            .query_row("SELECT chair_id, heartbeat_at FROM meeting_presence WHERE meeting_id = ?1", [meeting], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let take = match (&current, claim) {
            (None, _) | (_, Claim::Force) => true,
            (Some((chair, _)), _) if chair == id => true,
            (Some((chair, beat)), Claim::IfStale { chair_id, beat: seen }) => chair == chair_id && *beat == seen,
            (Some(_), Claim::IfFree) => false,
        };
        if take {
            // The beat moves on a change of chair too, so observers timing
            // the old chair start again rather than judge the new one stale.
            tx.execute(
                "INSERT INTO meeting_presence (meeting_id, chair_id, chair_label, heartbeat_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (meeting_id) DO UPDATE SET chair_id = ?2, chair_label = ?3,
                   heartbeat_at = MAX(heartbeat_at + 1, ?4)",
                params![meeting, id, label, unix_now],
            )?;
        }
        super::stamp(&tx)?;
        tx.commit()?;
        Ok((take, self.presence(meeting)?))
    }

    /// The chair's heartbeat, position and timer: advances the beat. A
    /// no-op returning false unless `id` is the chair, which is how a chair
    /// learns it was replaced.
    pub fn publish_position(
        &mut self,
        meeting: i64,
        id: &str,
        pos: Position,
        timer: ChairTimer,
        unix_now: i64,
    ) -> Result<bool> {
        let n = self.write_one(
            "UPDATE meeting_presence SET heartbeat_at = MAX(heartbeat_at + 1, ?3), agenda_index = ?4, section = ?5,
               on_overview = ?6, selected_row = ?7, timer_seconds = ?8, timer_running = ?9
             WHERE meeting_id = ?1 AND chair_id = ?2",
            params![
                meeting,
                id,
                unix_now,
                pos.agenda_index as i64,
                pos.section.index() as i64,
                pos.on_overview,
                pos.row as i64,
                timer.seconds as i64,
                timer.running
            ],
        )?;
        Ok(n == 1)
    }

    /// Gives up the chair on a clean exit, so the next instance needn't wait.
    pub fn release_chair(&mut self, meeting: i64, id: &str) -> Result<()> {
        self.write_one("DELETE FROM meeting_presence WHERE meeting_id = ?1 AND chair_id = ?2", params![meeting, id])?;
        Ok(())
    }

    /// Drafts are keyed by `screen`, who typed them where
    /// (`tui::screen_identity`), never by role: a change of chair moves
    /// nothing, and one screen's typing never overwrites another's.
    pub fn save_draft(
        &mut self,
        meeting: i64,
        screen: &str,
        kind: &str,
        target: &str,
        fields: &[String],
    ) -> Result<()> {
        let json = serde_json::to_string(fields).map_err(|e| crate::Error::invalid(e.to_string()))?;
        self.write_one(
            "INSERT OR REPLACE INTO drafts (meeting_id, screen, kind, target, fields, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![meeting, screen, kind, target, json, self.clock.stamp()],
        )?;
        Ok(())
    }

    /// (kind, target, field texts) of the draft a screen left unsaved.
    pub fn draft(&self, meeting: i64, screen: &str) -> Result<Option<(String, String, Vec<String>)>> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT kind, target, fields FROM drafts WHERE meeting_id = ?1 AND screen = ?2",
                params![meeting, screen],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.map(|(k, s, f)| (k, s, serde_json::from_str(&f).unwrap_or_default())))
    }

    pub fn clear_draft(&mut self, meeting: i64, screen: &str) -> Result<()> {
        self.write_one("DELETE FROM drafts WHERE meeting_id = ?1 AND screen = ?2", params![meeting, screen])?;
        Ok(())
    }

    /// Clears a screen's draft only if it still holds exactly this text: a
    /// screen closing its form never deletes words written there since (by
    /// the same person reopening qprm on the same terminal).
    pub fn clear_own_draft(
        &mut self,
        meeting: i64,
        screen: &str,
        kind: &str,
        target: &str,
        fields: &[String],
    ) -> Result<()> {
        let json = serde_json::to_string(fields).map_err(|e| crate::Error::invalid(e.to_string()))?;
        self.write_one(
            "DELETE FROM drafts WHERE meeting_id = ?1 AND screen = ?2 AND kind = ?3 AND target = ?4 AND fields = ?5",
            params![meeting, screen, kind, target, json],
        )?;
        Ok(())
    }
}
