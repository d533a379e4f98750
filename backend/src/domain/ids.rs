//! Id newtypes, so that a `UserId` can never be passed where a `NeighbourhoodId` belongs, and
//! the opaque public form of ids ("Kind:123", base64url) used by the API and in links.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The opaque public id of a stored thing: what the API and links in e-mails use.
pub fn public_id(kind: &str, raw: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{raw}"))
}

/// The raw id in a public id of `kind`; `None` for anything else.
pub fn parse_public_id(kind: &str, public: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(public).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (found_kind, raw) = text.split_once(':')?;
    if found_kind != kind {
        return None;
    }
    raw.parse().ok()
}

macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    };
}

id_newtype!(
    /// Identifies a neighbourhood.
    NeighbourhoodId
);
id_newtype!(
    /// Identifies a person with an account.
    UserId
);
id_newtype!(
    /// Identifies a grievance ("signaal").
    GrievanceId
);
id_newtype!(
    /// Identifies a comment on a grievance.
    CommentId
);
id_newtype!(
    /// Identifies a theme of grievances.
    ThemeId
);
id_newtype!(
    /// Identifies a campaign ("actie").
    CampaignId
);
id_newtype!(
    /// Identifies a phase of a campaign.
    PhaseId
);
id_newtype!(
    /// Identifies a goal of a campaign phase.
    GoalId
);
