//! Meetings: date, period reviewed, chair, attendance and the agenda (the
//! ordered services the chair steps through); attendance as it really was
//! and the agreement of the minutes, each change kept in `meeting_history`.
//! An approved meeting's record is locked: `refuse_if_approved` is the one
//! check every write to a meeting's record makes, inside its transaction.

use super::{Store, timestamp};
use crate::domain::Period;
use crate::domain::names::fold;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

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
    /// When the minutes were agreed (UTC, RFC 3339), or null.
    pub approved_at: Option<String>,
    /// Which actor recorded the agreement (`cli`, `chair`…), or null.
    pub approved_by: Option<String>,
}

/// One change to a meeting's own record, oldest first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingHistoryEntry {
    pub at: String,
    pub actor: String,
    /// `attendance`, `chair` or `minutes`.
    pub field: String,
    /// The person, for attendance.
    pub subject: Option<String>,
    /// attendance: `present`, `apologies` or null (not recorded);
    /// chair: the names; minutes: `not_approved`, `approved`, `reopened`.
    pub old: Option<String>,
    pub new: Option<String>,
    pub note: Option<String>,
}

impl MeetingHistoryEntry {
    /// The change in words ("Ann Smith: apologies → present").
    pub fn describe(&self) -> String {
        let word = |s: &Option<String>| s.as_deref().unwrap_or("—").replace('_', " ");
        let what = match (self.field.as_str(), self.subject.as_deref()) {
            ("attendance", Some(who)) => match (&self.old, &self.new) {
                (None, Some(new)) => format!("{who}: added as {new}"),
                (Some(old), None) => format!("{who}: removed (was {old})"),
                _ => format!("{who}: {} → {}", word(&self.old), word(&self.new)),
            },
            ("minutes", _) => format!("minutes {}", word(&self.new)),
            (field, _) => format!("{field}: {} → {}", word(&self.old), word(&self.new)),
        };
        match self.note.as_deref() {
            Some(n) => format!("{what} ({n})"),
            None => what,
        }
    }
}

/// Attendance as it really was. Names are matched ignoring case and
/// spacing; a name listed as present that is recorded as an apology (or the
/// other way round) moves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttendanceChange {
    pub present: Vec<String>,
    pub apologies: Vec<String>,
    pub remove: Vec<String>,
    pub chair: Option<String>,
}

impl AttendanceChange {
    /// The change that puts attendance back from `after` to `before`, as
    /// the screen's `u` takes an attendance change back; `None` when the
    /// two lists already agree.
    pub fn restoring(before: &MeetingRecord, after: &MeetingRecord) -> Option<AttendanceChange> {
        let has = |list: &[String], n: &str| list.iter().any(|o| fold(o) == fold(n));
        let mut back = AttendanceChange::default();
        for n in after.attendees.iter().filter(|n| !has(&before.attendees, n)) {
            if has(&before.apologies, n) { &mut back.apologies } else { &mut back.remove }.push(n.clone());
        }
        for n in after.apologies.iter().filter(|n| !has(&before.apologies, n)) {
            if has(&before.attendees, n) { &mut back.present } else { &mut back.remove }.push(n.clone());
        }
        let gone = |n: &&String| !has(&after.attendees, n) && !has(&after.apologies, n);
        back.present.extend(before.attendees.iter().filter(gone).cloned());
        back.apologies.extend(before.apologies.iter().filter(gone).cloned());
        if before.chair != after.chair {
            back.chair = before.chair.clone();
        }
        let nothing = back.present.is_empty() && back.apologies.is_empty() && back.remove.is_empty();
        (!nothing || back.chair.is_some()).then_some(back)
    }
}

