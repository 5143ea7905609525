//! NuGet versions, floating versions and version ranges, as `PackageReference`, `PackageVersion`
//! and host.json `extensionBundle.version` write them.
//!
//! Versions follow NuGet's SemVer 2 rules: one to four numeric parts (missing parts are 0), an
//! optional prerelease label that sorts below the release (`1.0.0-alpha < 1.0.0`), label parts
//! compared numerically when both are numbers and ignoring case otherwise, and build metadata
//! (`+sha`) ignored. A value written with an MSBuild property (`$(DurableVersion)`) is
//! [`Requirement::Unknown`]: it is never guessed.

use std::cmp::Ordering;
use std::fmt;

/// A NuGet version.
#[derive(Debug, Clone)]
pub struct Version {
    /// Major, minor, patch, revision.
    release: [u64; 4],
    /// Prerelease label parts (`alpha`, `1`); empty for a release.
    pre: Vec<String>,
    /// The text as written (build metadata included).
    text: String,
}

impl Version {
    /// Parses `1`, `1.2`, `1.2.3`, `1.2.3.4`, each with an optional `-label` and `+metadata`.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let without_meta = text
            .split_once('+')
            .map_or(text, |(v, meta)| if meta.is_empty() { "" } else { v });
        let (numbers, label) = match without_meta.split_once('-') {
            Some((n, l)) => (n, Some(l)),
            None => (without_meta, None),
        };
        let mut release = [0u64; 4];
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.is_empty() || parts.len() > 4 {
            return None;
        }
        for (slot, part) in release.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        let pre = match label {
            None => Vec::new(),
            Some(l) => {
                let parts: Vec<String> = l.split('.').map(str::to_string).collect();
                let valid = |p: &String| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                };
                if !parts.iter().all(valid) {
                    return None;
                }
                parts
            }
        };
        Some(Version {
            release,
            pre,
            text: text.to_string(),
        })
    }

    /// The version from numeric parts, for computed bounds.
    fn from_parts(release: [u64; 4]) -> Version {
        let text = if release[3] == 0 {
            format!("{}.{}.{}", release[0], release[1], release[2])
        } else {
            format!(
                "{}.{}.{}.{}",
                release[0], release[1], release[2], release[3]
            )
        };
        Version {
            release,
            pre: Vec::new(),
            text,
        }
    }

    /// The major version.
    pub fn major(&self) -> u64 {
        self.release[0]
    }

    /// Whether it has a prerelease label.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn compare_labels(a: &[String], b: &[String]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in a.iter().zip(b) {
        let numeric = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
        let ord = match (numeric(x), numeric(y)) {
            (true, true) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.release
            .cmp(&other.release)
            .then_with(|| compare_labels(&self.pre, &other.pre))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// Which part of a floating version floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Float {
    /// `*`: any version.
    Major,
    /// `1.*`.
    Minor,
    /// `1.2.*`.
    Patch,
    /// `1.2.3.*`.
    Revision,
    /// `1.0.0-*` or `1.0.0-beta*`: prereleases of one release.
    Prerelease,
}

/// A version range: bounds, and the floating part when the lower bound floats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRange {
    /// Lower bound.
    pub min: Option<Version>,
    /// Whether the lower bound is allowed.
    pub min_inclusive: bool,
    /// Upper bound.
    pub max: Option<Version>,
    /// Whether the upper bound is allowed.
    pub max_inclusive: bool,
    /// The floating part, for `1.*`, `[1.*, 2.0)` and the like.
    pub float: Option<Float>,
}

/// A version as a project or host.json writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Written with an MSBuild property (`$(X)`) or otherwise not evaluable: never guessed.
    Unknown(String),
    /// A version, floating version or range.
    Range(VersionRange),
}

impl Requirement {
    /// Parses a version, floating version or range. Property references and text that is not
    /// a NuGet version are [`Requirement::Unknown`].
    pub fn parse(text: &str) -> Requirement {
        if text.contains("$(") || text.contains("@(") || text.contains("%(") {
            return Requirement::Unknown(text.to_string());
        }
        VersionRange::parse(text).map_or_else(
            || Requirement::Unknown(text.to_string()),
            Requirement::Range,
        )
    }

