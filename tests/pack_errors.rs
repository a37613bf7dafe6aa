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
        // Every kind of value where another is wanted, in plain words.
        (
            "percent written as text",
            Edit(|p| p["services"][0]["data"][0]["value"] = json!("73.5%")),
            &["services[0].data[0].value: \"73.5%\" is text: write the number 73.5"],
        ),
        (
            "number where text is wanted",
            Edit(|p| p["services"][0]["head"] = json!(5)),
            &["services[0].head: 5 is a number where text is wanted: write it in quotes, \"5\""],
        ),
        (
            "null where a value is needed",
            Edit(|p| p["services"][0]["data"][0]["value"] = json!(null)),
            &["services[0].data[0].value: null where a number is needed"],
        ),
        (
            "list where an object is wanted",
            Edit(|p| p["services"][0]["audits"]["ratings"] = json!([1, 6, 2, 1])),
            &["services[0].audits.ratings: a list [ … ] where an object { … } (ratings) is wanted"],
        ),
        (
            "object where a list is wanted",
            Edit(|p| p["services"][0]["data"] = json!({ "indicator": "TEST-PCT", "value": 60 })),
            &["services[0].data: an object { … } where a list [ … ] is wanted"],
        ),
        (
            "text where a list is wanted",
            Edit(|p| p["services"][0]["feedback"][0]["quotes"] = json!("ok")),
            &["services[0].feedback[0].quotes: \"ok\" is text where a list [ … ] is wanted: write [\"ok\"]"],
        ),
        (
            "fraction where a count is wanted",
            Edit(|p| p["services"][0]["feedback"][0]["count"] = json!(2.5)),
            &["services[0].feedback[0].count: 2.5 is not a whole number"],
        ),
        (
            "a key written twice",
            Raw(b"{\"format\": \"qprm-pack/1\", \"period\": \"2023-11\", \"period\": \"2023-12\"}".to_vec()),
            &["period: written twice in the same object: keep one"],
        ),
        (
            "curly quotes from a word processor",
            Raw("{\n  \u{201c}format\u{201d}: \"qprm-pack/1\"\n}".as_bytes().to_vec()),
            &[":2:3:", "\u{201c} is a curly quote", "not a JSON quote"],
        ),
        // Unknown codes, ids, words and keys: the nearest known one.
        (
            "mistyped indicator code",
            Edit(|p| p["services"][0]["data"][0]["indicator"] = json!("CIN-RAT")),
            &["services[0].data[0].indicator: unknown indicator \"CIN-RAT\": did you mean \"CIN-RATE\"?"],
        ),
        (
            "mistyped action indicator",
            Edit(|p| p["actions"][0]["indicator"] = json!("CIC-HELTH")),
            &["actions[0].indicator: unknown indicator \"CIC-HELTH\": did you mean \"CIC-HEALTH\"?"],
        ),
        (
            "mistyped service id in a reference",
            Edit(|p| p["actions"][0]["service"] = json!("corporate-parentng")),
            &["actions[0].service: unknown service \"corporate-parentng\": did you mean \"corporate-parenting\"?"],
        ),
        (
            "mistyped service id without a name",
            Edit(|p| {
                p["services"][0]["id"] = json!("corporate-parentin");
                if let Some(o) = p["services"][0].as_object_mut() {
                    o.remove("name");
                }
            }),
            &["services[0].id: unknown service \"corporate-parentin\": did you mean \"corporate-parenting\"?"],
        ),
        (
            "new service without a name",
            Edit(|p| {
                p["services"][0]["id"] = json!("fostering");
                p["indicators"][0]["service"] = json!("fostering");
                if let Some(o) = p["services"][0].as_object_mut() {
                    o.remove("name");
                }
            }),
            &[
                "services[0].name: missing: \"fostering\" is not stored yet, and a service new to the database needs \"name\"",
            ],
        ),
        (
            "mistyped feedback source",
            Edit(|p| p["services"][0]["feedback"][0]["source"] = json!("famlies")),
            &["services[0].feedback[0].source: \"famlies\" is not a feedback source: did you mean \"families\"?"],
        ),
        (
            "mistyped sentiment",
            Edit(|p| p["services"][0]["feedback"][0]["sentiment"] = json!("postive")),
            &["services[0].feedback[0].sentiment: \"postive\" is not a sentiment: did you mean \"positive\"?"],
        ),
        (
            "mistyped finding kind",
            Edit(|p| p["services"][0]["audits"]["findings"][0]["kind"] = json!("strenght")),
            &["services[0].audits.findings[0].kind: \"strenght\" is not a finding kind: did you mean \"strength\"?"],
        ),
        (
            "mistyped action status",
            Edit(|p| p["actions"][0]["status"] = json!("in-progress")),
            &["actions[0].status: \"in-progress\" is not an action status: did you mean \"in_progress\"?"],
        ),
        (
            "mistyped polarity",
            Edit(|p| p["indicators"][0]["polarity"] = json!("higher_is_beter")),
            &["indicators[0].polarity: \"higher_is_beter\" is not a polarity: did you mean \"higher_is_better\"?"],
        ),
        (
            "mistyped key",
            Edit(|p| {
                if let Some(o) = p["services"][0]["data"][0].as_object_mut() {
                    let v = o.remove("value");
                    o.insert("vlaue".into(), v.unwrap_or_default());
                }
            }),
            &[
                "services[0].data[0].vlaue: unknown key \"vlaue\" in a data value: did you mean \"value\"?",
                "services[0].data[0].value: missing: a data value needs \"value\"",
            ],
        ),
        // A valid pack whose value differs from the stored one: both verbs
        // refuse it the same way (validate runs import's comparison).
        (
            "value differs from the stored one",
            Edit(|p| {
                p["period"] = json!("2023-10");
                p["services"][0]["data"][0] = json!({ "indicator": "CIC-HEALTH", "value": 50 });
            }),
            &["value CIC-HEALTH 2023-10: stored {", "\"value\":95.2", "pack has {", "--replace"],
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

/// Stderr lines, without the "qprm: error: " every line starts with.
fn stderr_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| l.strip_prefix("qprm: error: ").unwrap_or(l).to_string())
        .collect()
}

