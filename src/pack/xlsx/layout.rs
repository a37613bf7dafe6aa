//! A sheet's layout: the `key | value` rows at the top of `Read me` and its
//! `service | name | head` table further down, and a data sheet's header row (names checked against the pack's keys, with the
//! nearest for a slip, a renamed required column said as such) with its
//! rows gathered under those names.

use super::cells::{Placed, Row, Table, Value};
use super::sheets::{README, README_KEYS, README_SERVICES, Sheet, cell_name};
use crate::domain::nearest::nearest;
use crate::pack::read::quoted;

/// `Read me`'s services: the rows under a `service | name | head` header
/// row, down to the first empty row, as a table of those three columns.
/// A service listed here is named (and its Head given) by the workbook.
pub(super) fn readme_services(cells: &[Placed]) -> Table {
    let columns = vec![("service", 0), ("name", 1), ("head", 2)];
    let text = |row: u32, col: u32| {
        cells.iter().find(|((r, c), _)| (*r, *c) == (row, col)).and_then(|(_, v)| match v {
            Value::Text(s) => Some(s.trim()),
            _ => None,
        })
    };
    let header = cells.iter().map(|((r, _), _)| *r).find(|r| {
        *r > 0 && text(*r, 0) == Some("service") && text(*r, 1) == Some("name") && text(*r, 2) == Some("head")
    });
    let mut rows: Vec<Row> = Vec::new();
    if let Some(h) = header {
        for ((row, col), v) in cells.iter().filter(|((r, c), _)| *r > h && *c < 3) {
            let expected = rows.last().map_or(h + 1, |r| r.index + 1);
            match rows.last_mut().filter(|r| r.index == *row) {
                Some(r) => r.cells.push((columns[*col as usize].0, *col, v.clone())),
                None if *row <= expected => {
                    rows.push(Row { index: *row, cells: vec![(columns[*col as usize].0, *col, v.clone())] })
                }
                None => break,
            }
        }
    }
    Table { sheet: &README_SERVICES, columns, rows }
}

/// `Read me`: `key | value` rows from the top down to the first row
/// whose first cell is empty; the instructions below are for people.
pub(super) fn readme_rows(
    label: &str,
    cells: Vec<Placed>,
    problems: &mut Vec<String>,
) -> Vec<(String, u32, Option<Value>)> {
    let mut out: Vec<(String, u32, Option<Value>)> = Vec::new();
    let mut expect = 0;
    for ((row, col), v) in cells {
        if row > expect {
            break;
        }
        match (col, v) {
            (0, Value::Text(key)) => {
                let key = key.trim().to_string();
                if !README_KEYS.contains(&key.as_str()) {
                    let hint = nearest(&key, README_KEYS.iter().copied()).map_or_else(
                        || format!("the keys are {}", README_KEYS.join(", ")),
                        |k| format!("did you mean \"{k}\"?"),
                    );
                    problems.push(format!(
                        "{label}: {}: unknown key {}: {hint}",
                        cell_name(README, row, 0),
                        quoted(&key)
                    ));
                }
                out.push((key, row, None));
                expect = row + 1;
            }
            (0, _) => break,
            (1, v) => {
                if let Some(last) = out.last_mut().filter(|(_, r, _)| *r == row) {
                    last.2 = Some(v);
                }
            }
            _ => {}
        }
    }
    out
}

/// A data sheet's header checked and its rows gathered.
pub(super) fn table(
    label: &str,
    sheet: &'static Sheet,
    cells: Vec<Placed>,
    problems: &mut Vec<String>,
) -> Option<Table> {
    let before = problems.len();
    let mut columns: Vec<(&'static str, u32)> = Vec::new();
    let mut unknown: Vec<(String, String)> = Vec::new();
    let mut unnamed: Vec<u32> = Vec::new();
    let (header, body): (Vec<_>, Vec<_>) = cells.into_iter().partition(|((row, _), _)| *row == 0);
    for ((_, col), v) in header {
        let here = cell_name(sheet.name, 0, col);
        unnamed.push(col);
        let Value::Text(name) = &v else {
            problems
                .push(format!("{label}: {here}: a header must be a column name, one of {}", sheet.columns.join(", ")));
            continue;
        };
        let name = name.trim();
        match sheet.columns.iter().find(|c| **c == name) {
            Some(key) if columns.iter().any(|(k, _)| k == key) => {
                problems.push(format!("{label}: {here}: column {} appears twice: keep one", quoted(name)));
            }
            Some(key) => {
                unnamed.pop();
                columns.push((key, col));
            }
            None => unknown.push((here, name.to_string())),
        }
    }
    let missing: Vec<&str> =
        sheet.required.iter().copied().filter(|want| !columns.iter().any(|(k, _)| k == want)).collect();
    for (here, name) in &unknown {
        let hint = match (nearest(name, sheet.columns.iter().copied()), missing.as_slice()) {
            (Some(c), _) => format!("did you mean \"{c}\"?"),
            (None, [only]) if unknown.len() == 1 => {
                format!("is it \"{only}\", renamed? The {} sheet needs a \"{only}\" column", sheet.name)
            }
            _ => format!("the {} sheet's columns are {}", sheet.name, sheet.columns.join(", ")),
        };
        problems.push(format!("{label}: {here}: unknown column {}: {hint}", quoted(name)));
    }
    if unknown.is_empty() && !missing.is_empty() && problems.len() == before {
        problems.push(format!(
            "{label}: {}: no column \"{}\" in the header row (row 1): it needs {}",
            sheet.name,
            missing[0],
            sheet.required.join(", ")
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    for ((row, col), v) in body {
        let Some((key, _)) = columns.iter().find(|(_, c)| *c == col) else {
            if !unnamed.contains(&col) {
                problems.push(format!(
                    "{label}: {}: a value in a column without a header: name the column or clear it",
                    cell_name(sheet.name, row, col)
                ));
                unnamed.push(col);
            }
            continue;
        };
        match rows.last_mut().filter(|r| r.index == row) {
            Some(r) => r.cells.push((key, col, v)),
            None => rows.push(Row { index: row, cells: vec![(key, col, v)] }),
        }
    }
    (problems.len() == before).then_some(Table { sheet, columns, rows })
}