    /// The range, when the text is one.
    pub fn range(&self) -> Option<&VersionRange> {
        match self {
            Requirement::Range(r) => Some(r),
            Requirement::Unknown(_) => None,
        }
    }
}

/// Parses a floating version (`*`, `1.*`, `1.2.*`, `1.0.0-*`, `1.0.0-rc*`): its lowest version
/// and what floats. `None` when the text does not float.
fn parse_float(text: &str) -> Option<(Option<Version>, Float)> {
    let text = text.trim();
    if text == "*" {
        return Some((None, Float::Major));
    }
    if !text.ends_with('*') {
        return None;
    }
    let head = &text[..text.len() - 1];
    if let Some((release, label)) = head.split_once('-') {
        if release.ends_with('*') {
            // `1.*-*`: floats like `1.*`, prereleases included.
            return parse_float(release);
        }
        // `1.0.0-*`: the lowest prerelease of 1.0.0; `1.0.0-rc*`: from `1.0.0-rc`.
        let label = if label.is_empty() { "0" } else { label };
        let label = label.trim_end_matches('.');
        let min = Version::parse(&format!("{release}-{label}"))?;
        return Some((Some(min), Float::Prerelease));
    }
    let numbers = head.strip_suffix('.')?;
    let min = Version::parse(numbers)?;
    let float = match numbers.split('.').count() {
        1 => Float::Minor,
        2 => Float::Patch,
        3 => Float::Revision,
        _ => return None,
    };
    Some((Some(min), float))
}

