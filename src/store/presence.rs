//! Live meetings: which instance chairs a meeting and where it is. The
//! chair's position lives in the database so `--follow` screens in other
//! processes move with it and a restarted chair resumes where it was. A
//! chair that stops sending heartbeats (crashed, laptop closed) is stale
//! after `STALE_SECS`, and the next editing instance takes over.

use super::Store;
use crate::error::Result;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

pub const STALE_SECS: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub agenda_index: usize,
    pub section: usize,
    pub on_overview: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Presence {
    pub chair_id: String,
    pub chair_label: String,
    pub heartbeat_at: i64,
    pub position: Position,
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Store {
    pub fn presence(&self, meeting: i64) -> Result<Option<Presence>> {
        Ok(self
            .conn
            .query_row(
                "SELECT chair_id, chair_label, heartbeat_at, agenda_index, section, on_overview FROM meeting_presence WHERE meeting_id = ?1",
                [meeting],
                |r| {
                    Ok(Presence {
                        chair_id: r.get(0)?,
                        chair_label: r.get(1)?,
                        heartbeat_at: r.get(2)?,
                        position: Position {
                            agenda_index: r.get::<_, i64>(3)?.max(0) as usize,
                            section: r.get::<_, i64>(4)?.clamp(0, 4) as usize,
                            on_overview: r.get(5)?,
                        },
                    })
                },
            )
            .optional()?)
    }

    /// Becomes the chair if there is none, the current one is stale, or
    /// `force` (the `--chair` flag). Returns whether this instance is chair,
    /// and the presence row as it now stands.
    pub fn claim_chair(
        &mut self,
        meeting: i64,
        id: &str,
        label: &str,
        force: bool,
    ) -> Result<(bool, Option<Presence>)> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = unix_now();
        let current: Option<(String, i64)> = tx
            .query_row("SELECT chair_id, heartbeat_at FROM meeting_presence WHERE meeting_id = ?1", [meeting], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let take = match &current {
            None => true,
            Some((chair, beat)) => force || chair == id || now - beat > STALE_SECS,
        };
        if take {
            tx.execute(
                "INSERT INTO meeting_presence (meeting_id, chair_id, chair_label, heartbeat_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (meeting_id) DO UPDATE SET chair_id = ?2, chair_label = ?3, heartbeat_at = ?4",
                params![meeting, id, label, now],
            )?;
        }
        super::stamp(&tx)?;
        tx.commit()?;
        Ok((take, self.presence(meeting)?))
    }

    /// The chair's heartbeat and position; a no-op unless `id` is the chair.
    pub fn publish_position(&mut self, meeting: i64, id: &str, pos: Position) -> Result<bool> {
        let n = self.write_one(
            "UPDATE meeting_presence SET heartbeat_at = ?3, agenda_index = ?4, section = ?5, on_overview = ?6
             WHERE meeting_id = ?1 AND chair_id = ?2",
            params![meeting, id, unix_now(), pos.agenda_index as i64, pos.section as i64, pos.on_overview],
        )?;
        Ok(n == 1)
    }

    /// Gives up the chair on a clean exit, so the next instance needn't wait.
    pub fn release_chair(&mut self, meeting: i64, id: &str) -> Result<()> {
        self.write_one("DELETE FROM meeting_presence WHERE meeting_id = ?1 AND chair_id = ?2", params![meeting, id])?;
        Ok(())
    }

    pub fn save_draft(&mut self, meeting: i64, role: &str, kind: &str, target: &str, fields: &[String]) -> Result<()> {
        let json = serde_json::to_string(fields).map_err(|e| crate::Error::invalid(e.to_string()))?;
        self.write_one(
            "INSERT OR REPLACE INTO drafts (meeting_id, role, kind, target, fields, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![meeting, role, kind, target, json, super::now()],
        )?;
        Ok(())
    }

    /// (kind, target, field texts) of the draft a role left unsaved.
    pub fn draft(&self, meeting: i64, role: &str) -> Result<Option<(String, String, Vec<String>)>> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT kind, target, fields FROM drafts WHERE meeting_id = ?1 AND role = ?2",
                params![meeting, role],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.map(|(k, s, f)| (k, s, serde_json::from_str(&f).unwrap_or_default())))
    }

    pub fn clear_draft(&mut self, meeting: i64, role: &str) -> Result<()> {
        self.write_one("DELETE FROM drafts WHERE meeting_id = ?1 AND role = ?2", params![meeting, role])?;
        Ok(())
    }
}
