//! Names of people and roles (action owners, attendees): when two spellings
//! are the same name, and which known name a new one is close enough to be
//! questioned ("Corprate Parenting" → "Head of Service, Corporate
//! Parenting"). The store decides identity with `fold`; the CLI and the
//! screen ask with `nearest_known`.

use super::nearest::distance;

/// A name as stored: trimmed, each run of whitespace one space, case kept.
/// Spacing carries no meaning in a name, so it is not part of its spelling.
pub fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form two names are compared in: `tidy`, then lower-cased (Unicode),
/// so " corporate  PARENTING " and "Corporate Parenting" are one name.
pub fn fold(name: &str) -> String {
    tidy(name).to_lowercase()
}

/// The words of a folded name, without the punctuation between them, so
/// "service," and "service" are the same word.
fn words(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty()).collect()
}

/// How near `typed` is to `known` (both folded): edits between the whole
/// names, or, when `typed` has fewer words, between it and the closest run
/// of as many consecutive words in `known`. `None` when too far to ask about.
///
/// Whole names allow a third of the typed length in edits (one to three),
/// as `nearest` does for codes. A run of words is how a short name sits in
/// a long role ("Corporate Parenting" in "Head of Service, Corporate
/// Parenting"), which whole-name distance alone never finds: there it
/// allows at most three edits and none for names under three characters,
/// so "Jo" is not questioned against every role with "of" in it. Never the
/// other way round: a fuller new name that contains a known one ("Head of
/// Service, Front Door and MASH" holds "Heads of Service", give or take a
/// letter) is usually a deliberate new owner, not a slip.
fn nearness(typed: &str, known: &str) -> Option<(usize, u8)> {
    let length = typed.chars().count();
    let whole = distance(typed, known);
    if whole <= (length / 3).clamp(1, 3) {
        return Some((whole, 0));
    }
    let (t, k) = (words(typed), words(known));
    if t.is_empty() || t.len() >= k.len() {
        return None;
    }
    let phrase = t.join(" ");
    let limit = (phrase.chars().count() / 3).min(3);
    k.windows(t.len()).map(|w| distance(&phrase, &w.join(" "))).filter(|d| *d <= limit).min().map(|d| (d, 1))
}

/// The known name a new `typed` name is close to, if any: `None` when
/// `typed` is already known (the same apart from case or spacing) or
/// nothing is near. The nearest wins; at equal distance a whole-name match
/// beats a match inside a longer name, then the name nearest in length
/// (of the roles containing "Corporate Parenting", "Head of Service,
/// Corporate Parenting" rather than a joint one naming the Director too),
/// then the earlier candidate.
pub fn nearest_known<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = fold(typed);
    if typed.is_empty() {
        return None;
    }
    let length = typed.chars().count();
    let mut best: Option<((usize, u8, usize), &str)> = None;
    for k in known {
        let folded = fold(k);
        if folded == typed {
            return None;
        }
        if let Some((edits, part)) = nearness(&typed, &folded) {
            let rank = (edits, part, folded.chars().count().abs_diff(length));
            if best.is_none_or(|(b, _)| rank < b) {
                best = Some((rank, k));
            }
        }
    }
    best.map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNERS: [&str; 4] = [
        "Director of Children's Services",
        "Head of Service, Corporate Parenting",
        "Head of Service, Early Help",
        "Principal Social Worker",
    ];

    #[test]
    fn case_and_spacing_make_no_new_name() {
        assert_eq!(tidy("  Head of   Service,\tEarly Help "), "Head of Service, Early Help");
        assert_eq!(fold(" corporate  PARENTING "), "corporate parenting");
        assert_eq!(fold("Siân  EVANS"), "siân evans");
        assert_eq!(nearest_known(" head of service,  EARLY help", OWNERS), None, "known, so nothing to ask");
    }

    #[test]
    fn a_typo_of_a_whole_name_is_questioned() {
        assert_eq!(nearest_known("Head of Servce, Early Help", OWNERS), Some("Head of Service, Early Help"));
        assert_eq!(nearest_known("Principle Social Worker", OWNERS), Some("Principal Social Worker"));
        assert_eq!(nearest_known("Director of Childrens Services", OWNERS), Some(OWNERS[0]));
    }

    #[test]
    fn part_of_a_long_role_is_questioned_typo_or_not() {
        assert_eq!(nearest_known("Corprate Parenting", OWNERS), Some("Head of Service, Corporate Parenting"));
        assert_eq!(nearest_known("corporate parenting", OWNERS), Some("Head of Service, Corporate Parenting"));
        assert_eq!(nearest_known("Early Help", OWNERS), Some("Head of Service, Early Help"));
        // Never the other way round: a fuller name is a deliberate new owner.
        assert_eq!(nearest_known("Head of Service, Corporate Parenting", ["Corporate Parenting"]), None);
        assert_eq!(nearest_known("Head of Service, Front Door and MASH", ["Heads of Service"]), None);
    }

    #[test]
    fn unrelated_names_are_not_questioned() {
        assert_eq!(nearest_known("Dev Patel", OWNERS), None);
        assert_eq!(nearest_known("Head of Service, Localities", OWNERS), None);
        assert_eq!(nearest_known("Service Manager, Early Years", OWNERS), None);
        assert_eq!(nearest_known("Jo", OWNERS), None, "a short name needs an exact word to match");
        assert_eq!(nearest_known("Of", ["Head of Service"]), Some("Head of Service"), "an exact word is enough");
        assert_eq!(nearest_known("", OWNERS), None);
        assert_eq!(nearest_known("anyone", std::iter::empty()), None);
    }

    #[test]
    fn the_nearest_wins_and_whole_names_before_parts() {
        let owners = ["Head of Service, Corporate Parenting", "Corporate Parenting"];
        assert_eq!(nearest_known("Corprate Parenting", owners), Some("Corporate Parenting"));
        let owners = [
            "Director of Children's Services and Head of Service, Corporate Parenting",
            "Head of Service, Corporate Parenting",
            "Head of Service, Corporate Parenting and Participation Team Leader",
        ];
        assert_eq!(nearest_known("Corprate Parenting", owners), Some(owners[1]), "then the nearest in length");
        let owners = ["Lead A, Early Help", "Lead B, Early Help"];
        assert_eq!(nearest_known("Early Help", owners), Some(owners[0]), "then the first");
    }
}
