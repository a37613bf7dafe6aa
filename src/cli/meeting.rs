//! `qprm meeting new|list|update|approve|reopen`, `qprm decision add` and
//! `qprm decisions`.

use super::table::Width::{Text, Upto, Whole};
use super::table::{Cell, Table};
use super::{Ctx, DecisionCommand, JsonStream, MeetingCommand};
use crate::domain::dates::parse_day;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::store::{AttendanceChange, DecisionFilter, MeetingRecord, NewMeeting};

/// "present: A; B · apologies: C · chair: D", for after a change.
fn attendance_line(m: &MeetingRecord) -> String {
    let list = |v: &[String], none: &str| if v.is_empty() { none.to_string() } else { v.join("; ") };
    clean(&format!(
        "present: {} · apologies: {} · chair: {}",
        list(&m.attendees, "—"),
        list(&m.apologies, "none"),
        m.chair.as_deref().unwrap_or("—")
    ))
}

pub fn run(ctx: &mut Ctx<'_>, cmd: MeetingCommand) -> Result<()> {
    match cmd {
        MeetingCommand::New { date, period, chair, attendees, apologies, services, json } => {
            let date = parse_day(&date).map_err(|e| Error::invalid(format!("--date: {e}")))?;
            let period = period.parse().map_err(|e| Error::invalid(format!("--period: {e}")))?;
            let mut store = ctx.open("cli")?;
            let m = store.create_meeting(&NewMeeting {
                date: Some(date),
                period: Some(period),
                chair,
                attendees,
                apologies,
                agenda: services,
            })?;
            if json {
                return ctx.json(&m);
            }
            ctx.line(m.id.to_string())?;
            eprintln!(
                "created meeting {} on {} reviewing {}, {} services on the agenda",
                m.id,
                m.date,
                m.period,
                m.agenda.len()
            );
            Ok(())
        }
        MeetingCommand::Update { meeting, attendees, apologies, remove, chair, json } => {
            let mut store = ctx.open_existing_for_writing()?;
            let m = store.find_meeting(&meeting)?;
            let change = AttendanceChange { present: attendees, apologies, remove, chair };
            let update = store.update_attendance(m.id, &change, ctx.now)?;
            if json {
                return ctx.json(&update.meeting);
            }
            for c in &update.changes {
                ctx.line(clean(&c.describe()))?;
            }
            for u in &update.unchanged {
                eprintln!("{}", clean(&format!("unchanged: {u}")));
            }
            let line = attendance_line(&update.meeting);
            ctx.line(format!("meeting {} ({}): {line}", update.meeting.id, update.meeting.date))
        }
        MeetingCommand::Approve { meeting, json } => {
            let mut store = ctx.open_existing_for_writing()?;
            let m = store.find_meeting(&meeting)?;
            let m = store.approve_meeting(m.id, ctx.today, ctx.now)?;
            if json {
                return ctx.json(&m);
            }
            ctx.line(format!(
                "approved the minutes of meeting {} ({}) at {}: its record is now locked (reopen with `qprm meeting reopen {} --note WHY`)",
                m.id,
                m.date,
                m.approved_at.as_deref().unwrap_or("—"),
                m.date
            ))
        }
        MeetingCommand::Reopen { meeting, note, json } => {
            let mut store = ctx.open_existing_for_writing()?;
            let m = store.find_meeting(&meeting)?;
            let m = store.reopen_meeting(m.id, &note, ctx.now)?;
            if json {
                return ctx.json(&m);
            }
            ctx.line(clean(&format!(
                "reopened meeting {} ({}): its record can change again; the reason is kept in its history: {}",
                m.id,
                m.date,
                note.trim()
            )))
        }
        MeetingCommand::List { limit, json } => {
            let store = ctx.open_existing()?;
            let meetings = store.meetings(limit)?;
            if json {
                return ctx.json(&meetings);
            }
            if meetings.is_empty() {
                return ctx
                    .line("no meetings yet: create one with `qprm meeting new --date YYYY-MM-DD --period YYYY-MM`");
            }
            let mut t = Table::new(&[
                ("id", Whole),
                ("date", Whole),
                ("period", Whole),
                ("chair", Text),
                ("agenda", Whole),
                ("decisions", Whole),
                ("actions", Whole),
                ("minutes", Upto(19)),
            ]);
            for m in &meetings {
                t.row(vec![
                    m.id.to_string().into(),
                    m.date.as_str().into(),
                    m.period.as_str().into(),
                    m.chair.as_deref().unwrap_or("").into(),
                    m.agenda.len().to_string().into(),
                    m.decisions.to_string().into(),
                    m.actions_raised.to_string().into(),
                    match &m.approved_at {
                        Some(at) => format!("approved {}", at.get(..10).unwrap_or(at)).into(),
                        None => "not approved".into(),
                    },
                ]);
            }
            ctx.table(&t)
        }
    }
}

pub fn decision(ctx: &mut Ctx<'_>, cmd: DecisionCommand) -> Result<()> {
    let DecisionCommand::Add { text, meeting, service, json } = cmd;
    let mut store = ctx.open_existing_for_writing()?;
    let m = store.find_meeting(&meeting)?;
    let d = store.record_decision(m.id, service.as_deref(), &text)?;
    if json {
        return ctx.json(&d);
    }
    ctx.line(d.id.to_string())?;
    eprintln!("recorded decision {} in meeting {} ({})", d.id, m.id, m.date);
    Ok(())
}

pub fn decisions(
    ctx: &mut Ctx<'_>,
    meeting: Option<String>,
    service: Option<String>,
    filter: DecisionFilter,
    json: bool,
) -> Result<()> {
    let store = ctx.open_existing()?;
    let meeting: Option<MeetingRecord> = meeting.map(|m| store.find_meeting(&m)).transpose()?;
    if let Some(s) = &service {
        store.require_service(s)?;
    }
    let filter = DecisionFilter { meeting: meeting.map(|m| m.id), service, ..filter };
    if json {
        let mut stream = JsonStream::begin(&mut *ctx.out)?;
        store.for_each_decision(&filter, |d| stream.item(&d))?;
        return stream.end();
    }
    let mut t =
        Table::new(&[("id", Whole), ("meeting", Whole), ("period", Whole), ("service", Upto(22)), ("decision", Text)]);
    store.for_each_decision(&filter, |d| {
        t.row(vec![
            d.id.to_string().into(),
            d.meeting_date.as_str().into(),
            d.period.as_str().into(),
            d.service.as_deref().unwrap_or("—").into(),
            Cell::from(if d.status == crate::domain::DecisionStatus::Recorded {
                d.text.clone()
            } else {
                format!("[{}] {}", d.status, d.text)
            }),
        ]);
        Ok(())
    })?;
    if t.is_empty() {
        return ctx.line("no decisions recorded for that filter");
    }
    ctx.table(&t)?;
    Ok(())
}
