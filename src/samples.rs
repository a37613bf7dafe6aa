//! The bundled sample packs (see fixtures/README.md), compiled in so that
//! `qprm demo` and the tests work from any folder, and the demo meeting that
//! reviews them.

use crate::domain::{Period, dates::parse_iso};
use crate::error::{Error, Result};
use crate::pack::{Known, parse_bytes};
use crate::store::{ImportOptions, NewMeeting, Store};

/// The sample packs, oldest first: 18 months of indicator history
/// (fixtures/make_history.py), then six full monthly packs.
pub const SAMPLE_PACKS: &[(&str, &str)] = &[
    ("2021-11.json", include_str!("../fixtures/2021-11.json")),
    ("2021-12.json", include_str!("../fixtures/2021-12.json")),
    ("2022-01.json", include_str!("../fixtures/2022-01.json")),
    ("2022-02.json", include_str!("../fixtures/2022-02.json")),
    ("2022-03.json", include_str!("../fixtures/2022-03.json")),
    ("2022-04.json", include_str!("../fixtures/2022-04.json")),
    ("2022-05.json", include_str!("../fixtures/2022-05.json")),
    ("2022-06.json", include_str!("../fixtures/2022-06.json")),
    ("2022-07.json", include_str!("../fixtures/2022-07.json")),
    ("2022-08.json", include_str!("../fixtures/2022-08.json")),
    ("2022-09.json", include_str!("../fixtures/2022-09.json")),
    ("2022-10.json", include_str!("../fixtures/2022-10.json")),
    ("2022-11.json", include_str!("../fixtures/2022-11.json")),
    ("2022-12.json", include_str!("../fixtures/2022-12.json")),
    ("2023-01.json", include_str!("../fixtures/2023-01.json")),
    ("2023-02.json", include_str!("../fixtures/2023-02.json")),
    ("2023-03.json", include_str!("../fixtures/2023-03.json")),
    ("2023-04.json", include_str!("../fixtures/2023-04.json")),
    ("2023-05.json", include_str!("../fixtures/2023-05.json")),
    ("2023-06.json", include_str!("../fixtures/2023-06.json")),
    ("2023-07.json", include_str!("../fixtures/2023-07.json")),
    ("2023-08.json", include_str!("../fixtures/2023-08.json")),
    ("2023-09.json", include_str!("../fixtures/2023-09.json")),
    ("2023-10.json", include_str!("../fixtures/2023-10.json")),
];

/// Loads the sample packs into `store` and creates the November 2023 meeting
/// that reviews October's data. Returns the meeting id.
pub fn load_samples(store: &mut Store) -> Result<i64> {
    let mut known = Known::default();
    let mut packs = Vec::new();
    for (name, text) in SAMPLE_PACKS {
        let pack = parse_bytes(name, text.as_bytes(), &known).map_err(Error::Pack)?;
        known.absorb(&pack);
        packs.push(pack);
    }
    let actor = store.actor().to_string();
    store.set_actor("import");
    let imported = store.import_packs(&packs, ImportOptions::default());
    store.set_actor(&actor);
    imported?;
    let meeting = store.create_meeting(&NewMeeting {
        date: parse_iso("2023-11-14").ok(),
        period: "2023-10".parse::<Period>().ok(),
        chair: Some("Director of Children's Services".into()),
        attendees: vec![
            "Head of Service, Corporate Parenting".into(),
            "Head of Service, Front Door and MASH".into(),
            "Head of Service, Early Help".into(),
            "Principal Social Worker".into(),
            "Business Support (minutes)".into(),
        ],
        apologies: vec!["Head of Service, Disabled Children's Service".into()],
        agenda: Vec::new(),
    })?;
    Ok(meeting.id)
}
