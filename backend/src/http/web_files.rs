//! Where the web app's files come from, and which encoding of a file a browser gets.
//!
//! The release build embeds the built web app (`frontend/dist`, see `build.rs`), so the one
//! binary serves everything from any folder; `BUURTKRACHT_WEB_DIR` points at a folder instead
//! (development, tests). Either way the files were precompressed when the web app was built
//! (brotli at quality 11 and gzip -9, `frontend/build/precompress.ts`): a request gets the
//! smallest encoding its `Accept-Encoding` allows, and nothing is compressed per request.

use std::path::{Path, PathBuf};

/// One file of the web app embedded in the binary, with its precompressed encodings.
#[derive(Debug)]
pub struct EmbeddedFile {
    /// Relative to the web folder, with `/` separators: `index.html`, `assets/main-1a2b.js`.
    pub path: &'static str,
    pub identity: &'static [u8],
    pub brotli: Option<&'static [u8]>,
    pub gzip: Option<&'static [u8]>,
    /// A hash of the identity bytes: the encodings' entity tags derive from it.
    pub hash: &'static str,
}

mod embedded {
    use super::EmbeddedFile;
    include!(concat!(env!("OUT_DIR"), "/web_files.rs"));
}

/// The web app embedded by a release build (sorted by path); empty in other builds.
pub fn embedded() -> &'static [EmbeddedFile] {
    embedded::EMBEDDED_WEB_FILES
}

/// The web app's files.
#[derive(Debug, Clone)]
pub enum WebFiles {
    /// A folder: `BUURTKRACHT_WEB_DIR`, or `frontend/dist` in a build without an embedded app.
    Folder(PathBuf),
    /// Embedded in the binary.
    Embedded(&'static [EmbeddedFile]),
}

/// The folder used when nothing is configured and nothing is embedded.
pub const DEVELOPMENT_FOLDER: &str = "frontend/dist";

impl WebFiles {
    /// `BUURTKRACHT_WEB_DIR` when set; else the embedded app; else `frontend/dist`.
    pub fn choose(configured: Option<&Path>) -> Self {
        match configured {
            Some(dir) => Self::Folder(dir.to_path_buf()),
            None if !embedded().is_empty() => Self::Embedded(embedded()),
            None => Self::Folder(PathBuf::from(DEVELOPMENT_FOLDER)),
        }
    }

    /// Says where the files come from, for the start-up log and for error pages.
    pub fn describe(&self) -> String {
        match self {
            Self::Folder(dir) => dir.display().to_string(),
            Self::Embedded(files) => format!("the {} files embedded in this binary", files.len()),
        }
    }

    /// The embedded file at `path`, if this is the embedded app.
    pub fn embedded_file(&self, path: &str) -> Option<&'static EmbeddedFile> {
        match self {
            Self::Embedded(files) => files
                .binary_search_by(|f| f.path.cmp(path))
                .ok()
                .map(|i| &files[i]),
            Self::Folder(_) => None,
        }
    }
}

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` token (`None` for identity, which is sent without the header).
    pub fn token(self) -> Option<&'static str> {
        match self {
            Self::Brotli => Some("br"),
            Self::Gzip => Some("gzip"),
            Self::Identity => None,
        }
    }

    /// The suffix of the precompressed file beside the original.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Brotli => ".br",
            Self::Gzip => ".gz",
            Self::Identity => "",
        }
    }
}

/// The encodings `accept_encoding` allows, best first: by the client's q-value, and among equal
/// q-values brotli before gzip before identity (brotli is the smallest). Identity is acceptable
/// unless the header refuses it (`identity;q=0`, or `*;q=0` without naming identity); no header
/// means identity only, as RFC 9110 §12.5.3 allows any coding but old clients expect none.
pub fn acceptable(accept_encoding: Option<&str>) -> Vec<Encoding> {
    let Some(header) = accept_encoding else {
        return vec![Encoding::Identity];
    };
    let mut brotli = None;
    let mut gzip = None;
    let mut identity = None;
    let mut any = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0_f32;
        for param in parts {
            if let Some((name, value)) = param.split_once('=')
                && name.trim().eq_ignore_ascii_case("q")
            {
                q = value.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
            }
        }
        let slot = match coding.as_str() {
            "br" => &mut brotli,
            "gzip" | "x-gzip" => &mut gzip,
            "identity" => &mut identity,
            "*" => &mut any,
            _ => continue,
        };
        *slot = Some(q);
    }
    let brotli = brotli.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    let identity = identity.or(any).unwrap_or(0.001);
    let mut ranked: Vec<(Encoding, f32)> = [
        (Encoding::Brotli, brotli),
        (Encoding::Gzip, gzip),
        (Encoding::Identity, identity),
    ]
    .into_iter()
    .filter(|(_, q)| *q > 0.0)
    .collect();
    // A stable sort keeps brotli, gzip, identity in that order among equal q-values.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.into_iter().map(|(e, _)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::*;

    #[test]
    fn browsers_get_brotli_then_gzip_then_the_file_itself() {
        assert_eq!(
            acceptable(Some("gzip, deflate, br, zstd")),
            [Brotli, Gzip, Identity]
        );
        assert_eq!(acceptable(Some("gzip, deflate")), [Gzip, Identity]);
        assert_eq!(acceptable(None), [Identity]);
        assert_eq!(acceptable(Some("")), [Identity]);
    }

    #[test]
    fn q_values_are_honoured() {
        assert_eq!(
            acceptable(Some("br;q=0.5, gzip;q=0.9")),
            [Gzip, Brotli, Identity]
        );
        assert_eq!(acceptable(Some("br;q=0, gzip")), [Gzip, Identity]);
        assert_eq!(acceptable(Some("gzip, identity;q=0")), [Gzip]);
        assert_eq!(acceptable(Some("*;q=0")), Vec::<Encoding>::new());
        assert_eq!(acceptable(Some("*")), [Brotli, Gzip, Identity]);
        assert_eq!(acceptable(Some("BR; Q=1.0")), [Brotli, Identity]);
        assert_eq!(acceptable(Some("br;q=nonsense")), [Identity]);
    }

    #[test]
    fn the_embedded_app_is_sorted_for_lookup() {
        let files = embedded();
        assert!(files.windows(2).all(|w| w[0].path < w[1].path));
        let app = WebFiles::Embedded(files);
        for file in files {
            assert!(
                app.embedded_file(file.path)
                    .is_some_and(|found| std::ptr::eq(found, file))
            );
        }
        assert!(app.embedded_file("no/such/file.js").is_none());
    }
}
