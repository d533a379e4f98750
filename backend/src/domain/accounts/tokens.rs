//! Access tokens (JWT, HS256 pinned) and random opaque secrets.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::domain::ids::UserId;

/// Who issues tokens.
pub const ISSUER: &str = "buurtkracht";
/// Who accepts them.
pub const AUDIENCE: &str = "buurtkracht-api";
/// How long an access token is valid.
pub const ACCESS_TOKEN_TTL: TimeDelta = TimeDelta::minutes(15);

/// A random secret of 32 bytes, URL-safe, with a recognisable prefix.
pub fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// SHA-256 of a secret, hex; only this is stored.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    /// The session (refresh-token family) this token belongs to.
    sid: String,
    iat: i64,
    exp: i64,
}

/// What a valid access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub user: UserId,
    pub session: String,
}

/// The signing key.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// A signed access token and when it expires.
    pub fn issue(
        &self,
        user: UserId,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), String> {
        let expires = now + ACCESS_TOKEN_TTL;
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user.0.to_string(),
            sid: session.to_owned(),
            iat: now.timestamp(),
            exp: expires.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map(|token| (token, expires))
            .map_err(|e| e.to_string())
    }

    /// Verify an access token: HS256 only (so `none` and other algorithms fail), our key, our
    /// issuer and audience, not expired.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok()?;
        Some(AccessClaims {
            user: UserId(data.claims.sub.parse().ok()?),
            session: data.claims.sid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_other_keys_fail() {
        let keys = TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let (token, _) = keys.issue(UserId(7), "fam", Utc::now()).expect("issued");
        assert_eq!(
            keys.verify(&token),
            Some(AccessClaims {
                user: UserId(7),
                session: "fam".into()
            })
        );
        let other = TokenKeys::from_secret(b"another key another key another!");
        assert_eq!(other.verify(&token), None);
        let (expired, _) = keys
            .issue(UserId(7), "fam", Utc::now() - TimeDelta::hours(1))
            .expect("issued");
        assert_eq!(keys.verify(&expired), None);
    }

    #[test]
    fn alg_none_and_other_algorithms_are_refused() {
        let keys = TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let now = Utc::now().timestamp();
        let payload = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"iss":"buurtkracht","aud":"buurtkracht-api","sub":"1","sid":"f","iat":{now},"exp":{}}}"#,
            now + 600
        ));
        let none = format!(
            "{}.{payload}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
        );
        assert_eq!(keys.verify(&none), None);
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &serde_json::json!({"iss":"buurtkracht","aud":"buurtkracht-api","sub":"1","sid":"f","iat":now,"exp":now+600}),
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .expect("encoded");
        assert_eq!(keys.verify(&hs512), None);
    }
}
