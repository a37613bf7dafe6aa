//! `qprm action add|update|show` and `qprm actions`, the action log.

use super::table::Width::{Text, Upto, Whole};
use super::table::{Cell, Table};
use super::{ActionCommand, ActionsArgs, Ctx, JsonStream, parse_status_filter};
use crate::domain::ActionStatus;
use crate::domain::dates::parse_due;
use crate::domain::history::{Change, describe_change};
use crate::domain::names;
use crate::domain::sanitize::{clean, clean_multiline};
use crate::error::{Error, Result};
use crate::store::{ActionChange, ActionFilter, ActionRecord, NewAction, Store};

fn meeting_id(store: &Store, key: Option<&str>) -> Result<Option<i64>> {
    key.map(|k| store.find_meeting(k).map(|m| m.id)).transpose()
}

pub fn run(ctx: &mut Ctx<'_>, cmd: ActionCommand) -> Result<()> {
    match cmd {
        ActionCommand::Add { text, owner, due, service, meeting, indicator, json } => {
            let due = parse_due(&due, ctx.today).map_err(|e| Error::invalid(format!("--due: {e}")))?;
            let mut store = ctx.open_existing_for_writing()?;
            let meeting = meeting_id(&store, meeting.as_deref())?;
            if let Some(code) = &indicator {
                store.kpi_series(code)?;
            }
            let question = owner_question(&store, &owner)?;
            let a = store.record_action(&NewAction { text, owner, due: Some(due), service, meeting, indicator })?;
            warn_new_owner(question, &a.reference);
            if json {
                return ctx.json(&a);
            }
            ctx.line(&a.reference)?;
            eprintln!(
                "{}",
                clean(&format!("recorded action {}: {} (owner {}, due {})", a.reference, a.text, a.owner, a.due))
            );
            Ok(())
        }
        ActionCommand::Update { reference, status, due, owner, text, note, meeting, json } => {
            let status = status
                .map(|s| {
                    ActionStatus::parse(&s).ok_or_else(|| {
                        Error::invalid(format!("--status: '{}' is not one of {}", clean(&s), ActionStatus::choices()))
                    })
                })
                .transpose()?;
            let due =
                due.map(|d| parse_due(&d, ctx.today).map_err(|e| Error::invalid(format!("--due: {e}")))).transpose()?;
            let mut store = ctx.open_existing_for_writing()?;
            let meeting = meeting_id(&store, meeting.as_deref())?;
            let question = owner.as_deref().map(|o| owner_question(&store, o)).transpose()?.flatten();
            let a = store.update_action(&reference, &ActionChange { status, due, owner, text, note, meeting })?;
            warn_new_owner(question, &a.reference);
            if json {
                return ctx.json(&a);
            }
            ctx.line(clean(&format!(
                "updated {}: {} · {} · due {} · {}",
                a.reference, a.status, a.owner, a.due, a.text
            )))
        }
        ActionCommand::Show { reference, json } => {
            let store = ctx.open_existing()?;
            let a = store.action_with_history(&reference, ctx.today)?;
            if json {
                return ctx.json(&a);
            }
            show(ctx, &a)
        }
    }
}

/// A new owner close to a known one, as (typed, known), asked before the
/// write (after it, the new owner is known). The action is still recorded
/// as typed: the command line cannot ask, and refusing would lose a
/// script's work, so it warns instead.
fn owner_question(store: &Store, typed: &str) -> Result<Option<(String, String)>> {
    let owners = store.owners()?;
    Ok(names::nearest_known(typed, owners.iter().map(String::as_str)).map(|k| (names::tidy(typed), k.to_string())))
}

/// One line on stderr naming the nearest known owner and how to take it;
/// the exit code stays 0, because the action was recorded as asked.
fn warn_new_owner(question: Option<(String, String)>, reference: &str) {
    if let Some((typed, known)) = question {
        eprintln!(
            "{}",
            clean(&format!(
                "warning: no owner \"{typed}\" yet; did you mean \"{known}\"? Recorded as typed; to change it: qprm action update {reference} --owner \"{known}\""
            ))
        );
    }
}

fn show(ctx: &mut Ctx<'_>, a: &ActionRecord) -> Result<()> {
    let overdue = if a.overdue { "  OVERDUE" } else { "" };
    ctx.line(clean(&format!("{}  {}{overdue}", a.reference, a.status)))?;
    ctx.line(clean_multiline(&a.text).lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"))?;
    let fields = [
        ("owner", Some(a.owner.clone())),
        ("due", Some(a.due.clone())),
        ("service", a.service.clone()),
        ("meeting", a.meeting.map(|m| m.to_string())),
        ("indicator", a.indicator.clone()),
        ("source", a.source.clone()),
        ("created", Some(a.created_at.clone())),
        ("updated", Some(a.updated_at.clone())),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            ctx.line(format!("{k:>10}: {}", clean(&v)))?;
        }
    }
    ctx.line("")?;
    ctx.line("history")?;
    let mut t = Table::new(&[("when", Whole), ("who", Upto(24)), ("change", Text), ("note", Upto(40))]);
    for h in a.history.iter().flatten() {
        // The note has a column of its own.
        let change = describe_change(&Change { note: None, ..h.as_change() });
        let who = match h.meeting {
            Some(m) => format!("{} (meeting {m})", h.actor),
            None => h.actor.clone(),
        };
        t.row(vec![h.at.as_str().into(), who.into(), change.into(), h.note.as_deref().unwrap_or("").into()]);
    }
    ctx.table(&t)
}

pub fn list(ctx: &mut Ctx<'_>, args: &ActionsArgs) -> Result<()> {
    let status = parse_status_filter(args.status.as_deref())?;
    let due_before = args
        .due_before
        .as_deref()
        .map(|d| parse_due(d, ctx.today).map_err(|e| Error::invalid(format!("--due-before: {e}"))))
        .transpose()?;
    let store = ctx.open_existing()?;
    if let Some(s) = &args.service {
        store.require_service(s)?;
    }
    let filter = ActionFilter {
        owner: args.owner.clone(),
        service: args.service.clone(),
        status,
        due_before,
        today: ctx.today,
        limit: args.limit,
    };
    if args.json {
        let mut stream = JsonStream::begin(&mut *ctx.out)?;
        store.for_each_action(&filter, |a| stream.item(&a))?;
        return stream.end();
    }
    let mut t = Table::new(&[
        ("ref", Whole),
        ("status", Whole),
        ("due", Whole),
        ("owner", Upto(36)),
        ("service", Upto(22)),
        ("action", Text),
    ]);
    let mut overdue = 0;
    let n = store.for_each_action(&filter, |a| {
        overdue += usize::from(a.overdue);
        let (status, colour) =
            if a.overdue { ("OVERDUE".to_string(), Some("1;31")) } else { (a.status.to_string(), None) };
        t.row(vec![
            a.reference.as_str().into(),
            Cell::coloured(&status, colour),
            a.due.as_str().into(),
            a.owner.as_str().into(),
            a.service.as_deref().unwrap_or("—").into(),
            a.text.as_str().into(),
        ]);
        Ok(())
    })?;
    if n == 0 {
        return ctx.line(format!("no {status} actions match"));
    }
    ctx.table(&t)?;
    ctx.line(format!("{n} action(s), {overdue} overdue (today is {})", ctx.today))
}
