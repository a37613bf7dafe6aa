//! Drafts belong to the screen that typed them: a crashed chair's
//! half-typed text survives another screen taking the chair, is never
//! overwritten by the new chair's typing, and is offered back to the same
//! person and terminal when it reopens, as the minute-taker's screen. The
//! terminals are named with `QPRM_SCREEN` (what `user@tty` would be).

mod common;

use common::TestDb;
use common::pty::Pty;
use qprm::store::Store;
use std::time::{Duration, Instant};

fn wait_for_draft(store: &Store, screen: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while store.draft(1, screen).unwrap().is_none_or(|(_, _, f)| f.first().map(String::as_str) != Some(text)) {
        assert!(Instant::now() < deadline, "{screen}'s draft {text:?} was never saved");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_crashed_chairs_draft_is_offered_back_to_her_terminal_as_minute_taker() {
    let db = TestDb::with_meeting();
    let store = Store::open(&db.path, "check").unwrap();

    let mut ann = Pty::spawn(&db, &[], &[("QPRM_SCREEN", "ann@/dev/pts/1")]);
    ann.wait_for("CHAIR");
    ann.send("]");
    ann.send("a");
    ann.type_text("Half-typed by the chair");
    wait_for_draft(&store, "ann@/dev/pts/1", "Half-typed by the chair");
    ann.kill9();

    // Another screen takes the chair and types a draft of its own.
    let mut bob = Pty::spawn(&db, &["--take-chair"], &[("QPRM_SCREEN", "bob@/dev/pts/2")]);
    bob.wait_for("CHAIR");
    assert!(!bob.screen().contains("Half-typed by the chair"), "not offered to another screen:\n{}", bob.screen());
    bob.send("]");
    bob.send("d");
    bob.type_text("The new chair's words");
    wait_for_draft(&store, "bob@/dev/pts/2", "The new chair's words");
    let (_, _, kept) = store.draft(1, "ann@/dev/pts/1").unwrap().expect("the crashed chair's draft is kept");
    assert_eq!(kept[0], "Half-typed by the chair", "the new chair's typing never overwrites it");

    // The chair's terminal reopens: the other screen chairs now, so this
    // one is the minute-taker's, and its own words are offered back.
    let mut again = Pty::spawn(&db, &[], &[("QPRM_SCREEN", "ann@/dev/pts/1")]);
    again.wait_for("Restored unsaved text");
    again.wait_for("Half-typed by the chair");
    assert!(!again.screen().contains("The new chair's words"));
    again.wait_for("MINUTES");
    for screen in [&mut again, &mut bob] {
        screen.send("\x1b");
        screen.send("\x1b");
        screen.send("q");
        screen.send("y");
        screen.wait_exit();
    }
}
