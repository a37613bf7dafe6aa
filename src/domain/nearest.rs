//! "Did you mean …?": the known word nearest to a mistyped one, by edit
//! distance, offered only when it is close enough to be the likely intent.
//! Used for pack codes, service ids, enumeration words and JSON keys.

/// Edits (insert, delete, substitute, swap two neighbours) that turn `a`
/// into `b`, ignoring case: `CIN-RAT` → `CIN-RATE` is 1, `famlies` →
/// `families` is 1, `recieved` → `received` is 1 (a swap).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    // Three rolling rows: the swap rule looks two rows back.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// The candidate nearest to `word`, if it is within a third of the word's
/// length (at least one edit, at most three): close enough to be a slip of
/// the keyboard, not so far that the suggestion is a guess. The first of
/// equally near candidates wins, so callers list the likelier ones first.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(word, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_ignoring_case() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("CIN-RAT", "CIN-RATE"), 1);
        assert_eq!(distance("cin-rate", "CIN-RATE"), 0);
        assert_eq!(distance("famlies", "families"), 1);
        assert_eq!(distance("recieved", "received"), 1, "a swap is one edit");
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("Siân", "Sian"), 1, "characters, not bytes");
    }

    #[test]
    fn nearest_suggests_only_close_words() {
        let codes = ["CIN-RATE", "CIC-HEALTH", "CP-RATE"];
        assert_eq!(nearest("CIN-RAT", codes), Some("CIN-RATE"));
        assert_eq!(nearest("cic-health", codes), Some("CIC-HEALTH"));
        assert_eq!(nearest("CIC-HELTH", codes), Some("CIC-HEALTH"));
        assert_eq!(nearest("NOPE", codes), None);
        assert_eq!(nearest("percentage", ["percent", "count", "number", "days"]), Some("percent"));
        assert_eq!(nearest("up", ["higher_is_better", "lower_is_better"]), None);
        assert_eq!(nearest("closed", ["open", "in_progress", "done", "dropped"]), None);
        assert_eq!(nearest("targett", ["target", "baseline"]), Some("target"));
        assert_eq!(nearest("x", ["y", "z"]), Some("y"), "one edit is always allowed");
        assert_eq!(nearest("anything", std::iter::empty()), None);
    }

    #[test]
    fn the_nearest_wins_and_ties_go_to_the_first() {
        assert_eq!(nearest("CP-RATES", ["CP-RATE", "CP-RATES2"]), Some("CP-RATE"));
        assert_eq!(nearest("abcd", ["abce", "abcf"]), Some("abce"));
        assert_eq!(nearest("abcdef", ["abcxyz", "abcdex"]), Some("abcdex"), "a nearer later candidate wins");
    }
}
