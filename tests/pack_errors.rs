//! Malformed packs, table-driven: each must be refused with exit code 2, a
//! message naming the file and the problem (JSON path or line:column), and a
//! database left byte-for-byte as it was.

mod common;

use common::{TestDb, base_pack};
use predicates::str::contains;
use serde_json::{Value, json};

enum Input {
    Raw(Vec<u8>),
    Edit(fn(&mut Value)),
}

fn cases() -> Vec<(&'static str, Input, &'static [&'static str])> {
    use Input::*;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_field = format!(
        "{{\"format\": \"qprm-pack/1\", \"period\": \"2023-11\", \"organisation\": {}}}",
        "{\"a\":".repeat(5_000)
    );
    vec![
        ("empty file", Raw(b"".to_vec()), &["the file is empty"]),
        ("only whitespace", Raw(b"  \n\t ".to_vec()), &["the file is empty"]),
        ("trailing comma", Raw(b"{\n  \"format\": \"qprm-pack/1\",\n}".to_vec()), &[":3:1:", "JSON syntax error"]),
        ("truncated", Raw(b"{\"format\": \"qprm-pack/1\", \"period\": \"2023-".to_vec()), &[":1:", "ends too early"]),
        (
            "not UTF-8",
            Raw(b"{\"format\": \"qprm-pack/1\",\n \"organisation\": \"\xff\xfe\"}".to_vec()),
            &[":2:", "not valid UTF-8"],
        ),
        ("absurd nesting", Raw(deep.into_bytes()), &[":1:1:", "must be a JSON object"]),
        ("absurd nesting in a field", Raw(deep_field.into_bytes()), &[":1:", "nested too deeply to be a pack"]),
        ("array at top level", Raw(b"[\"qprm-pack/1\", null, \"2023-11\"]".to_vec()), &["must be a JSON object"]),
        ("wrong format", Edit(|p| p["format"] = json!("qprm-pack/2")), &["format", "expected \"qprm-pack/1\""]),
        ("unknown top-level key", Edit(|p| p["targets"] = json!(1)), &["targets: unknown key \"targets\" in a pack"]),
        (
            "unknown indicator key",
            Edit(|p| p["indicators"][0]["targett"] = json!(1)),
            &["indicators[0].targett: unknown key \"targett\" in an indicator: did you mean \"target\"?"],
        ),
        ("bad period", Edit(|p| p["period"] = json!("2023-13")), &["period", "not a period"]),
        (
            "period as number",
            Edit(|p| p["period"] = json!(202311)),
            &["period: 202311 is a number where text is wanted: write it in quotes, \"202311\""],
        ),
        (
            "missing period",
            Edit(|p| {
                if let Some(o) = p.as_object_mut() {
                    o.remove("period");
                }
            }),
            &["period: missing: a pack needs \"period\""],
        ),
        (
            "unknown unit",
            Edit(|p| p["indicators"][0]["unit"] = json!("percentage")),
            &["indicators[0].unit: \"percentage\" is not a unit: did you mean \"percent\"?"],
        ),
        (
            "unknown polarity",
            Edit(|p| p["indicators"][0]["polarity"] = json!("up")),
            &["indicators[0].polarity: \"up\" is not a polarity: use one of: higher_is_better, lower_is_better"],
        ),
        (
            "underivable polarity",
            Edit(|p| {
                let i = &mut p["indicators"][0];
                if let Some(o) = i.as_object_mut() {
                    o.remove("polarity");
                }
                i["target"]["value"] = json!(50);
            }),
            &["indicators[0].polarity", "target equals the baseline"],
        ),
        (
            "no polarity and no target",
            Edit(|p| {
                if let Some(o) = p["indicators"][0].as_object_mut() {
                    o.remove("polarity");
                    o.remove("target");
                }
            }),
            &["indicators[0].polarity", "no target"],
        ),
        (
            "percent out of range",
            Edit(|p| p["services"][0]["data"][0]["value"] = json!(120)),
            &["services[0].data[0].value", "outside 0–100"],
        ),
        (
            "value as string",
            Edit(|p| p["services"][0]["data"][0]["value"] = json!("60")),
            &["services[0].data[0].value: \"60\" is text: write the number 60"],
        ),
        (
            "unknown indicator",
            Edit(|p| p["services"][0]["data"][0]["indicator"] = json!("NOPE")),
            &["services[0].data[0].indicator: unknown indicator \"NOPE\": define it in \"indicators\""],
        ),
        (
            "duplicate indicator code",
            Edit(|p| {
                let dup = p["indicators"][0].clone();
                if let Some(a) = p["indicators"].as_array_mut() {
                    a.push(dup);
                }
            }),
            &["indicators[1].code", "defined twice"],
        ),
        (
            "ratings do not sum",
            Edit(|p| p["services"][0]["audits"]["ratings"]["good"] = json!(7)),
            &["services[0].audits.ratings", "add up to 11 but completed is 10"],
        ),
        (
            "family feedback over completed",
            Edit(|p| p["services"][0]["audits"]["with_family_feedback"] = json!(11)),
            &["services[0].audits.with_family_feedback", "more than the 10"],
        ),
        (
            "negative completed",
            Edit(|p| p["services"][0]["audits"]["completed"] = json!(-1)),
            &["services[0].audits.completed: -1 is negative: write a whole number, 0 or more"],
        ),
        (
            "unknown finding kind",
            Edit(|p| p["services"][0]["audits"]["findings"][0]["kind"] = json!("weakness")),
            &[
                "services[0].audits.findings[0].kind: \"weakness\" is not a finding kind: use one of: strength, improvement",
            ],
        ),
        (
            "unknown feedback source",
            Edit(|p| p["services"][0]["feedback"][0]["source"] = json!("press")),
            &["services[0].feedback[0].source: \"press\" is not a feedback source: use one of: children_young_people,"],
        ),
        (
            "unknown sentiment",
            Edit(|p| p["services"][0]["feedback"][0]["sentiment"] = json!("angry")),
            &["services[0].feedback[0].sentiment: \"angry\" is not a sentiment: use one of"],
        ),
        (
            "feedback count zero",
            Edit(|p| p["services"][0]["feedback"][0]["count"] = json!(0)),
            &["services[0].feedback[0].count", "at least 1"],
        ),
        (
            "impossible due date",
            Edit(|p| p["actions"][0]["due"] = json!("2023-02-30")),
            &["actions[0].due", "not a real calendar date"],
        ),
        (
            "due date in UK format",
            Edit(|p| p["actions"][0]["due"] = json!("31/12/2023")),
            &["actions[0].due", "\"31/12/2023\" is not YYYY-MM-DD: write 2023-12-31"],
        ),
        (
            "unknown action status",
            Edit(|p| p["actions"][0]["status"] = json!("closed")),
            &["actions[0].status: \"closed\" is not an action status: use one of: open, in_progress, done, dropped"],
        ),
        (
            "duplicate action ref",
            Edit(|p| {
                let dup = p["actions"][0].clone();
                if let Some(a) = p["actions"].as_array_mut() {
                    a.push(dup);
                }
            }),
            &["actions[1].ref", "appears twice"],
        ),
        (
            "generated-looking ref",
            Edit(|p| p["actions"][0]["ref"] = json!("A12")),
            &["actions[0].ref", "looks like a ref qprm generates"],
        ),
        (
            "unknown action service",
            Edit(|p| p["actions"][0]["service"] = json!("no-such-service")),
            &[
                "actions[0].service: unknown service \"no-such-service\": not in this pack's services nor in the database",
            ],
        ),
        (
            "empty indicator name",
            Edit(|p| p["indicators"][0]["name"] = json!("  ")),
            &["indicators[0].name", "must not be empty"],
        ),
        (
            "bad service id",
            Edit(|p| p["services"][0]["id"] = json!("Corporate Parenting")),
            &["services[0].id", "not a valid service id"],
        ),
        (
            "indicator reported by another service",
            Edit(|p| p["services"][0]["data"][0]["indicator"] = json!("CL-EET")),
            &["services[0].data[0].indicator: indicator \"CL-EET\" belongs to service \"care-experienced\""],
        ),
    ]
}

#[test]
fn every_malformed_pack_is_refused_and_changes_nothing() {
    let db = TestDb::with_fixtures();
    let before = db.snapshot();
    assert!(!before.is_empty());
    let cases = cases();
    assert!(cases.len() >= 25, "the issue asks for at least 25 malformed packs");
    for (i, (name, input, wants)) in cases.into_iter().enumerate() {
        let bytes = match input {
            Input::Raw(b) => b,
            Input::Edit(edit) => {
                let mut pack = base_pack();
                edit(&mut pack);
                serde_json::to_vec_pretty(&pack).unwrap()
            }
        };
        let file = db.file(&format!("case{i}.json"), bytes);
        for verb in ["import", "validate"] {
            let out = db.cmd().arg(verb).arg(&file).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} ({verb}): exit code; stderr: {stderr}");
            assert!(stderr.contains(&format!("case{i}.json")), "{name} ({verb}): message must name the file: {stderr}");
            for want in wants {
                assert!(stderr.contains(want), "{name} ({verb}): expected {want:?} in: {stderr}");
            }
            assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        }
        assert_eq!(db.snapshot(), before, "{name}: the database must be unchanged");
    }
}

