//! The workbook as a file: what kind it is (a zip at all, an encrypted or
//! old-style Office file), whether it holds macros, and how much it
//! unpacks to, all decided before calamine parses any of it.

use std::io::Cursor;

/// What the whole zip may unpack to: checked against its directory before
/// anything is unpacked, then by unpacking (into nothing) with a cap.
pub(super) const MAX_UNPACKED: u64 = 200 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;

/// An OLE compound file: Excel's encrypted workbook, or the old `.xls`.
pub(super) fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

pub(super) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Refuses a zip that is damaged, holds macros, is not a workbook, or
/// would unpack past the limits.
pub(super) fn check_zip(bytes: &[u8], max_unpacked: u64) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("is a damaged zip archive ({e}), not a workbook qprm can read: save it again as .xlsx"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!("holds {} files; a workbook has a few dozen: is this the right file?", zip.len()));
    }
    let mut total: u64 = 0;
    let (mut workbook, mut macros) = (false, false);
    for i in 0..zip.len() {
        let entry =
            zip.by_index_raw(i).map_err(|e| format!("is a damaged zip archive ({e}): save it again as .xlsx"))?;
        total = total.saturating_add(entry.size());
        let name = entry.name().unwrap_or_default();
        workbook |= name == "xl/workbook.xml";
        macros |= name.ends_with("vbaProject.bin");
    }
    if macros {
        return Err(
            "contains macros (a .xlsm workbook): qprm reads plain workbooks; save a copy as Excel Workbook (.xlsx)"
                .into(),
        );
    }
    if !workbook {
        return Err(
            "is a zip archive but not an Excel workbook (no xl/workbook.xml): save it from Excel or Calc as .xlsx"
                .into(),
        );
    }
    if total > max_unpacked {
        return Err(format!(
            "unpacks to {} MB, more than the {} MB a pack workbook may: is this the right file?",
            total / (1024 * 1024),
            max_unpacked / (1024 * 1024)
        ));
    }
    // A directory can lie about sizes (the zip crate refuses an entry past
    // its declared size, but only once it gets there), and calamine unpacks
    // some parts whole: unpack every entry once, into nothing, counting,
    // and stop one byte past the limit.
    let mut left = max_unpacked;
    for i in 0..zip.len() {
        let mut entry =
            zip.by_index(i).map_err(|e| format!("is a damaged zip archive ({e}): save it again as .xlsx"))?;
        let n = std::io::copy(&mut std::io::Read::take(&mut entry, left + 1), &mut std::io::sink())
            .map_err(|e| format!("is a damaged zip archive ({e}): save it again as .xlsx"))?;
        if n > left {
            return Err(format!(
                "unpacks to more than the {} MB a pack workbook may (more than its zip directory says): is this the right file?",
                max_unpacked / (1024 * 1024)
            ));
        }
        left -= n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of one `xl/workbook.xml` of `size` zero bytes, its directory
    /// saying it holds `claimed`.
    fn zip_of(size: usize, claimed: Option<u32>) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(&vec![0u8; size]).unwrap();
        let mut bytes = w.finish().unwrap().into_inner();
        if let Some(claimed) = claimed {
            let local = bytes.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
            bytes[local + 22..local + 26].copy_from_slice(&claimed.to_le_bytes());
            let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
            bytes[central + 24..central + 28].copy_from_slice(&claimed.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn unpacking_is_bounded_whatever_the_zip_directory_says() {
        const MB: u64 = 1024 * 1024;
        assert_eq!(check_zip(&zip_of(1000, None), MB), Ok(()));
        let honest = check_zip(&zip_of(3 * MB as usize, None), MB).unwrap_err();
        assert!(honest.starts_with("unpacks to 3 MB, more than the 1 MB"), "{honest}");
        // The zip crate stops an entry at its declared size; unpacking
        // every entry here turns that into one sentence before calamine.
        let lying = check_zip(&zip_of(3 * MB as usize, Some(100)), MB).unwrap_err();
        assert!(lying.starts_with("is a damaged zip archive (File is larger than its declared"), "{lying}");
    }
}
