//! Whole-process timing of `qprm import` on a 100,000-action pack, side by
//! side with the floor: the same rows put into the same schema by the
//! `sqlite3` shell in one transaction (one bulk `INSERT … SELECT` per table
//! from the pack's JSON, search trigger and all). Each run imports into a
//! fresh database that qprm has just made, holding the pack's services
//! (not timed).
//! Run with `cargo bench --bench import` (RUNS=n, ACTIONS=n to change).
//! Needs `sqlite3` for the floor (`apt-get install sqlite3`); without it the
//! floor is reported as SKIPPED.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SERVICES: usize = 10;
const STATUSES: &[&str] = &["open", "in_progress", "done"];
const OWNERS: usize = 50;
const VERBS: &[&str] = &["Review", "Audit", "Embed", "Publish", "Recruit to", "Report on", "Improve", "Agree"];
const OBJECTS: &[&str] = &[
    "supervision recording",
    "life-story work",
    "care plans",
    "chronologies",
    "the voice of the child in assessments",
    "placement stability",
    "pathway plans",
    "return home interviews",
];

/// A valid `qprm-pack/1` with `n` actions over ten services, deterministic.
/// With `n` = 0, the services alone: what each run's database starts with.
fn write_pack(path: &Path, n: usize) {
    let services: Vec<serde_json::Value> = (0..SERVICES)
        .map(|i| {
            serde_json::json!({"id": format!("service-{:02}", i + 1), "name": format!("Service {}", i + 1),
                "head": format!("Head of Service {}", i + 1)})
        })
        .collect();
    let actions: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "ref": format!("P{}.{}", i / 1000 + 1, i % 1000 + 1),
                "text": format!("{} {} for cohort {} (plan item {i})", VERBS[i % VERBS.len()], OBJECTS[(i / 7) % OBJECTS.len()], i % 97),
                "owner": format!("Team Manager {}, service-{:02}", i % OWNERS + 1, i % SERVICES + 1),
                "service": format!("service-{:02}", i % SERVICES + 1),
                "due": format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                "status": STATUSES[i % 3],
                "source": "Improvement Plan 2023-24",
            })
        })
        .collect();
    let pack = serde_json::json!({"format": "qprm-pack/1", "organisation": "Bench Council", "period": "2024-01",
        "indicators": [], "services": services, "actions": actions});
    std::fs::write(path, serde_json::to_vec(&pack).expect("pack json")).expect("write pack");
}

/// The floor: the pack's rows inserted by the sqlite3 shell, reading the
/// same file, in one transaction, into the schema qprm made.
fn floor_sql(pack: &Path) -> String {
    let p = pack.display().to_string().replace('\'', "''");
    format!(
        "BEGIN IMMEDIATE;
CREATE TEMP TABLE pack AS SELECT CAST(readfile('{p}') AS TEXT) AS j;
INSERT INTO imports (at, actor, file, period, organisation, added, changed, unchanged)
  VALUES (strftime('%Y-%m-%dT%H:%M:%SZ'), 'import', '{p}', '2024-01', 'Bench Council', 0, 0, 0);
INSERT INTO owners (name, folded)
  SELECT DISTINCT value ->> 'owner', lower(value ->> 'owner') FROM json_each((SELECT j FROM pack), '$.actions');
INSERT INTO actions (ref, text, owner_id, service_id, due, status, meeting_id, indicator_code, source, created_at, updated_at)
  SELECT value ->> 'ref', value ->> 'text', (SELECT id FROM owners WHERE name = value ->> 'owner'), value ->> 'service',
         value ->> 'due', value ->> 'status', NULL, NULL, value ->> 'source',
         strftime('%Y-%m-%dT%H:%M:%SZ'), strftime('%Y-%m-%dT%H:%M:%SZ')
  FROM json_each((SELECT j FROM pack), '$.actions');
INSERT INTO action_history (action_id, at, actor, meeting_id, field, old, new, note)
  SELECT id, created_at, 'import', NULL, 'created', NULL, text, 'from pack {p}' FROM actions;
UPDATE file_mark SET writes = writes + 1 WHERE id = 1;
COMMIT;"
    )
}

/// A new database made by qprm (its schema) holding the pack's services.
fn fresh_db(qprm: &str, dir: &Path, name: &str, services: &Path) -> PathBuf {
    let db = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let ok = Command::new(qprm)
        .args(["--db", &db.display().to_string(), "import", &services.display().to_string()])
        .output();
    assert!(ok.map(|o| o.status.success()).unwrap_or(false), "qprm could not create {}", db.display());
    db
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn count(db: &Path) -> String {
    Command::new("sqlite3")
        .args([&db.display().to_string(), "SELECT count(*) FROM actions; SELECT count(*) FROM search_index;"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).split_whitespace().collect::<Vec<_>>().join(" / "))
        .unwrap_or_else(|_| "?".into())
}

fn main() {
    let qprm = env!("CARGO_BIN_EXE_qprm");
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let n: usize = std::env::var("ACTIONS").ok().and_then(|r| r.parse().ok()).unwrap_or(100_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/qprm-bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let pack = dir.join(format!("pack-{n}.json"));
    if !pack.exists() {
        write_pack(&pack, n);
    }
    let services = dir.join("pack-services.json");
    write_pack(&services, 0);
    let mb = std::fs::metadata(&pack).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0);
    println!("qprm import: a {n}-action pack ({mb:.1} MB), {runs} runs each, medians");

    let mut qprm_times = Vec::new();
    for _ in 0..runs {
        let db = fresh_db(qprm, &dir, "import-bench.db", &services);
        let start = Instant::now();
        let out = Command::new(qprm)
            .args(["--db", &db.display().to_string(), "import", &pack.display().to_string()])
            .output()
            .expect("run qprm import");
        qprm_times.push(start.elapsed());
        assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let q = median(qprm_times);
    let check = count(&dir.join("import-bench.db"));
    println!("{:<56} {:>8.0} ms   (actions / search entries: {check})", "qprm import", q.as_secs_f64() * 1000.0);

    if Command::new("sqlite3").arg("--version").output().is_err() {
        println!("sqlite3 floor: SKIPPED: no sqlite3 shell (apt-get install sqlite3)");
        return;
    }
    let sql = floor_sql(&pack);
    let mut floor_times = Vec::new();
    for _ in 0..runs {
        let db = fresh_db(qprm, &dir, "floor-bench.db", &services);
        let start = Instant::now();
        let out = Command::new("sqlite3").args([&db.display().to_string(), &sql]).output().expect("run sqlite3");
        floor_times.push(start.elapsed());
        assert!(out.status.success(), "floor failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let f = median(floor_times);
    let check = count(&dir.join("floor-bench.db"));
    println!(
        "{:<56} {:>8.0} ms   (actions / search entries: {check})",
        "sqlite3 shell, same rows, one bulk insert (the floor)",
        f.as_secs_f64() * 1000.0
    );
    println!("ratio: qprm import = {:.2}x the floor (target: under 2 s)", q.as_secs_f64() / f.as_secs_f64());
}
