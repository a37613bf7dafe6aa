//! Which file system a database is on, to refuse network ones. SQLite's
//! write-ahead log keeps its index in shared memory and needs every process
//! on one machine; over NFS, SMB/CIFS or a network FUSE mount (sshfs,
//! rclone…) two laptops would each think they hold the only lock. Found
//! without opening the file: `statfs` and `/proc/self/mountinfo` on Linux,
//! `statfs` flags on macOS, the canonical path (UNC) on Windows. The
//! classifiers are plain functions, tested on every platform.

use crate::error::{Error, Result};
use std::path::Path;

/// Mount types (mountinfo's third-from-last field) that are network file
/// systems, or network FUSE file systems as `fuse.<name>`.
const NETWORK_TYPES: &[&str] =
    &["nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "ncp", "afs", "coda", "ceph", "glusterfs", "lustre", "davfs"];
const NETWORK_FUSE: &[&str] = &[
    "sshfs",
    "rclone",
    "s3fs",
    "gcsfuse",
    "goofys",
    "davfs2",
    "curlftpfs",
    "glusterfs",
    "ceph-fuse",
    "smbnetfs",
    "blobfuse",
    "blobfuse2",
    "juicefs",
    "afpfs",
    "gvfsd-fuse",
    "mountpoint-s3",
];

/// Linux `statfs` magic numbers of network file systems (linux/magic.h).
const NETWORK_MAGIC: &[(u64, &str)] = &[
    (0x6969, "nfs"),
    (0x517B, "smb"),
    (0xFF53_4D42, "cifs"),
    (0xFE53_4D42, "smb2"),
    (0x7375_7245, "coda"),
    (0x5346_414F, "afs"),
    (0x6B41_4653, "afs"),
    (0x564C, "ncp"),
    (0x00C3_6400, "ceph"),
];

/// The network file system named by a mount's type and source, if it is one.
pub fn classify_mount(fstype: &str, source: &str) -> Option<String> {
    if NETWORK_TYPES.contains(&fstype) {
        return Some(fstype.to_string());
    }
    if let Some(sub) = fstype.strip_prefix("fuse.").or_else(|| fstype.strip_prefix("fuseblk.")) {
        return NETWORK_FUSE.contains(&sub).then(|| sub.to_string());
    }
    // Older FUSE mounts say only "fuse" and name the helper in the source.
    if fstype == "fuse" {
        let helper = source.split('#').next().unwrap_or_default();
        if source.contains('#') && NETWORK_FUSE.contains(&helper) {
            return Some(helper.to_string());
        }
    }
    None
}

/// The network file system a Linux `statfs` magic number names, if any.
pub fn classify_magic(magic: u64) -> Option<&'static str> {
    NETWORK_MAGIC.iter().find(|(m, _)| *m == magic & 0xFFFF_FFFF).map(|(_, name)| *name)
}

/// The mount type and source of the mount whose device is `major:minor`,
/// from the text of `/proc/self/mountinfo`.
pub fn mount_of_device(mountinfo: &str, major: u32, minor: u32) -> Option<(String, String)> {
    let device = format!("{major}:{minor}");
    mountinfo
        .lines()
        .filter_map(|line| {
            // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw"
            let (before, after) = line.split_once(" - ")?;
            if before.split_whitespace().nth(2)? != device {
                return None;
            }
            let mut rest = after.split_whitespace();
            Some((rest.next()?.to_string(), rest.next().unwrap_or_default().to_string()))
        })
        // Stacked mounts on one device: the last one listed is the one seen.
        .next_back()
}

/// A Windows path on a network share: `\\server\share\…` or `\\?\UNC\…`
/// (what a mapped network drive canonicalises to). `\\?\C:\` and `\\.\`
/// device paths are local.
#[cfg_attr(not(windows), allow(dead_code))]
pub fn classify_windows_path(path: &str) -> Option<String> {
    let p = path.replace('/', "\\");
    let lower = p.to_ascii_lowercase();
    if lower.starts_with("\\\\?\\unc\\") {
        return Some("a network share (UNC path)".into());
    }
    if lower.starts_with("\\\\?\\") || lower.starts_with("\\\\.\\") {
        return None;
    }
    p.starts_with("\\\\").then(|| "a network share (UNC path)".into())
}

/// macOS: a volume without `MNT_LOCAL` is a network volume.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub fn classify_macos(fstypename: &str, local: bool) -> Option<String> {
    (!local).then(|| fstypename.to_string())
}

/// The existing file, or for a new one the folder it will be created in.
fn probe_target(path: &Path) -> &Path {
    if path.exists() {
        return path;
    }
    path.parent().filter(|d| !d.as_os_str().is_empty() && d.exists()).unwrap_or(Path::new("."))
}

