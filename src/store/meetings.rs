//! Meetings: date, period reviewed, chair, attendance and the agenda (the
//! ordered services the chair steps through).

use super::{Store, now};
use crate::domain::Period;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

#[derive(Debug, Clone, Default)]
pub struct NewMeeting {
    pub date: Option<NaiveDate>,
    pub period: Option<Period>,
    pub chair: Option<String>,
    pub attendees: Vec<String>,
    pub apologies: Vec<String>,
    /// Service ids in agenda order; empty means every service in stored order.
    pub agenda: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingRecord {
    pub id: i64,
    pub date: String,
    pub period: String,
    pub chair: Option<String>,
    pub attendees: Vec<String>,
    pub apologies: Vec<String>,
    pub agenda: Vec<String>,
    pub decisions: i64,
    pub actions_raised: i64,
    pub created_at: String,
}

impl Store {
    pub fn create_meeting(&mut self, m: &NewMeeting) -> Result<MeetingRecord> {
        let (Some(date), Some(period)) = (m.date, m.period) else {
            return Err(Error::invalid("a meeting needs --date YYYY-MM-DD and --period YYYY-MM"));
        };
        let agenda = if m.agenda.is_empty() {
            self.services()?.into_iter().map(|s| s.id).collect()
        } else {
            for s in &m.agenda {
                self.require_service(s)?;
            }
            m.agenda.clone()
        };
        if agenda.is_empty() {
            return Err(Error::invalid("there are no services to put on the agenda: import a pack first"));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = agenda.iter().find(|s| !seen.insert(*s)) {
            return Err(Error::invalid(format!("service '{dup}' is on the agenda twice")));
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO meetings (date, period, chair, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![date.to_string(), period.to_string(), m.chair.as_deref().map(str::trim), now()],
        )?;
        let id = tx.last_insert_rowid();
        for (role, names) in [("attendee", &m.attendees), ("apology", &m.apologies)] {
            for (i, name) in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).enumerate() {
                tx.execute(
                    "INSERT INTO meeting_people (meeting_id, role, position, name) VALUES (?1, ?2, ?3, ?4)",
                    params![id, role, i, name],
                )?;
            }
        }
        for (i, s) in agenda.iter().enumerate() {
            tx.execute(
                "INSERT INTO agenda_items (meeting_id, position, service_id) VALUES (?1, ?2, ?3)",
                params![id, i, s],
            )?;
        }
        super::stamp(&tx)?;
        tx.commit()?;
        self.meeting(id)
    }

    pub fn meeting(&self, id: i64) -> Result<MeetingRecord> {
        let base = self
            .conn
            .query_row(
                "SELECT id, date, period, chair, created_at,
                   (SELECT count(*) FROM decisions d WHERE d.meeting_id = m.id),
                   (SELECT count(*) FROM actions a WHERE a.meeting_id = m.id)
                 FROM meetings m WHERE id = ?1",
                [id],
                |r| {
                    Ok(MeetingRecord {
                        id: r.get(0)?,
                        date: r.get(1)?,
                        period: r.get(2)?,
                        chair: r.get(3)?,
                        created_at: r.get(4)?,
                        decisions: r.get(5)?,
                        actions_raised: r.get(6)?,
                        attendees: Vec::new(),
                        apologies: Vec::new(),
                        agenda: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut m) = base else {
            return Err(Error::invalid(format!("no meeting with id {id}: see `qprm meeting list`")));
        };
        let mut stmt =
            self.conn.prepare("SELECT role, name FROM meeting_people WHERE meeting_id = ?1 ORDER BY role, position")?;
        for row in stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (role, name) = row?;
            if role == "attendee" { m.attendees.push(name) } else { m.apologies.push(name) }
        }
        let mut stmt =
            self.conn.prepare("SELECT service_id FROM agenda_items WHERE meeting_id = ?1 ORDER BY position")?;
        m.agenda = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(m)
    }

    /// Resolves what a user typed for MEETING: an id, or a date with one meeting.
    pub fn find_meeting(&self, key: &str) -> Result<MeetingRecord> {
        if let Ok(id) = key.trim().parse::<i64>() {
            return self.meeting(id);
        }
        let date = crate::domain::dates::parse_day(key)
            .map_err(|e| Error::invalid(format!("meeting: {e}, or give its id")))?;
        let mut stmt = self.conn.prepare("SELECT id FROM meetings WHERE date = ?1 ORDER BY id")?;
        let ids: Vec<i64> = stmt.query_map([date.to_string()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => self.meeting(*id),
            [] => Err(Error::invalid(format!("no meeting on {date}: see `qprm meeting list`"))),
            _ => Err(Error::invalid(format!("several meetings on {date} (ids {ids:?}); give the id instead"))),
        }
    }

    /// Meetings newest first, a page at a time.
    pub fn meetings(&self, limit: u32) -> Result<Vec<MeetingRecord>> {
        let mut stmt = self.conn.prepare("SELECT id FROM meetings ORDER BY date DESC, id DESC LIMIT ?1")?;
        let ids: Vec<i64> = stmt.query_map([limit], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.meeting(id)).collect()
    }

    pub fn latest_meeting(&self) -> Result<Option<MeetingRecord>> {
        Ok(self.meetings(1)?.into_iter().next())
    }
}
