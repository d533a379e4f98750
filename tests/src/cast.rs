//! The people most capability tests need: an admin, two neighbourhoods ("here" and
//! "elsewhere"), an organiser of each, and two residents of "here" — so that every mutation can
//! be tried per role.

use serde_json::{Value, json};

use crate::{GqlResponse, Session, TestApp};

const APPOINT: &str = "mutation($n: ID!, $p: ID!) { appointOrganiser(neighbourhoodId: $n, personId: $p, reason: \"community worker\") { role } }";
const JOIN: &str = "mutation($n: ID!) { joinNeighbourhood(neighbourhoodId: $n) { role } }";

/// Everyone a test needs: the five roles, plus a second resident.
pub struct Cast {
    pub admin: String,
    pub here: Value,
    pub elsewhere: Value,
    pub organiser_here: Session,
    pub organiser_elsewhere: Session,
    /// A resident of "here" who acts in the test.
    pub resident: Session,
    /// Another resident of "here".
    pub neighbour: Session,
}

impl Cast {
    /// (role, token); `None` is the visitor.
    pub fn roles(&self) -> Vec<(&'static str, Option<&str>)> {
        vec![
            ("visitor", None),
            ("resident", Some(self.neighbour.access_token.as_str())),
            (
                "organiser here",
                Some(self.organiser_here.access_token.as_str()),
            ),
            (
                "organiser elsewhere",
                Some(self.organiser_elsewhere.access_token.as_str()),
            ),
            ("admin", Some(self.admin.as_str())),
        ]
    }
}

/// Make `token`'s holder a resident of `neighbourhood`.
pub async fn join(app: &TestApp, token: &str, neighbourhood: &Value) {
    let r = app
        .graphql_as(Some(token), "en", JOIN, json!({ "n": neighbourhood["id"] }))
        .await;
    assert_eq!(r.data()["joinNeighbourhood"]["role"], "RESIDENT");
}

/// Transvaal (here) and Lombok (elsewhere), each with an organiser; Kees and Samira live here.
pub async fn cast(app: &TestApp) -> Cast {
    let admin = app.admin_token("admin@example.org").await;
    let here = app.create_neighbourhood(&admin, "Transvaal").await;
    let elsewhere = app.create_neighbourhood(&admin, "Lombok").await;
    let organiser_here = app
        .quick_session("fatima@example.org", "Fatima Organiser")
        .await;
    let organiser_elsewhere = app
        .quick_session("joost@example.org", "Joost Organiser")
        .await;
    let resident = app.quick_session("kees@example.org", "Kees Resident").await;
    let neighbour = app
        .quick_session("samira@example.org", "Samira Neighbour")
        .await;
    for (organiser, neighbourhood) in [(&organiser_here, &here), (&organiser_elsewhere, &elsewhere)]
    {
        let r = app
            .graphql_as(
                Some(&admin),
                "en",
                APPOINT,
                json!({ "n": neighbourhood["id"], "p": organiser.viewer["id"] }),
            )
            .await;
        assert_eq!(r.data()["appointOrganiser"]["role"], "ORGANISER");
    }
    join(app, &resident.access_token, &here).await;
    join(app, &neighbour.access_token, &here).await;
    Cast {
        admin,
        here,
        elsewhere,
        organiser_here,
        organiser_elsewhere,
        resident,
        neighbour,
    }
}

/// `r` failed with `code` and exactly these `(field, code)` problems, in this order.
pub fn expect_fields(r: &GqlResponse, code: &str, fields: &[(&str, &str)]) {
    assert_eq!(r.error_code(), Some(code), "{:#}", r.body);
    let expected: Vec<(String, String)> = fields
        .iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(r.field_codes(), expected, "{:#}", r.body);
}