#[test]
fn validate_reports_a_stored_value_conflict_exactly_when_import_refuses() {
    const NOTE: &str = "backlog cleared with provider";
    let db = TestDb::with_fixtures();
    // CIC-HEALTH for 2023-10 is stored as 95.2, "backlog cleared with provider".
    let pack = |value: f64, note: Option<&str>| {
        json!({ "format": "qprm-pack/1", "period": "2023-10",
                "services": [ { "id": "corporate-parenting",
                                "data": [ { "indicator": "CIC-HEALTH", "value": value, "note": note } ] } ] })
    };
    let cases = [
        ("the stored value again", pack(95.2, Some(NOTE)), false),
        ("a different value", pack(91.0, Some(NOTE)), true),
        ("the same value with another note", pack(95.2, Some("two assessments booked")), true),
    ];
    for (name, body, conflicts) in cases {
        let file = db.file("one.json", serde_json::to_vec(&body).unwrap());
        let before = db.snapshot();
        let validate = db.cmd().arg("validate").arg(&file).output().unwrap();
        assert_eq!(db.snapshot(), before, "{name}: validate changes nothing");
        let import = db.cmd().arg("import").arg(&file).output().unwrap();
        assert_eq!(validate.status.success(), import.status.success(), "{name}: validate and import agree");
        if !conflicts {
            assert!(import.status.success(), "{name}: {}", String::from_utf8_lossy(&import.stderr));
            let ok = String::from_utf8_lossy(&validate.stdout);
            assert!(ok.contains("ok  ") && ok.contains("against the database: 0 new, 0 to replace"), "{name}: {ok}");
            continue;
        }
        assert_eq!((validate.status.code(), import.status.code()), (Some(2), Some(2)), "{name}");
        assert_eq!(db.snapshot(), before, "{name}: the refused import changes nothing");
        let (v, i) = (stderr_lines(&validate), stderr_lines(&import));
        assert!(v[0].contains("one.json: value CIC-HEALTH 2023-10: stored {"), "{name}: {v:?}");
        assert_eq!(v[..v.len() - 1], i[..i.len() - 1], "{name}: the same conflict lines");
        let last = &v[v.len() - 1];
        assert!(last.contains("`qprm import` would refuse it; `qprm import --replace` would accept it"), "{last}");
        assert!(i[i.len() - 1].contains("nothing was imported. Re-run with --replace"), "{i:?}");

        // With --replace both accept it, and validate still writes nothing.
        let validate = db.cmd().args(["validate", "--replace"]).arg(&file).assert().success();
        let ok = String::from_utf8_lossy(&validate.get_output().stdout).to_string();
        assert!(ok.contains("1 to replace"), "{name}: {ok}");
        assert_eq!(db.snapshot(), before, "{name}: validate --replace changes nothing");
        db.cmd().args(["import", "--replace"]).arg(&file).assert().success();
        // Back to the stored value, for the next case.
        let again = db.file("again.json", serde_json::to_vec(&pack(95.2, Some(NOTE))).unwrap());
        db.cmd().args(["import", "--replace"]).arg(&again).assert().success();
    }
}

