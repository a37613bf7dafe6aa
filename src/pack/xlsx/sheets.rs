//! The workbook's layout, shared by the reader and the writer: the sheet
//! names and, for each, the header names (the pack format's own keys) with
//! those that must be present. `Read me` holds the pack's top-level keys as
//! `key | value` rows above its instructions.

pub(super) struct Sheet {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub required: &'static [&'static str],
}

pub(super) const README: &str = "Read me";

/// The `Read me` keys, in the order they are written; `format` and
/// `period` must be there.
pub(super) const README_KEYS: &[&str] =
    &["format", "period", "organisation", "good_or_better_pct", "family_feedback_pct"];

/// The services table in `Read me`: the ids the drop-down lists offer, with
/// the name and Head of Service of each.
pub(super) static README_SERVICES: Sheet =
    Sheet { name: README, columns: &["service", "name", "head"], required: &["service", "name", "head"] };

pub(super) static DATA: Sheet = Sheet {
    name: "Data",
    columns: &["service", "indicator", "name", "unit", "polarity", "baseline", "target", "previous", "value", "note"],
    required: &["service", "indicator", "value"],
};

pub(super) static AUDITS: Sheet = Sheet {
    name: "Audits",
    columns: &[
        "service",
        "completed",
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
        "with_family_feedback",
    ],
    required: &[
        "service",
        "completed",
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
        "with_family_feedback",
    ],
};

pub(super) static FINDINGS: Sheet = Sheet {
    name: "Findings",
    columns: &["service", "kind", "theme", "text"],
    required: &["service", "kind", "theme", "text"],
};

pub(super) static FEEDBACK: Sheet = Sheet {
    name: "Feedback",
    columns: &["service", "source", "theme", "count", "sentiment", "quotes"],
    required: &["service", "source", "theme", "count", "sentiment"],
};

/// `source` and `indicator` are the JSON action's optional keys: written by
/// export so an action's plan reference survives the round trip.
pub(super) static ACTIONS: Sheet = Sheet {
    name: "Actions",
    columns: &["ref", "text", "owner", "service", "due", "status", "source", "indicator"],
    required: &["ref", "text", "owner", "due"],
};

/// Every data sheet, in workbook order (after `Read me`).
pub(super) static TABLES: [&Sheet; 5] = [&DATA, &AUDITS, &FINDINGS, &FEEDBACK, &ACTIONS];

/// Every sheet name, for messages and the nearest-name hint.
pub(super) const ALL_SHEETS: [&str; 6] = [README, "Data", "Audits", "Findings", "Feedback", "Actions"];

/// `Data!I14` for a zero-based (row, column).
pub(super) fn cell_name(sheet: &str, row: u32, col: u32) -> String {
    format!("{}!{}{}", sheet_ref(sheet), column_letters(col), row + 1)
}

/// A sheet as a formula names it: quoted when it has a space.
pub(super) fn sheet_ref(sheet: &str) -> String {
    if sheet.contains(' ') { format!("'{sheet}'") } else { sheet.to_string() }
}

pub(super) fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.iter().rev().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name("Data", 13, 8), "Data!I14");
        assert_eq!(cell_name("Read me", 1, 1), "'Read me'!B2");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }
}