impl VersionRange {
    /// Parses `1.0` (≥ 1.0), `[1.0]`, `[1.0,2.0)`, `(1.0,)`, `(,2.0]`, floating versions, and
    /// ranges whose lower bound floats (`[4.*, 5.0.0)`).
    pub fn parse(text: &str) -> Option<VersionRange> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let first = text.chars().next()?;
        if first != '[' && first != '(' {
            if let Some((min, float)) = parse_float(text) {
                return Some(VersionRange {
                    min,
                    min_inclusive: true,
                    max: None,
                    max_inclusive: false,
                    float: Some(float),
                });
            }
            return Some(VersionRange {
                min: Some(Version::parse(text)?),
                min_inclusive: true,
                max: None,
                max_inclusive: false,
                float: None,
            });
        }
        let last = text.chars().last()?;
        if text.len() < 2 || (last != ']' && last != ')') {
            return None;
        }
        let min_inclusive = first == '[';
        let max_inclusive = last == ']';
        let inner = &text[1..text.len() - 1];
        let (low, high) = match inner.split_once(',') {
            Some((l, h)) => (l.trim(), Some(h.trim())),
            None => (inner.trim(), None),
        };
        let Some(high) = high else {
            // `[1.0]`: exactly one version; `(1.0)` is invalid.
            if !(min_inclusive && max_inclusive) {
                return None;
            }
            let v = Version::parse(low)?;
            return Some(VersionRange {
                min: Some(v.clone()),
                min_inclusive: true,
                max: Some(v),
                max_inclusive: true,
                float: None,
            });
        };
        if high.contains(',') {
            return None;
        }
        let (min, float) = if low.is_empty() {
            (None, None)
        } else if let Some((min, float)) = parse_float(low) {
            (min, Some(float))
        } else {
            (Some(Version::parse(low)?), None)
        };
        let max = if high.is_empty() {
            None
        } else {
            Some(Version::parse(high)?)
        };
        if min.is_none() && max.is_none() && float.is_none() {
            return None;
        }
        if let (Some(a), Some(b)) = (&min, &max) {
            if a > b || (a == b && !(min_inclusive && max_inclusive)) {
                return None;
            }
        }
        Some(VersionRange {
            min,
            min_inclusive,
            max,
            max_inclusive,
            float,
        })
    }

    /// Whether the range allows `v` (the bounds; a float's lowest version is the lower bound).
    pub fn contains(&self, v: &Version) -> bool {
        let above_min = match &self.min {
            None => true,
            Some(min) if self.min_inclusive => v >= min,
            Some(min) => v > min,
        };
        let below_max = match &self.max {
            None => true,
            Some(max) if self.max_inclusive => v <= max,
            Some(max) => v < max,
        };
        above_min && below_max
    }

    /// Whether the version floats (`*`, `1.*`, `1.0.0-*`, `[1.*, 2.0)`).
    pub fn is_floating(&self) -> bool {
        self.float.is_some()
    }

    /// The exclusive end of the floating part: `1.*` floats below 2.0.0, `1.2.*` below 1.3.0.
    /// `None` when it floats without end (`*`).
    fn float_end(&self) -> Option<Version> {
        let min = self.min.as_ref()?;
        let r = min.release;
        match self.float? {
            Float::Major => None,
            Float::Minor => Some(Version::from_parts([r[0] + 1, 0, 0, 0])),
            Float::Patch => Some(Version::from_parts([r[0], r[1] + 1, 0, 0])),
            Float::Revision => Some(Version::from_parts([r[0], r[1], r[2] + 1, 0])),
            // Prereleases of the release and the release itself.
            Float::Prerelease => Some(Version::from_parts([r[0], r[1], r[2], r[3] + 1])),
        }
    }

    /// Whether `v` is one the range can pick: within the bounds and, for a float, within the
    /// floating part.
    fn allows(&self, v: &Version) -> bool {
        self.contains(v) && self.float_end().is_none_or(|end| v < &end)
    }

    /// The highest version of `known` the range allows.
    pub fn highest_of<'a>(&self, known: &'a [Version]) -> Option<&'a Version> {
        known.iter().filter(|v| self.allows(v)).max()
    }

    /// The highest version the range allows, judged against `known` (the versions that exist).
    /// A range open above the newest known version resolves to a newer one.
    pub fn highest<'a>(&self, known: &'a [Version]) -> Highest<'a> {
        let newest = known.iter().max();
        let end = match (&self.max, self.float_end()) {
            (Some(max), Some(f)) if max < &f => Some((max.clone(), self.max_inclusive)),
            (_, Some(f)) => Some((f, false)),
            (Some(max), None) => Some((max.clone(), self.max_inclusive)),
            (None, None) => None,
        };
        let open_above = match (&end, newest) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((end, _)), Some(newest)) => end > newest,
        };
        if open_above {
            return Highest::Newer;
        }
        if let Some(v) = self.highest_of(known) {
            return Highest::Known(v);
        }
        match end {
            Some((version, inclusive)) => Highest::Bound { version, inclusive },
            None => Highest::Newer,
        }
    }

    /// Whether the version NuGet restores for this range is below `minimum`: the lowest version
    /// the bounds allow, or for a floating version the highest of its floating part.
    pub fn resolves_below(&self, minimum: &Version) -> bool {
        if self.is_floating() {
            return match self.float_end() {
                None => false,
                Some(end) => {
                    let end = match &self.max {
                        Some(max) if max < &end => max.clone(),
                        _ => end,
                    };
                    &end <= minimum
                }
            };
        }
        match &self.min {
            None => true,
            Some(min) => min < minimum,
        }
    }
}

/// What the highest version a range allows is, against a list of known versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Highest<'a> {
    /// A known version.
    Known(&'a Version),
    /// The range is open above the newest known version: it resolves to the newest one.
    Newer,
    /// No known version fits; the range ends at this bound.
    Bound {
        /// The upper bound.
        version: Version,
        /// Whether the bound itself is allowed.
        inclusive: bool,
    },
}

