//! The benchmark database every bench shares: ten years of monthly meetings,
//! 10 services and 1M actions, made once by `generate` and reused (as
//! `benches/compare.sh` does). `QPRM_BENCH_DB` points at another file.

#![allow(dead_code)] // each bench uses part of this

use qprm::store::{GenerateOptions, Store};
use std::path::{Path, PathBuf};

pub const BIG: GenerateOptions = GenerateOptions { years: 10, services: 10, actions: 1_000_000 };

/// Where benches keep their files: `target/qprm-bench`.
pub fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("qprm-bench")
}

/// The 10-year / 1M-action database, generated on first use (~20 s).
pub fn big_db() -> PathBuf {
    if let Some(p) = std::env::var_os("QPRM_BENCH_DB") {
        return PathBuf::from(p);
    }
    let dir = bench_dir();
    let path = dir.join("big-10y-1m.db");
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("creating target/qprm-bench");
        let partial = dir.join("big-10y-1m.db.partial");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
        eprintln!("generating {} (10 years, 1M actions; once)…", path.display());
        let mut store = Store::open(&partial, "bench").expect("creating the benchmark database");
        store.generate(BIG).expect("generating");
        drop(store);
        std::fs::rename(&partial, &path).expect("moving the benchmark database into place");
    }
    path
}

/// A private copy of the benchmark database in `dir`, for benches that write.
pub fn copy_of_big_db(dir: &Path) -> PathBuf {
    let copy = dir.join("copy.db");
    std::fs::copy(big_db(), &copy).expect("copying the benchmark database");
    copy
}
