//! The registry of pending-action kinds. A capability that lets visitors act first implements
//! [`PendingKind`] in its own module and adds it to [`ALL`]; the confirmation flow (link, account,
//! membership, sign-in) is the same for every kind.

use chrono::NaiveDateTime;
use serde_json::Value;

use super::{Done, PendingKind};
use crate::db::DbConnection;
use crate::domain::accounts::Language;
use crate::domain::actor::PersonActor;
use crate::domain::grievances::pending::{COSIGN, RAISE};
use crate::domain::{DomainResult, return_path};

/// Every kind the confirmation link can carry out.
pub static ALL: &[&dyn PendingKind] = &[&CREATE_ACCOUNT, &COSIGN, &RAISE];

/// The kind with this stored name.
pub fn find(name: &str) -> Option<&'static dyn PendingKind> {
    ALL.iter().copied().find(|k| k.name() == name)
}

/// Make an account (and sign in): the answer to a link request for an unknown address. The
/// payload is `{"returnPath": "/…" | null}`.
pub struct CreateAccount;

/// The one `CreateAccount`.
pub static CREATE_ACCOUNT: CreateAccount = CreateAccount;

impl PendingKind for CreateAccount {
    fn name(&self) -> &'static str {
        "account.create"
    }

    fn describe(&self, language: Language, _subject: &str) -> String {
        match language {
            Language::Dutch => "een account maken".to_owned(),
            Language::English => "make an account".to_owned(),
        }
    }

    fn carry_out(
        &self,
        _conn: &mut DbConnection,
        _person: &PersonActor,
        payload: &Value,
        _at: NaiveDateTime,
    ) -> DomainResult<Done> {
        let back = payload["returnPath"]
            .as_str()
            .and_then(|p| return_path::check("returnPath", p).ok())
            .unwrap_or_else(|| "/".to_owned());
        Ok(Done { return_path: back })
    }
}
