//! The meeting screen on ten years of history (1M actions): drawing a frame
//! of each section and the overview at 160×48, loading everything shown when
//! the chair moves to the next service, recording one action (with its
//! history row and commit, fsync included and excluded), and the idle
//! tick's change check. Run with `cargo bench --bench meeting`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use qprm::domain::Section;
use qprm::store::{NewAction, Store};
use qprm::tui::app::{App, Effect, Mode, Screen};
use ratatui::{Terminal, backend::TestBackend};
use std::hint::black_box;
use std::time::Duration;

/// The latest meeting, opened as the chair's screen does, on its own date.
fn meeting_screen(store: &Store) -> App {
    let meeting = store.latest_meeting().expect("meetings").expect("the database has meetings");
    let today = chrono::NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d").expect("meeting date");
    App::new(store, meeting.id, Mode::default(), true, today).expect("opening the meeting screen")
}

fn render(c: &mut Criterion) {
    let mut store = Store::open(&common::big_db(), "bench").expect("open");
    let mut app = meeting_screen(&store);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    let mut group = c.benchmark_group("render 160x48");
    app.screen = Screen::Overview;
    group.bench_function("overview", |b| {
        b.iter(|| terminal.draw(|f| qprm::tui::render::render(&app, f)).map(|_| ()).expect("draw"))
    });
    // The first service, as after the first ].
    app.screen = Screen::Service;
    app.perform(&mut store, Effect::Reload).expect("load");
    for section in Section::ALL {
        app.section = section;
        group.bench_function(section.title(), |b| {
            b.iter(|| terminal.draw(|f| qprm::tui::render::render(&app, f)).map(|_| ()).expect("draw"))
        });
    }
    group.finish();
}

fn view_load(c: &mut Criterion) {
    let mut store = Store::open(&common::big_db(), "bench").expect("open");
    let mut app = meeting_screen(&store);
    app.screen = Screen::Service;
    let n = app.meeting.agenda.len();
    // What ] does: move on one agenda item, then load everything it shows.
    c.bench_function("view load: next service", |b| {
        b.iter(|| {
            app.current = (app.current + 1) % n;
            app.perform(&mut store, Effect::Reload).expect("reload");
        })
    });
}

/// Records one action, with its history row and search-index entry, in one
/// committed transaction, on a private copy of the database in `dir`.
fn capture_in(c: &mut Criterion, name: &str, dir: &std::path::Path) {
    let db = common::copy_of_big_db(dir);
    let mut store = Store::open(&db, "minutes").expect("open copy");
    let meeting = store.latest_meeting().expect("meetings").expect("a meeting");
    let owner = store.owners().expect("owners").into_iter().next().expect("an owner");
    let service = meeting.agenda.first().cloned();
    let mut group = c.benchmark_group("capture one action");
    group.sample_size(50).measurement_time(Duration::from_secs(10));
    group.bench_function(name, |b| {
        b.iter(|| {
            let new = NewAction {
                text: "Review supervision recording with the team managers".into(),
                owner: owner.clone(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
                service: service.clone(),
                meeting: Some(meeting.id),
                indicator: None,
            };
            black_box(store.record_action(&new).expect("record"))
        })
    });
    group.finish();
}

fn capture(c: &mut Criterion) {
    // On disk: every commit waits for fsync (synchronous=FULL, as shipped).
    let disk = tempfile::tempdir_in(common::bench_dir()).expect("temp dir");
    capture_in(c, "on disk (as shipped: fsync per commit)", disk.path());
    drop(disk);
    // In memory (tmpfs): fsync costs nothing, so the difference is its cost.
    if std::path::Path::new("/dev/shm").is_dir() {
        let shm = tempfile::tempdir_in("/dev/shm").expect("temp dir in /dev/shm");
        capture_in(c, "on tmpfs (no fsync cost)", shm.path());
    }
}

fn idle_tick(c: &mut Criterion) {
    let store = Store::open(&common::big_db(), "bench").expect("open");
    c.bench_function("idle tick: data_version + file check", |b| {
        b.iter(|| black_box((store.data_version().expect("version"), store.file_intact())))
    });
}

criterion_group!(benches, render, view_load, capture, idle_tick);
criterion_main!(benches);
