//! Reading a `.zip` of an app (a zipped `cdk.out`, SAM app or Serverless project) without an
//! inflater: the central directory is parsed here; each entry comes back as its stored bytes
//! or as its raw DEFLATE stream, which the caller inflates (the web app with the browser's
//! `DecompressionStream("deflate-raw")`, so the bundle carries no inflate code of its own).
//!
//! The archive is hostile input: every offset and length is checked against the bytes, the
//! number of entries and the declared uncompressed total are capped (zip bombs), encrypted
//! and unknown-method entries are refused by name, and nothing here panics.

use super::paths::normalize;

/// Most entries read from one archive.
pub const MAX_ENTRIES: usize = 20_000;
/// Most bytes an archive may declare once uncompressed (the caller stops inflating there).
pub const MAX_TOTAL: u64 = 64 * 1024 * 1024;

/// How an entry is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    /// Raw DEFLATE (method 8): inflate `data` to `size` bytes.
    Deflate,
}

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Its path inside the archive, `/`-separated and normalized.
    pub path: String,
    pub method: Method,
    /// The stored bytes, or the DEFLATE stream.
    pub data: &'a [u8],
    /// Its size once uncompressed, as the archive declares it.
    pub size: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Is this a zip archive (a local file header or an empty archive's end record first)?
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The files of a zip archive, directories left out; an error says what is wrong with it.
/// Entries that cannot be read (encrypted, an unknown compression method) are errors too:
/// an app read with a file silently missing would be a wrong answer.
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    let damaged = |what: &str| format!("the zip archive is damaged: {what}");
    // The end of central directory record: 22 bytes, then a comment of up to 64 KB.
    let min = bytes.len().saturating_sub(22 + 0xFFFF);
    let eocd = (min..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&i| bytes.get(i..i + 4) == Some(b"PK\x05\x06"))
        .ok_or_else(|| "this file is not a zip archive (no end of central directory)".to_owned())?;
    let mut count = u64::from(u16_at(bytes, eocd + 10).ok_or_else(|| damaged("short end record"))?);
    let mut cd = u64::from(u32_at(bytes, eocd + 16).ok_or_else(|| damaged("short end record"))?);
    // ZIP64: the real values live in the ZIP64 end record the locator points at.
    if count == 0xFFFF || cd == 0xFFFF_FFFF {
        let loc = eocd
            .checked_sub(20)
            .ok_or_else(|| damaged("no ZIP64 locator"))?;
        if bytes.get(loc..loc + 4) != Some(b"PK\x06\x07") {
            return Err(damaged("no ZIP64 locator"));
        }
        let rec = u64_at(bytes, loc + 8).ok_or_else(|| damaged("short ZIP64 locator"))?;
        let rec = usize::try_from(rec).map_err(|_| damaged("ZIP64 record out of range"))?;
        if bytes.get(rec..rec + 4) != Some(b"PK\x06\x06") {
            return Err(damaged("no ZIP64 end record"));
        }
        count = u64_at(bytes, rec + 32).ok_or_else(|| damaged("short ZIP64 end record"))?;
        cd = u64_at(bytes, rec + 48).ok_or_else(|| damaged("short ZIP64 end record"))?;
    }
    if count > MAX_ENTRIES as u64 {
        return Err(format!(
            "the zip archive holds {count} entries; at most {MAX_ENTRIES} are read"
        ));
    }
    let mut at = usize::try_from(cd).map_err(|_| damaged("directory out of range"))?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for _ in 0..count {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            return Err(damaged("a directory entry is missing"));
        }
        let field = |off: usize| u16_at(bytes, at + off).ok_or_else(|| damaged("short entry"));
        let flags = field(8)?;
        let method = field(10)?;
        let mut csize = u64::from(u32_at(bytes, at + 20).ok_or_else(|| damaged("short entry"))?);
        let mut size = u64::from(u32_at(bytes, at + 24).ok_or_else(|| damaged("short entry"))?);
        let name_len = usize::from(field(28)?);
        let extra_len = usize::from(field(30)?);
        let comment_len = usize::from(field(32)?);
        let mut local = u64::from(u32_at(bytes, at + 42).ok_or_else(|| damaged("short entry"))?);
        let name_at = at + 46;
        let name = bytes
            .get(name_at..name_at + name_len)
            .ok_or_else(|| damaged("an entry's name runs past the end"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        let extra = bytes
            .get(name_at + name_len..name_at + name_len + extra_len)
            .ok_or_else(|| damaged("an entry's extra field runs past the end"))?;
        // ZIP64 extended information: the 64-bit values, in order, of the fields that are
        // 0xFFFFFFFF above.
        let mut e = 0;
        while e + 4 <= extra.len() {
            let id = u16_at(extra, e).unwrap_or(0);
            let len = usize::from(u16_at(extra, e + 2).unwrap_or(0));
            if id == 1 {
                let mut v = e + 4;
                for f in [&mut size, &mut csize, &mut local] {
                    if *f == 0xFFFF_FFFF {
                        *f = u64_at(extra, v).ok_or_else(|| damaged("short ZIP64 field"))?;
                        v += 8;
                    }
                }
            }
            e += 4 + len;
        }
        at = name_at + name_len + extra_len + comment_len;
        if name.ends_with('/') {
            continue;
        }
        let path = normalize(&name);
        if flags & 1 != 0 {
            return Err(format!(
                "{path} is encrypted in the zip archive; pillarlint cannot read it"
            ));
        }
        let method = match method {
            0 => Method::Stored,
            8 => Method::Deflate,
            m => {
                return Err(format!(
                    "{path} is compressed with method {m} in the zip archive; pillarlint reads stored and deflated files"
                ))
            }
        };
        total = total.saturating_add(size);
        if total > MAX_TOTAL {
            return Err(format!(
                "the zip archive unpacks to more than {} MB; pillarlint reads at most that much",
                MAX_TOTAL / (1024 * 1024)
            ));
        }
        let local = usize::try_from(local).map_err(|_| damaged("an entry is out of range"))?;
        if bytes.get(local..local + 4) != Some(b"PK\x03\x04") {
            return Err(damaged(&format!("the data of {path} is missing")));
        }
        let lname = usize::from(u16_at(bytes, local + 26).ok_or_else(|| damaged("short header"))?);
        let lextra = usize::from(u16_at(bytes, local + 28).ok_or_else(|| damaged("short header"))?);
        let start = local + 30 + lname + lextra;
        let csize = usize::try_from(csize).map_err(|_| damaged("an entry is too large"))?;
        let data = bytes
            .get(start..start.saturating_add(csize))
            .ok_or_else(|| damaged(&format!("the data of {path} runs past the end")))?;
        if method == Method::Stored && data.len() as u64 != size {
            return Err(damaged(&format!("{path} is stored with a wrong size")));
        }
        out.push(Entry {
            path,
            method,
            data,
            size,
        });
    }
    Ok(out)
}

/// A zip archive of `(name, bytes, deflate?)` entries, as `zip` writes one (no CRCs: the
/// reader does not check them). For tests and tools that make archives to read.
pub fn write(files: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dir = Vec::new();
    for (name, data, deflate) in files {
        let body = if *deflate {
            miniz_oxide::deflate::compress_to_vec(data, 6)
        } else {
            data.to_vec()
        };
        let method: u16 = if *deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&[20, 0, 0, 0]);
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 8]); // time, date, crc (not checked)
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&body);
        dir.extend_from_slice(b"PK\x01\x02");
        dir.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
        dir.extend_from_slice(&method.to_le_bytes());
        dir.extend_from_slice(&[0; 8]);
        dir.extend_from_slice(&(body.len() as u32).to_le_bytes());
        dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
        dir.extend_from_slice(&(name.len() as u16).to_le_bytes());
        dir.extend_from_slice(&[0; 12]);
        dir.extend_from_slice(&offset.to_le_bytes());
        dir.extend_from_slice(name.as_bytes());
    }
    let cd = out.len() as u32;
    out.extend_from_slice(&dir);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stored_and_deflated_entries() {
        let yaml = b"Resources:\n  Q: {Type: AWS::SQS::Queue}\n".repeat(20);
        let z = write(&[
            ("app/", b"", false),
            ("app/./template.yaml", &yaml, true),
            ("app/manifest.json", b"{}", false),
        ]);
        assert!(is_zip(&z));
        let e = entries(&z).expect("a zip");
        assert_eq!(e.len(), 2, "directories are left out");
        assert_eq!(e[0].path, "app/template.yaml");
        assert_eq!(e[0].method, Method::Deflate);
        assert_eq!(e[0].size, yaml.len() as u64);
        let inflated = miniz_oxide::inflate::decompress_to_vec(e[0].data).expect("inflates");
        assert_eq!(inflated, yaml);
        assert_eq!((e[1].method, e[1].data), (Method::Stored, b"{}".as_slice()));
    }

    #[test]
    fn damaged_archives_are_errors_never_panics() {
        let z = write(&[
            ("a.yaml", b"Resources: {}\n", false),
            ("b.yaml", b"x: 1\n", true),
        ]);
        assert!(entries(b"not a zip").is_err());
        // Every truncation and every single-byte change is an error or a read, never a panic.
        for cut in 0..z.len() {
            let _ = entries(&z[..cut]);
        }
        for i in 0..z.len() {
            let mut bad = z.clone();
            bad[i] ^= 0xA5;
            let _ = entries(&bad);
        }
        let mut enc = z.clone();
        let cd = z.len() - 22 - (46 + 6) * 2;
        enc[cd + 8] = 1;
        assert!(entries(&enc).expect_err("encrypted").contains("encrypted"));
        let mut bomb = z;
        let first_size = cd + 24;
        bomb[first_size..first_size + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(
            entries(&bomb).is_err(),
            "a declared size past the limit is refused"
        );
    }
}