impl MeetingRecord {
    /// The same people present and sending apologies as `other`, ignoring
    /// case and spacing.
    pub fn same_attendance(&self, other: &MeetingRecord) -> bool {
        let folded = |l: &[String]| {
            let mut v: Vec<String> = l.iter().map(|n| fold(n)).collect();
            v.sort();
            v
        };
        folded(&self.attendees) == folded(&other.attendees) && folded(&self.apologies) == folded(&other.apologies)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceUpdate {
    pub meeting: MeetingRecord,
    /// What changed, as recorded in the meeting's history.
    pub changes: Vec<MeetingHistoryEntry>,
    /// Names given that were already recorded that way.
    pub unchanged: Vec<String>,
}

/// Refuses a write to a meeting whose minutes were approved. Run inside the
/// write's transaction, so an approval committed meanwhile is seen.
pub(super) fn refuse_if_approved(conn: &Connection, meeting: i64) -> Result<()> {
    let row: Option<(String, Option<String>)> = conn
        .query_row("SELECT date, approved_at FROM meetings WHERE id = ?1", [meeting], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((date, Some(at))) => {
            Err(Error::MeetingApproved { meeting, date, approved_on: at.get(..10).unwrap_or(&at).to_string() })
        }
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn meeting_history_row(
    conn: &Connection,
    meeting: i64,
    at: &str,
    actor: &str,
    field: &str,
    subject: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
    note: Option<&str>,
) -> Result<MeetingHistoryEntry> {
    conn.execute(
        "INSERT INTO meeting_history (meeting_id, at, actor, field, subject, old, new, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![meeting, at, actor, field, subject, old, new, note],
    )?;
    let own = |s: Option<&str>| s.map(str::to_string);
    Ok(MeetingHistoryEntry {
        at: at.to_string(),
        actor: actor.to_string(),
        field: field.to_string(),
        subject: own(subject),
        old: own(old),
        new: own(new),
        note: own(note),
    })
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
            params![date.to_string(), period.to_string(), m.chair.as_deref().map(str::trim), self.clock.stamp()],
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
                   (SELECT count(*) FROM actions a WHERE a.meeting_id = m.id),
                   approved_at, approved_by
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
                        approved_at: r.get(7)?,
                        approved_by: r.get(8)?,
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

    /// The meeting held before this one (by date, then id), if any.
    pub fn previous_meeting(&self, meeting: &MeetingRecord) -> Result<Option<MeetingRecord>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM meetings WHERE date < ?1 OR (date = ?1 AND id < ?2) ORDER BY date DESC, id DESC LIMIT 1",
                params![meeting.date, meeting.id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.meeting(id)).transpose()
    }

    /// Every change to a meeting's own record, oldest first.
    pub fn meeting_history(&self, meeting: i64) -> Result<Vec<MeetingHistoryEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT at, actor, field, subject, old, new, note FROM meeting_history WHERE meeting_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok(MeetingHistoryEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                field: r.get(2)?,
                subject: r.get(3)?,
                old: r.get(4)?,
                new: r.get(5)?,
                note: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records attendance as it really was: late arrivals, apologies sent
    /// on the day, a name removed, a new chair. All or nothing: a name to
    /// remove that is not recorded, or one named twice, changes nothing.
    pub fn update_attendance(
        &mut self,
        meeting: i64,
        change: &AttendanceChange,
        now: DateTime<Utc>,
    ) -> Result<AttendanceUpdate> {
        let m = self.meeting(meeting)?;
        let trimmed = |names: &[String]| -> Result<Vec<String>> {
            let mut out: Vec<String> = Vec::new();
            for n in names {
                let n = crate::domain::names::tidy(n);
                if n.is_empty() {
                    return Err(Error::invalid("a name cannot be empty"));
                }
                if !out.iter().any(|o| fold(o) == fold(&n)) {
                    out.push(n);
                }
            }
            Ok(out)
        };
        let (present, apologies, remove) =
            (trimmed(&change.present)?, trimmed(&change.apologies)?, trimmed(&change.remove)?);
        let lists = [("present", &present), ("apologies", &apologies), ("removed", &remove)];
        for (i, (a_word, a)) in lists.iter().enumerate() {
            for (b_word, b) in &lists[i + 1..] {
                if let Some(n) = a.iter().find(|n| b.iter().any(|o| fold(o) == fold(n))) {
                    return Err(Error::invalid(format!(
                        "{} is named as both {a_word} and {b_word}: say which",
                        crate::domain::sanitize::clean(n)
                    )));
                }
            }
        }
        let chair = match change.chair.as_deref().map(str::trim) {
            Some("") => return Err(Error::invalid("the chair's name cannot be empty")),
            other => other.map(str::to_string),
        };
        if present.is_empty() && apologies.is_empty() && remove.is_empty() && chair.is_none() {
            return Err(Error::invalid(
                "nothing to change: name someone present, an apology, a name to remove or a chair",
            ));
        }
        let actor = self.actor.clone();
        let at = timestamp(now);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        refuse_if_approved(&tx, meeting)?;
        // Read inside the transaction: another screen may have just added someone.
        let mut people: Vec<(String, String)> = {
            let mut stmt =
                tx.prepare("SELECT role, name FROM meeting_people WHERE meeting_id = ?1 ORDER BY role, position")?;
            stmt.query_map([meeting], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let word = |role: &str| if role == "attendee" { "present" } else { "apologies" };
        let mut changes = Vec::new();
        let mut unchanged = Vec::new();
        for name in &remove {
            let Some(i) = people.iter().position(|(_, n)| fold(n) == fold(name)) else {
                let of = |role: &str| people.iter().filter(|(r, _)| r == role).map(|(_, n)| n.clone()).collect();
                return Err(Error::NotInAttendance {
                    date: m.date.clone(),
                    name: name.clone(),
                    present: of("attendee"),
                    apologies: of("apology"),
                });
            };
            let (role, stored) = people.remove(i);
            tx.execute(
                "DELETE FROM meeting_people WHERE meeting_id = ?1 AND role = ?2 AND name = ?3",
                params![meeting, role, stored],
            )?;
            changes.push(meeting_history_row(
                &tx,
                meeting,
                &at,
                &actor,
                "attendance",
                Some(&stored),
                Some(word(&role)),
                None,
                None,
            )?);
        }
        for (role, names) in [("attendee", &present), ("apology", &apologies)] {
            for name in names {
                let found = people.iter().position(|(_, n)| fold(n) == fold(name));
                let mut old_role = None;
                // A name that moves keeps the spelling it was recorded with.
                let mut name = name.clone();
                if let Some(i) = found {
                    if people[i].0 == role {
                        unchanged.push(format!("{} (already {})", people[i].1, word(role)));
                        continue;
                    }
                    let (was, stored) = people.remove(i);
                    tx.execute(
                        "DELETE FROM meeting_people WHERE meeting_id = ?1 AND role = ?2 AND name = ?3",
                        params![meeting, was, stored],
                    )?;
                    old_role = Some(was);
                    name = stored;
                }
                // Listed last: late arrivals after those there from the start.
                tx.execute(
                    "INSERT INTO meeting_people (meeting_id, role, position, name)
                     VALUES (?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM meeting_people WHERE meeting_id = ?1 AND role = ?2), ?3)",
                    params![meeting, role, name],
                )?;
                changes.push(meeting_history_row(
                    &tx,
                    meeting,
                    &at,
                    &actor,
                    "attendance",
                    Some(&name),
                    old_role.as_deref().map(word),
                    Some(word(role)),
                    None,
                )?);
                people.push((role.to_string(), name));
            }
        }
        if let Some(chair) = chair {
            if m.chair.as_deref().map(fold) == Some(fold(&chair)) {
                unchanged.push(format!("{chair} (already the chair)"));
            } else {
                tx.execute("UPDATE meetings SET chair = ?2 WHERE id = ?1", params![meeting, chair])?;
                changes.push(meeting_history_row(
                    &tx,
                    meeting,
                    &at,
                    &actor,
                    "chair",
                    None,
                    m.chair.as_deref(),
                    Some(&chair),
                    None,
                )?);
            }
        }
        if changes.is_empty() {
            // Nothing written: the transaction rolls back on drop.
            return Err(Error::invalid(format!(
                "nothing to change at the meeting of {}: {}",
                m.date,
                crate::domain::sanitize::clean(&unchanged.join("; "))
            )));
        }
        super::stamp(&tx)?;
        tx.commit()?;
        Ok(AttendanceUpdate { meeting: self.meeting(meeting)?, changes, unchanged })
    }

    /// Records that the minutes were agreed, when and by this store's
    /// actor; the meeting's record is then locked. A meeting that has not
    /// happened yet (after `today`) cannot have agreed minutes.
    pub fn approve_meeting(&mut self, meeting: i64, today: NaiveDate, now: DateTime<Utc>) -> Result<MeetingRecord> {
        let m = self.meeting(meeting)?;
        if m.date > today.to_string() {
            return Err(Error::invalid(format!(
                "the meeting of {} has not happened yet (today is {today}): its minutes cannot be approved before it",
                m.date
            )));
        }
        let actor = self.actor.clone();
        let at = timestamp(now);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (approved_at, approved_by): (Option<String>, Option<String>) =
            tx.query_row("SELECT approved_at, approved_by FROM meetings WHERE id = ?1", [meeting], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if let Some(when) = approved_at {
            return Err(Error::AlreadyApproved {
                meeting,
                date: m.date,
                approved_on: when.get(..10).unwrap_or(&when).to_string(),
                by: approved_by.unwrap_or_else(|| "unknown".into()),
            });
        }
        let was: Option<String> = tx
            .query_row(
                "SELECT new FROM meeting_history WHERE meeting_id = ?1 AND field = 'minutes' ORDER BY id DESC LIMIT 1",
                [meeting],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "UPDATE meetings SET approved_at = ?2, approved_by = ?3 WHERE id = ?1",
            params![meeting, at, actor],
        )?;
        let was = was.unwrap_or_else(|| "not_approved".into());
        meeting_history_row(&tx, meeting, &at, &actor, "minutes", None, Some(&was), Some("approved"), None)?;
        super::stamp(&tx)?;
        tx.commit()?;
        self.meeting(meeting)
    }

    /// Unlocks an approved meeting's record; the reason is kept in its history.
    pub fn reopen_meeting(&mut self, meeting: i64, reason: &str, now: DateTime<Utc>) -> Result<MeetingRecord> {
        let m = self.meeting(meeting)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reopening approved minutes needs a reason: say why they must change"));
        }
        let actor = self.actor.clone();
        let at = timestamp(now);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let approved: Option<String> =
            tx.query_row("SELECT approved_at FROM meetings WHERE id = ?1", [meeting], |r| r.get(0))?;
        if approved.is_none() {
            return Err(Error::NotApproved { meeting, date: m.date });
        }
        tx.execute("UPDATE meetings SET approved_at = NULL, approved_by = NULL WHERE id = ?1", [meeting])?;
        meeting_history_row(
            &tx,
            meeting,
            &at,
            &actor,
            "minutes",
            None,
            Some("approved"),
            Some("reopened"),
            Some(reason),
        )?;
        super::stamp(&tx)?;
        tx.commit()?;
        self.meeting(meeting)
    }
}