#[test]
fn one_bad_pack_among_good_ones_imports_nothing() {
    let db = TestDb::new();
    let good = db.file("good.json", serde_json::to_vec(&common_pack_with_services()).unwrap());
    let bad = db.file("bad.json", b"{ \"format\": ");
    db.cmd()
        .args(["import"])
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(contains("bad.json:1:"))
        .stderr(contains("nothing was imported"));
    assert!(!db.path.exists(), "no database file is created when the import is refused");
}

#[test]
fn oversized_and_missing_files_are_refused_before_parsing() {
    let db = TestDb::with_fixtures();
    let before = db.snapshot();
    let big = db.dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(qprm::pack::MAX_PACK_BYTES + 1).unwrap(); // sparse: no 64 MB written
    db.cmd().arg("import").arg(&big).assert().code(2).stderr(contains("larger than the 64 MB limit"));
    db.cmd()
        .arg("import")
        .arg(db.dir.path().join("missing.json"))
        .assert()
        .code(2)
        .stderr(contains("missing.json: cannot read"));
    db.cmd().arg("import").arg(db.dir.path()).assert().code(2).stderr(contains("is a directory"));
    assert_eq!(db.snapshot(), before);
}

#[test]
fn error_messages_never_echo_escape_sequences() {
    let db = TestDb::with_fixtures();
    let mut pack = base_pack();
    pack["indicators"][0]["unit"] = json!("\u{1b}]0;pwned\u{7}\u{1b}[2Jbad");
    let file = db.file("evil.json", serde_json::to_vec(&pack).unwrap());
    let out = db.cmd().arg("import").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("indicators[0].unit"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'), "escape reached stderr: {stderr:?}");
}

/// The base pack made self-contained (defines its service) for an empty database.
fn common_pack_with_services() -> Value {
    let mut p = base_pack();
    p["indicators"][0]["service"] = json!("corporate-parenting");
    p
}