#[test]
fn a_per_service_pack_without_head_or_name_imports_and_keeps_the_stored_head() {
    let db = TestDb::with_fixtures();
    let stored = || -> (String, Option<String>) {
        let conn = rusqlite::Connection::open_with_flags(&db.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        conn.query_row("SELECT name, head FROM services WHERE id = 'corporate-parenting'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    let before = stored();
    assert_eq!(before.1.as_deref(), Some("Head of Service, Corporate Parenting"));
    let pack = |value: f64| {
        serde_json::to_vec(&json!({ "format": "qprm-pack/1", "period": "2023-11",
            "services": [ { "id": "corporate-parenting", "data": [ { "indicator": "CIC-HEALTH", "value": value } ] } ] }))
        .unwrap()
    };
    let file = db.file("cp-2023-11.json", pack(96.1));
    db.cmd().arg("validate").arg(&file).assert().success().stdout(contains("ok  "));
    db.cmd().arg("import").arg(&file).assert().success().stdout(contains("added 1 value"));
    assert_eq!(stored(), before, "the stored name and head are kept");

    let file = db.file("cp-2023-11-fixed.json", pack(97.0));
    db.cmd().arg("import").arg(&file).assert().code(2).stderr(contains("value CIC-HEALTH 2023-11"));
    db.cmd().args(["import", "--replace"]).arg(&file).assert().success();
    assert_eq!(stored(), before, "--replace never erases a head the pack left out");

    // Giving a new head is a change like any other: refused, then replaced.
    let mut named: Value = serde_json::from_slice(&pack(97.0)).unwrap();
    named["services"][0]["head"] = json!("Interim Head of Service");
    let file = db.file("cp-new-head.json", serde_json::to_vec(&named).unwrap());
    db.cmd().arg("validate").arg(&file).assert().code(2).stderr(contains("service corporate-parenting: stored {"));
    db.cmd().args(["import", "--replace"]).arg(&file).assert().success();
    assert_eq!(stored(), (before.0, Some("Interim Head of Service".to_string())));
}

#[test]
fn five_problems_in_one_pack_are_all_reported_in_one_run() {
    let db = TestDb::with_fixtures();
    let before = db.snapshot();
    let mut pack = base_pack();
    pack["services"][0]["data"][0]["value"] = json!("73.5%"); // a type error
    pack["services"][0]["audits"]["completed"] = json!("10"); // another
    pack["services"][0]["feedback"][0]["sentimnet"] = json!("mixed"); // an unknown key
    pack["actions"][0]["indicator"] = json!("CIN-RAT"); // an unknown code
    pack["indicators"][0]["unit"] = json!("percentage"); // a bad enumeration word
    let file = db.file("five.json", serde_json::to_vec_pretty(&pack).unwrap());
    let wants = [
        "/five.json: services[0].data[0].value: \"73.5%\" is text: write the number 73.5",
        "/five.json: services[0].audits.completed: \"10\" is text: write the number 10",
        "/five.json: services[0].feedback[0].sentimnet: unknown key \"sentimnet\" in a feedback theme: did you mean \"sentiment\"?",
        "/five.json: actions[0].indicator: unknown indicator \"CIN-RAT\": did you mean \"CIN-RATE\"?",
        "/five.json: indicators[0].unit: \"percentage\" is not a unit: did you mean \"percent\"?",
    ];
    for verb in ["import", "validate"] {
        let out = db.cmd().arg(verb).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{verb}");
        let lines = stderr_lines(&out);
        for want in wants {
            assert!(lines.iter().any(|l| l.ends_with(want)), "{verb}: expected the line {want:?} in {lines:#?}");
        }
        assert_eq!(lines.len(), wants.len() + 1, "{verb}: the five problems and the summary line: {lines:#?}");
    }
    assert_eq!(db.snapshot(), before);
}

#[test]
fn validate_without_a_database_checks_the_pack_alone_and_says_so() {
    let db = TestDb::new();
    let file = db.file("self-contained.json", serde_json::to_vec(&common_pack_with_services()).unwrap());
    db.cmd()
        .arg("validate")
        .arg(&file)
        .assert()
        .success()
        .stdout(contains("ok  "))
        .stdout(contains("yet: the packs were checked alone, not against stored values"));
    assert!(!db.path.exists(), "validate never creates a database");
}

/// The base pack made self-contained (defines its service) for an empty database.
fn common_pack_with_services() -> Value {
    let mut p = base_pack();
    p["indicators"][0]["service"] = json!("corporate-parenting");
    p
}
