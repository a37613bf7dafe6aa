//! What statistical process control costs: the XmR chart of 40 indicators ×
//! 120 months (ten years) in the domain alone, which is what SPC adds to a
//! load; every indicator's row with its whole series and chart read from a
//! ten-year database (what `qprm kpi --json` and the minutes do); and the
//! meeting screen's view load, which now reads each of the service's
//! indicators' whole series for its chart. Run with `cargo bench --bench spc`.

use criterion::{Criterion, criterion_group, criterion_main};
use qprm::domain::Polarity;
use qprm::domain::spc::spc;
use qprm::store::{GenerateOptions, Store};
use qprm::tui::app::{App, Effect, Mode, Screen};
use std::hint::black_box;

/// 40 series of 120 months, shaped like the generated data: a slow drift,
/// a seasonal wobble and one step.
fn series() -> Vec<Vec<f64>> {
    (0..40)
        .map(|k| {
            (0..120)
                .map(|m| {
                    let m = f64::from(m);
                    let step = if m > 60.0 { 4.0 } else { 0.0 };
                    50.0 + f64::from(k) + 0.05 * m + 3.0 * (m * 0.52).sin() + step + ((m * 7.3).sin() * 1.7)
                })
                .collect()
        })
        .collect()
}

fn domain(c: &mut Criterion) {
    let all = series();
    c.bench_function("spc: 40 indicators x 120 months (domain, what SPC adds)", |b| {
        b.iter(|| {
            for (i, v) in all.iter().enumerate() {
                let p = if i % 2 == 0 { Polarity::HigherIsBetter } else { Polarity::LowerIsBetter };
                black_box(spc(v, p, Some(60.0), &[]));
            }
        })
    });
}

fn store(c: &mut Criterion) {
    // Ten years, 10 services × 4 indicators; few actions (SPC never reads them).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spc.db");
    let mut store = Store::open(&path, "bench").expect("open");
    store.generate(GenerateOptions { years: 10, services: 10, actions: 2_000 }).expect("generate");
    let rows = store.kpi_rows(None, None).expect("rows");
    assert_eq!(rows.len(), 40, "40 indicators");
    c.bench_function("kpi rows with series and SPC: all 40 indicators x 120 months (store)", |b| {
        b.iter(|| black_box(store.kpi_rows_with_history(None, None).expect("rows")))
    });
    let meeting = store.latest_meeting().expect("meetings").expect("a meeting");
    let today = chrono::NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d").expect("date");
    let mut app = App::new(&store, meeting.id, Mode::default(), true, today).expect("screen");
    app.screen = Screen::Service;
    let n = app.meeting.agenda.len();
    c.bench_function("view load: next service (4 indicators x 120 months with SPC)", |b| {
        b.iter(|| {
            app.current = (app.current + 1) % n;
            app.perform(&mut store, Effect::Reload).expect("reload");
        })
    });
}

criterion_group!(benches, domain, store);
criterion_main!(benches);
