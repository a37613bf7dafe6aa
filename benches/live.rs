//! What an idle meeting screen costs each tick: the change check it runs
//! (PRAGMA data_version, the file-identity check), and the reload it does
//! when another instance has written. Run with `cargo bench --bench live`.

use criterion::{Criterion, criterion_group, criterion_main};
use qprm::store::Store;
use qprm::tui::app::{App, Mode};
use std::hint::black_box;

fn setup() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("bench.db"), "bench").expect("open");
    let meeting = qprm::samples::load_samples(&mut store).expect("samples");
    (dir, store, meeting)
}

fn idle_tick(c: &mut Criterion) {
    let (_dir, store, meeting) = setup();
    c.bench_function("idle tick: data_version + file check", |b| {
        b.iter(|| {
            let v = store.data_version().expect("version");
            black_box((v, store.file_intact()))
        })
    });
    let today = chrono::NaiveDate::from_ymd_opt(2023, 11, 14).expect("date");
    let mut app = App::new(&store, meeting, Mode::default(), true, today).expect("app");
    c.bench_function("reload after another instance wrote (one service view)", |b| {
        b.iter(|| app.reload(&store).expect("reload"))
    });
}

criterion_group!(benches, idle_tick);
criterion_main!(benches);
