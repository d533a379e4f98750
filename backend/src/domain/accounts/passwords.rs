//! Optional passwords: argon2id, at least 10 characters, the most common ones refused, and
//! limited attempts that never lock the owner out (`password_limits`). A wrong address and a
//! wrong password get the same answer.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use diesel::prelude::*;

use super::model::{EmailAddress, User};
use super::password_limits;
use super::repo;
use super::sessions::{SessionGrant, start_session_for, user_by_id};
use crate::db::schema::users;
use crate::db::{DbConnection, write_transaction};
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};

/// Shortest password, in characters.
pub const MIN_LENGTH: usize = 10;
/// Longest password, in characters (argon2 takes any length; this bounds the work).
pub const MAX_LENGTH: usize = 200;

/// Passwords of at least 10 characters that appear at the top of public leak lists, and Dutch
/// favourites. Compared case-insensitively.
const COMMON: &[&str] = &[
    "1234567890",
    "0987654321",
    "12345678910",
    "123456789a",
    "a123456789",
    "1234567890a",
    "qwertyuiop",
    "qwertyuiop1",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsx12",
    "password12",
    "password123",
    "password1234",
    "password!1",
    "passw0rd12",
    "p@ssw0rd12",
    "iloveyou12",
    "iloveyou123",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "abc1234567",
    "abcdefghij",
    "abcdefg123",
    "1111111111",
    "0000000000",
    "1234512345",
    "1231231234",
    "princess12",
    "football12",
    "baseball12",
    "sunshine12",
    "superman12",
    "letmein123",
    "welcome123",
    "welcome1234",
    "admin12345",
    "administrator",
    "trustno1234",
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord12",
    "wachtwoord123",
    "welkom1234",
    "welkom12345",
    "welkom123!",
    "geheim1234",
    "amsterdam1",
    "rotterdam1",
    "feyenoord1",
    "ajax123456",
    "buurtkracht",
    "buurtkracht1",
    "buurtkracht123",
];

fn argon2() -> Argon2<'static> {
    // argon2id, version 0x13, OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
    Argon2::default()
}

/// Check a new password; every problem is returned for the field `newPassword`.
fn check_new_password(password: &str, user: &User) -> Result<(), FieldProblem> {
    let length = password.chars().count();
    let lower = password.to_lowercase();
    if length < MIN_LENGTH {
        return Err(FieldProblem::new(
            "newPassword",
            ProblemCode::TooShort { min: MIN_LENGTH },
        ));
    }
    if length > MAX_LENGTH {
        return Err(FieldProblem::new(
            "newPassword",
            ProblemCode::TooLong { max: MAX_LENGTH },
        ));
    }
    let local_part = user.email.split('@').next().unwrap_or_default();
    let one_character = password.chars().all(|c| password.starts_with(c));
    if COMMON.contains(&lower.as_str())
        || one_character
        || lower == user.email
        || lower == local_part
        || lower == user.display_name.to_lowercase()
    {
        return Err(FieldProblem::new("newPassword", ProblemCode::TooCommon));
    }
    Ok(())
}

fn hash(password: &str) -> DomainResult<String> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| DomainError::Internal(format!("salt: {e}")))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(format!("argon2: {e}")))
}

fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the address is unknown, so that the
/// answer takes as long as for a known address.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that nobody has").unwrap_or_default())
}

fn stored_hash(conn: &mut DbConnection, user: &User) -> QueryResult<Option<String>> {
    users::table
        .find(user.id.0)
        .select(users::password_hash)
        .first(conn)
}

/// Whether the person has a password.
pub fn has_password(conn: &mut DbConnection, user: &User) -> DomainResult<bool> {
    Ok(stored_hash(conn, user)?.is_some())
}

/// Give every account the demo password (seed-demo only, on a database it just filled).
pub fn set_for_demo(conn: &mut DbConnection, password: &str) -> DomainResult<()> {
    let hashed = hash(password)?;
    diesel::update(users::table)
        .set(users::password_hash.eq(hashed))
        .execute(conn)?;
    Ok(())
}

/// Sign in with e-mail and password, from the client at `client_ip`. `public_url` is where the
/// web app is, for the warning e-mail to the owner of an address under attack.
pub fn sign_in(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    client_ip: Option<&str>,
    public_url: &str,
) -> DomainResult<SessionGrant> {
    let email = EmailAddress::parse(email).map_err(|p| DomainError::Validation(vec![p]))?;
    let attempt = password_limits::admit(conn, &email, client_ip, now())?;
    let user = repo::find_by_email(conn, &email)?.filter(|u| !u.deleted);
    let stored = match &user {
        Some(u) => stored_hash(conn, u)?,
        None => None,
    };
    let ok = match &stored {
        Some(h) => verify(password, h),
        None => {
            verify(password, decoy_hash());
            false
        }
    };
    match (ok, user) {
        (true, Some(user)) => write_transaction(conn, |conn| {
            password_limits::succeeded(conn, &attempt)?;
            start_session_for(conn, user, now())
        }),
        (_, user) => {
            let sign_in_page = format!("{public_url}/sign-in");
            write_transaction(conn, |conn| {
                password_limits::failed(conn, &attempt, user.as_ref(), &sign_in_page, now())
            })?;
            Err(DomainError::Unauthenticated)
        }
    }
}

/// Set or change the signed-in person's password. With a password already set, the current
/// one is needed.
pub fn set_password(
    conn: &mut DbConnection,
    actor: &Actor,
    current: Option<&str>,
    new_password: &str,
) -> DomainResult<()> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    let user = user_by_id(conn, person.id)?
        .filter(|u| !u.deleted)
        .ok_or(DomainError::Unauthenticated)?;
    if let Some(stored) = stored_hash(conn, &user)? {
        let matches = current.is_some_and(|c| verify(c, &stored));
        if !matches {
            return Err(DomainError::Validation(vec![FieldProblem::new(
                "currentPassword",
                ProblemCode::InvalidFormat,
            )]));
        }
    }
    check_new_password(new_password, &user).map_err(|p| DomainError::Validation(vec![p]))?;
    let hashed = hash(new_password)?;
    diesel::update(users::table.find(user.id.0))
        .set((users::password_hash.eq(hashed), users::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::Language;
    use crate::domain::ids::UserId;

    fn user() -> User {
        User {
            id: UserId(1),
            email: "kees@example.org".into(),
            display_name: "Kees van Dijk".into(),
            language: Language::Dutch,
            is_admin: false,
            created_at: chrono::DateTime::from_timestamp(0, 0)
                .map(|d| d.naive_utc())
                .unwrap_or_default(),
            deleted: false,
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let code = |p: &str| {
            check_new_password(p, &user())
                .err()
                .map(|f| f.code.as_str())
        };
        assert_eq!(code("short"), Some("TOO_SHORT"));
        assert_eq!(code("Wachtwoord123"), Some("TOO_COMMON"));
        assert_eq!(code("aaaaaaaaaaaa"), Some("TOO_COMMON"));
        assert_eq!(code("kees van dijk"), Some("TOO_COMMON"));
        assert_eq!(code("kees@example.org"), Some("TOO_COMMON"));
        assert_eq!(code("fiets-tulp-gracht-7"), None);
    }

    #[test]
    fn hashes_verify_only_their_password() {
        let h = hash("fiets-tulp-gracht-7").expect("hashed");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("fiets-tulp-gracht-7", &h));
        assert!(!verify("fiets-tulp-gracht-8", &h));
        assert!(!verify("x", "not a hash"));
    }
}