/// The network file system `path` is on, if it is on one.
#[cfg(target_os = "linux")]
pub fn network_fs_of(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let target = probe_target(path);
    let dev = std::fs::metadata(target).ok()?.dev();
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    if let Some((fstype, source)) = mount_of_device(&mountinfo, rustix::fs::major(dev), rustix::fs::minor(dev)) {
        return classify_mount(&fstype, &source).map(|name| name.to_string());
    }
    // No mount table (a restricted sandbox): the kernel's magic number.
    let magic = rustix::fs::statfs(target).ok()?.f_type as u64;
    classify_magic(magic).map(str::to_string)
}

#[cfg(target_os = "macos")]
pub fn network_fs_of(path: &Path) -> Option<String> {
    const MNT_LOCAL: u32 = 0x1000;
    let st = rustix::fs::statfs(probe_target(path)).ok()?;
    let name: String = st.f_fstypename.iter().take_while(|c| **c != 0).map(|c| *c as u8 as char).collect();
    classify_macos(&name, st.f_flags & MNT_LOCAL != 0)
}

#[cfg(windows)]
pub fn network_fs_of(path: &Path) -> Option<String> {
    let canonical = std::fs::canonicalize(probe_target(path)).ok()?;
    classify_windows_path(&canonical.display().to_string())
        .or_else(|| classify_windows_path(&path.display().to_string()))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub fn network_fs_of(_path: &Path) -> Option<String> {
    None
}

/// Refuses a database on a network file system, in one sentence that names
/// it and says how to share a meeting safely.
pub fn refuse(path: &Path, label: &str) -> Result<()> {
    match network_fs_of(path) {
        None => Ok(()),
        Some(fs) => Err(Error::invalid(format!(
            "{label} is on a network file system ({}), where SQLite cannot keep a meeting's saves safe; keep the database on this machine's own disk and let other laptops join over SSH (README, Sharing a meeting)",
            crate::domain::sanitize::clean(&fs)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_mounts_are_named_and_local_ones_pass() {
        assert_eq!(classify_mount("nfs4", "server:/export").as_deref(), Some("nfs4"));
        assert_eq!(classify_mount("cifs", "//server/share").as_deref(), Some("cifs"));
        assert_eq!(classify_mount("fuse.sshfs", "me@host:/srv").as_deref(), Some("sshfs"));
        assert_eq!(classify_mount("fuse.rclone", "gdrive:").as_deref(), Some("rclone"));
        assert_eq!(classify_mount("fuse", "sshfs#me@host:/srv").as_deref(), Some("sshfs"));
        for local in ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "fuse.gocryptfs", "fuseblk", "zfs", "vfat"] {
            assert_eq!(classify_mount(local, "/dev/sda1"), None, "{local}");
        }
    }

    #[test]
    fn statfs_magic_numbers_name_network_file_systems() {
        assert_eq!(classify_magic(0x6969), Some("nfs"));
        assert_eq!(classify_magic(0xFF53_4D42), Some("cifs"));
        // A sign-extended 32-bit value, as some platforms report it.
        assert_eq!(classify_magic(0xFFFF_FFFF_FE53_4D42), Some("smb2"));
        assert_eq!(classify_magic(0xEF53), None, "ext4");
        assert_eq!(classify_magic(0x6573_5546), None, "FUSE alone says nothing");
    }

    #[test]
    fn the_mount_is_found_by_device_and_the_last_stacked_one_wins() {
        let info = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n\
                    40 22 0:45 / /mnt/share rw,nosuid - fuse.sshfs me@host:/srv rw,user_id=0\n\
                    41 22 0:46 / /mnt/x rw - tmpfs tmpfs rw\n\
                    42 41 0:46 / /mnt/x rw - nfs4 server:/x rw\n";
        assert_eq!(mount_of_device(info, 0, 45), Some(("fuse.sshfs".into(), "me@host:/srv".into())));
        assert_eq!(mount_of_device(info, 8, 1), Some(("ext4".into(), "/dev/sda1".into())));
        assert_eq!(mount_of_device(info, 0, 46).map(|m| m.0), Some("nfs4".into()));
        assert_eq!(mount_of_device(info, 9, 9), None);
    }

    #[test]
    fn windows_unc_paths_and_mapped_drives_are_network_shares() {
        assert!(classify_windows_path(r"\\fileserver\meetings\qprm.db").is_some());
        assert!(classify_windows_path(r"\\?\UNC\fileserver\meetings\qprm.db").is_some(), "a mapped drive");
        assert!(classify_windows_path(r"//fileserver/meetings/qprm.db").is_some());
        assert_eq!(classify_windows_path(r"\\?\C:\Users\me\qprm.db"), None);
        assert_eq!(classify_windows_path(r"C:\Users\me\qprm.db"), None);
        assert_eq!(classify_windows_path(r"\\.\PhysicalDrive0"), None);
    }

    #[test]
    fn macos_volumes_without_mnt_local_are_network_volumes() {
        assert_eq!(classify_macos("smbfs", false).as_deref(), Some("smbfs"));
        assert_eq!(classify_macos("apfs", true), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_local_temporary_folder_is_not_a_network_file_system() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(network_fs_of(&dir.path().join("new.db")), None);
        assert!(refuse(&dir.path().join("new.db"), "new.db").is_ok());
    }
}