impl Highest<'_> {
    /// Whether the highest version is below `threshold`.
    pub fn is_below(&self, threshold: &Version) -> bool {
        match self {
            Highest::Known(v) => *v < threshold,
            Highest::Newer => false,
            Highest::Bound { version, inclusive } => {
                if *inclusive {
                    version < threshold
                } else {
                    version <= threshold
                }
            }
        }
    }

    /// For messages: "resolves to 4.29.0", "only allows versions below 4.0.0".
    pub fn describe(&self) -> String {
        match self {
            Highest::Known(v) => format!("resolves to {v}"),
            Highest::Newer => "resolves to the newest version".to_string(),
            Highest::Bound {
                version,
                inclusive: true,
            } => format!("resolves to {version} at most"),
            Highest::Bound {
                version,
                inclusive: false,
            } => format!("only allows versions below {version}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    fn r(s: &str) -> VersionRange {
        VersionRange::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn parses_one_to_four_parts() {
        assert_eq!(v("1"), v("1.0.0"));
        assert_eq!(v("1.2"), v("1.2.0.0"));
        assert_eq!(v("1.2.3.4").release, [1, 2, 3, 4]);
        assert!(Version::parse("1.2.3.4.5").is_none());
        assert!(Version::parse("").is_none());
        assert!(Version::parse("1..2").is_none());
        assert!(Version::parse("v1.0").is_none());
        assert!(Version::parse("1.0-").is_none());
        assert!(Version::parse("1.0.0-al pha").is_none());
        assert_eq!(v(" 1.0.0 ").as_str(), "1.0.0");
    }

    #[test]
    fn orders_prereleases_below_releases() {
        assert!(v("1.0.0-alpha") < v("1.0.0"));
        assert!(v("0.4.1-alpha") < v("1.0.0"));
        assert!(v("1.0.0-alpha") < v("1.0.0-alpha.1"));
        assert!(v("1.0.0-alpha.1") < v("1.0.0-alpha.beta"));
        assert!(v("1.0.0-beta.2") < v("1.0.0-beta.11"));
        assert!(v("1.0.0-rc.1") < v("1.0.0"));
        assert!(v("1.16.5") > v("1.2.2"));
        assert!(v("1.0.0.1") > v("1.0.0"));
        assert!(v("4.29.0-Preview") < v("4.29.0"));
    }

    #[test]
    fn labels_ignore_case_and_metadata_is_ignored() {
        assert_eq!(v("1.0.0-ALPHA"), v("1.0.0-alpha"));
        assert_eq!(v("1.0.0+abc"), v("1.0.0"));
        assert_eq!(v("1.0.0-rc.1+build.5"), v("1.0.0-RC.1"));
        assert_eq!(v("1.0.0+abc").as_str(), "1.0.0+abc");
    }

    #[test]
    fn parses_ranges() {
        let range = r("[1.0,2.0)");
        assert!(range.contains(&v("1.0")));
        assert!(range.contains(&v("1.9.9")));
        assert!(!range.contains(&v("2.0")));
        assert!(!range.contains(&v("0.9")));
        let open = r("(1.0,)");
        assert!(!open.contains(&v("1.0")));
        assert!(open.contains(&v("1.0.1")));
        assert!(open.contains(&v("99.0")));
        let exact = r("[1.0]");
        assert!(exact.contains(&v("1.0.0")));
        assert!(!exact.contains(&v("1.0.1")));
        let bare = r("1.0");
        assert!(bare.contains(&v("1.0")));
        assert!(bare.contains(&v("5.0")));
        assert!(!bare.contains(&v("0.9")));
        let upto = r("(,1.0]");
        assert!(upto.contains(&v("0.1")));
        assert!(upto.contains(&v("1.0")));
        assert!(!upto.contains(&v("1.0.1")));
        assert!(r("[ 4.32.0 , 5.0.0 )").contains(&v("4.40.0")));
    }

    #[test]
    fn rejects_invalid_ranges() {
        for bad in [
            "(1.0)",
            "[1.0",
            "1.0]",
            "[2.0,1.0]",
            "(1.0,1.0)",
            "[,]",
            "[1,2,3]",
            "abc",
            "",
            "[x,2.0)",
        ] {
            assert!(VersionRange::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn parses_floating_versions() {
        assert_eq!(r("*").float, Some(Float::Major));
        assert_eq!(r("1.*").float, Some(Float::Minor));
        assert_eq!(r("1.2.*").float, Some(Float::Patch));
        assert_eq!(r("1.2.3.*").float, Some(Float::Revision));
        assert_eq!(r("1.0.0-*").float, Some(Float::Prerelease));
        assert_eq!(r("1.0.0-rc*").float, Some(Float::Prerelease));
        assert_eq!(r("[4.*, 5.0.0)").float, Some(Float::Minor));
        assert_eq!(r("1.*-*").float, Some(Float::Minor));
        assert_eq!(r("*-*").float, Some(Float::Major));
        assert!(r("1.*").contains(&v("1.0.0")));
        assert!(!r("1.2.*").contains(&v("1.1.9")));
        assert!(r("1.0.0-*").contains(&v("1.0.0-alpha")));
        assert!(!r("1.0.0").is_floating());
        assert!(r("2.4.*").is_floating());
        assert!(VersionRange::parse("1.*.3").is_none());
    }

    #[test]
    fn property_references_are_unknown() {
        assert_eq!(
            Requirement::parse("$(DurableVersion)"),
            Requirement::Unknown("$(DurableVersion)".into())
        );
        assert!(matches!(
            Requirement::parse("1.$(Minor).0"),
            Requirement::Unknown(_)
        ));
        assert!(matches!(
            Requirement::parse("not a version"),
            Requirement::Unknown(_)
        ));
        assert!(Requirement::parse("1.8.1").range().is_some());
    }

    #[test]
    fn resolves_below_a_minimum() {
        let min = v("1.0.0");
        assert!(r("0.4.1-alpha").resolves_below(&min));
        assert!(!r("1.0.0").resolves_below(&min));
        assert!(!r("1.8.1").resolves_below(&min));
        assert!(r("[0.3.0-alpha, 2.0)").resolves_below(&min));
        assert!(r("(,2.0)").resolves_below(&min));
        assert!(r("0.*").resolves_below(&min));
        assert!(!r("1.*").resolves_below(&min));
        assert!(!r("*").resolves_below(&min));
        assert!(r("1.0.*").resolves_below(&v("1.2.2")));
        assert!(!r("1.*").resolves_below(&v("1.2.2")));
        assert!(r("[1.*, 1.2.0)").resolves_below(&v("1.2.2")));
        assert!(r("1.0.0-*").resolves_below(&v("1.0.1")));
    }

    #[test]
    fn highest_version_among_known() {
        let known: Vec<Version> = ["4.30.0", "4.31.0", "4.32.0", "4.37.1", "4.38.0", "4.38.1"]
            .iter()
            .map(|s| v(s))
            .collect();
        assert_eq!(r("[4.*, 5.0.0)").highest(&known), Highest::Newer);
        assert_eq!(r("[4.32.0, 5.0.0)").highest(&known), Highest::Newer);
        assert_eq!(
            r("[4.30.0, 4.32.0)").highest(&known),
            Highest::Known(&known[1])
        );
        assert_eq!(r("[4.38.0]").highest(&known), Highest::Known(&known[4]));
        let pin = r("[4.29.0]").highest(&known);
        assert!(pin.is_below(&v("4.30.0")));
        assert_eq!(pin.describe(), "resolves to 4.29.0 at most");
        let below = r("[4.0.0, 4.30.0)").highest(&known);
        assert!(below.is_below(&v("4.30.0")));
        assert_eq!(below.describe(), "only allows versions below 4.30.0");
        assert!(r("[3.*, 4.0.0)").highest(&known).is_below(&v("4.30.0")));
        assert!(r("[2.*, 3.0.0)").highest(&known).is_below(&v("4.30.0")));
        assert!(!r("[4.30.0, 4.31.0]").highest(&known).is_below(&v("4.30.0")));
        assert!(r("[4.30.0, 4.31.0]").highest(&known).is_below(&v("4.32.0")));
        // A float ends where its floating part ends.
        assert!(r("4.31.*").highest(&known).is_below(&v("4.32.0")));
        assert_eq!(r("4.*").highest(&known), Highest::Newer);
        assert_eq!(r("[4.38.0, 4.38.1]").highest_of(&known), Some(&known[5]));
        assert_eq!(r("[5.0.0, 6.0.0)").highest_of(&known), None);
    }
}
