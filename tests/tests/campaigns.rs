//! Campaigns: started from grievances, phases with goals that complete only when the goals are
//! met or reasons are given (with a reflection), closing with an outcome that resolves or closes
//! the grievances; participants, core team and hand-over; per role, with bad input, under
//! concurrency, with a fixed statement count for the page; on SQLite and PostgreSQL.

use buurtkracht_tests::cast::expect_fields;
use buurtkracht_tests::{GqlResponse, Session, TestApp, document, on_both_backends};
use serde_json::{Value, json};

const CAMPAIGN_FIELDS: &str = "id title summary changeGoals status outcome runByResidents participantCount progressPercent coreTeam { id displayName } activePhase { id title } phases { id position title status reflection progressPercent goals { id text target unit currentValue progressPercent met evidence unmetReason } } viewer { isParticipant isCoreTeam canEdit canModerate }";

fn start_mutation() -> String {
    format!(
        "mutation($input: StartCampaignInput!) {{ startCampaign(input: $input) {{ {CAMPAIGN_FIELDS} }} }}"
    )
}

fn campaign_query() -> String {
    format!(
        "query($id: ID!) {{ campaign(id: $id) {{ {CAMPAIGN_FIELDS} grievances {{ totalCount edges {{ node {{ id status cosignCount author {{ displayName anonymous person {{ id }} }} campaign {{ id title status }} }} }} }} }} }}"
    )
}

fn add_goal_mutation() -> String {
    format!(
        "mutation($input: AddPhaseGoalInput!) {{ addPhaseGoal(input: $input) {{ {CAMPAIGN_FIELDS} }} }}"
    )
}

fn update_goal_mutation() -> String {
    format!(
        "mutation($input: UpdatePhaseGoalInput!) {{ updatePhaseGoal(input: $input) {{ {CAMPAIGN_FIELDS} }} }}"
    )
}

fn complete_mutation() -> String {
    format!(
        "mutation($input: CompletePhaseInput!) {{ completeCampaignPhase(input: $input) {{ {CAMPAIGN_FIELDS} }} }}"
    )
}

const RAISE: &str =
    "mutation($input: RaiseGrievanceInput!) { raiseGrievance(input: $input) { id status } }";
const GRIEVANCE: &str = "query($id: ID!) { grievance(id: $id) { id status statusReason campaign { id title status outcome } history { to by { displayName } } } }";
const COSIGN: &str = "mutation($id: ID!) { cosignGrievance(grievanceId: $id) { id } }";
const ACKNOWLEDGE: &str = "mutation($id: ID!, $r: String!) { acknowledgeGrievance(grievanceId: $id, response: $r) { id status } }";
const JOIN_NEIGHBOURHOOD: &str =
    "mutation($n: ID!) { joinNeighbourhood(neighbourhoodId: $n) { role } }";
const JOIN: &str = "mutation($id: ID!) { joinCampaign(campaignId: $id) { id participantCount viewer { isParticipant } } }";
const LEAVE: &str = "mutation($id: ID!) { leaveCampaign(campaignId: $id) { id participantCount viewer { isParticipant } } }";
const ADD_TEAM: &str = "mutation($id: ID!, $p: ID!, $r: String!) { addCoreTeamMember(campaignId: $id, personId: $p, reason: $r) { id coreTeam { id displayName } participantCount } }";
const REMOVE_TEAM: &str = "mutation($id: ID!, $p: ID!, $r: String!) { removeCoreTeamMember(campaignId: $id, personId: $p, reason: $r) { id coreTeam { id displayName } } }";
const STEP_BACK: &str = "mutation($id: ID!, $r: String!) { stepBackFromCampaign(campaignId: $id, reason: $r) { id runByResidents coreTeam { displayName } viewer { isCoreTeam canEdit canModerate } } }";
const UNLINK: &str = "mutation($id: ID!, $g: ID!, $r: String!) { unlinkGrievanceFromCampaign(campaignId: $id, grievanceId: $g, reason: $r) { id grievances { totalCount } } }";
const ADD_GRIEVANCES: &str = "mutation($id: ID!, $g: [ID!]!) { addGrievancesToCampaign(campaignId: $id, grievanceIds: $g) { id grievances { totalCount } } }";
const ADD_PHASE: &str = "mutation($id: ID!, $t: String!) { addCampaignPhase(campaignId: $id, title: $t) { id phases { title status } } }";
const EDIT_PHASE: &str = "mutation($p: ID!, $t: String!, $d: String) { editCampaignPhase(phaseId: $p, title: $t, description: $d) { id phases { id title description } } }";
const SETTINGS: &str = "mutation($n: ID!, $on: Boolean!) { setCampaignSettings(neighbourhoodId: $n, residentsMayStart: $on) { residentsMayStart } }";
const LIST: &str = "query($n: ID!, $filter: CampaignFilter, $first: Int, $after: String) { campaigns(neighbourhoodId: $n, filter: $filter, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id title status } } } }";
const AUDIT: &str = "query { auditLog(first: 50) { edges { node { action reason } } } }";

/// Everyone a test needs: the roles, plus residents who raise and co-sign.
struct Cast {
    admin: String,
    here: Value,
    elsewhere: Value,
    organiser_here: Session,
    organiser_elsewhere: Session,
    /// Raised the grievances.
    resident: Session,
    /// Co-signed the first grievance.
    cosigner: Session,
    /// Neither raised nor co-signed.
    neighbour: Session,
}

async fn cast(app: &TestApp) -> Cast {
    let base = buurtkracht_tests::cast::cast(app).await;
    let cosigner = app.quick_session("ayse@example.org", "Ayse Cosigner").await;
    let r = app
        .graphql_as(
            Some(&cosigner.access_token),
            "en",
            JOIN_NEIGHBOURHOOD,
            json!({ "n": base.here["id"] }),
        )
        .await;
    assert_eq!(r.data()["joinNeighbourhood"]["role"], "RESIDENT");
    Cast {
        admin: base.admin,
        here: base.here,
        elsewhere: base.elsewhere,
        organiser_here: base.organiser_here,
        organiser_elsewhere: base.organiser_elsewhere,
        resident: base.resident,
        cosigner,
        neighbour: base.neighbour,
    }
}

async fn raise(
    app: &TestApp,
    token: &str,
    neighbourhood: &Value,
    title: &str,
    show_name: bool,
) -> Value {
    let input = json!({
        "neighbourhoodId": neighbourhood["id"],
        "title": title,
        "text": "Er is schimmel in de woningen aan de Paul Krugerlaan.",
        "theme": "housing",
        "showName": show_name,
    });
    let r = app
        .graphql_as(Some(token), "en", RAISE, json!({ "input": input }))
        .await;
    r.data()["raiseGrievance"]["id"].clone()
}

/// Three grievances of the resident (the second anonymous), the first co-signed.
async fn three_grievances(app: &TestApp, cast: &Cast) -> Vec<Value> {
    let mut ids = Vec::new();
    for (i, title) in ["Schimmel", "Lekkage", "Tocht"].iter().enumerate() {
        ids.push(raise(app, &cast.resident.access_token, &cast.here, title, i != 1).await);
    }
    let r = app
        .graphql_as(
            Some(&cast.cosigner.access_token),
            "en",
            COSIGN,
            json!({ "id": ids[0] }),
        )
        .await;
    r.data();
    ids
}

fn start_input(grievances: &[Value]) -> Value {
    json!({
        "grievanceIds": grievances,
        "title": "Droge woningen",
        "summary": "Samen zorgen we dat de woningcorporatie de schimmel aanpakt.",
        "changeGoals": ["Alle woningen zonder schimmel", "Een vast aanspreekpunt"],
    })
}

async fn start(app: &TestApp, token: &str, grievances: &[Value]) -> Value {
    let r = app
        .graphql_as(
            Some(token),
            "en",
            &start_mutation(),
            json!({ "input": start_input(grievances) }),
        )
        .await;
    r.data()["startCampaign"].clone()
}

fn expect_refused(r: &GqlResponse, role: &str) {
    let expected = if role.starts_with("visitor") {
        "UNAUTHENTICATED"
    } else {
        "FORBIDDEN"
    };
    assert_eq!(r.error_code(), Some(expected), "{role}: {:#}", r.body);
}

async fn active_phases_in_db(app: &TestApp) -> i64 {
    use buurtkracht::db::schema::campaign_phases as p;
    use diesel::prelude::*;
    app.db
        .run(|conn| {
            p::table
                .filter(p::status.eq("active"))
                .count()
                .get_result::<i64>(conn)
                .map_err(buurtkracht::db::DbError::from)
        })
        .await
        .expect("count")
}

on_both_backends! {
    async fn a_campaign_runs_from_grievances_through_its_phases_to_an_outcome(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let org = cast.organiser_here.access_token.clone();
        let c = start(&app, &org, &ids).await;
        assert_eq!(c["status"], "ACTIVE");
        assert_eq!(c["changeGoals"], json!(["Alle woningen zonder schimmel", "Een vast aanspreekpunt"]));
        let phases = c["phases"].as_array().expect("phases").clone();
        let titles: Vec<&str> = phases.iter().map(|p| p["title"].as_str().unwrap_or("")).collect();
        assert_eq!(titles, ["Dialogue and end result", "Planning actions", "Carrying out", "Reflecting and evaluating"]);
        assert_eq!(phases.iter().filter(|p| p["status"] == "ACTIVE").count(), 1);
        assert_eq!(c["activePhase"]["id"], phases[0]["id"]);
        assert_eq!(c["participantCount"], 1);
        assert_eq!(c["coreTeam"][0]["displayName"], "Fatima Organiser");
        assert_eq!(c["viewer"], json!({ "isParticipant": true, "isCoreTeam": true, "canEdit": true, "canModerate": true }));
        // The author and the co-signer are invited over real SMTP, once each, without the
        // anonymous author's name.
        for address in ["kees@example.org", "ayse@example.org"] {
            let mail = app.smtp.wait_for(address, std::time::Duration::from_secs(10)).await.expect("invitation arrives");
            let text = mail.decoded();
            assert!(text.contains("Droge woningen"), "{text}");
            assert!(text.contains("/acties/"), "{text}");
            assert!(!text.contains("Kees Resident"), "{text}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.smtp.messages().iter().filter(|m| m.decoded().contains("Droge woningen")).count(), 2);
        assert_eq!(app.smtp.count_for("fatima@example.org"), 0, "the starter is not invited");
        for id in &ids {
            let g = app.graphql(GRIEVANCE, json!({ "id": id })).await;
            assert_eq!(g.data()["grievance"]["status"], "IN_CAMPAIGN");
            assert_eq!(g.data()["grievance"]["campaign"]["id"], c["id"]);
        }

        // The page, as the public sees it: the anonymous author stays anonymous.
        let page = app.graphql(&campaign_query(), json!({ "id": c["id"] })).await;
        let page = page.data()["campaign"].clone();
        assert_eq!(page["grievances"]["totalCount"], 3);
        let edges = page["grievances"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 3);
        let anonymous: Vec<&Value> = edges.iter().filter(|e| e["node"]["author"]["anonymous"] == true).collect();
        assert_eq!(anonymous.len(), 1);
        assert_eq!(anonymous[0]["node"]["author"]["displayName"], "a resident of Transvaal");
        assert!(anonymous[0]["node"]["author"]["person"].is_null());
        assert!(!page.to_string().contains("kees@example.org"));
        assert_eq!(page["viewer"], json!({ "isParticipant": false, "isCoreTeam": false, "canEdit": false, "canModerate": false }));

        // Goals of phase 1: a number to reach and a text.
        let first = phases[0]["id"].clone();
        app.graphql_as(Some(&org), "en", &add_goal_mutation(), json!({ "input": { "phaseId": first, "text": "Gesprekken met de woningcorporatie", "target": 3, "unit": "gesprekken" } })).await.data();
        let c = app.graphql_as(Some(&org), "en", &add_goal_mutation(), json!({ "input": { "phaseId": first, "text": "Een gedeeld eindbeeld" } })).await.data()["addPhaseGoal"].clone();
        let goals = c["phases"][0]["goals"].as_array().expect("goals").clone();
        assert_eq!(goals.len(), 2);
        assert_eq!(goals[0]["currentValue"], 0);
        assert_eq!(goals[0]["progressPercent"], 0);

        // Not yet: goals not met, and a reflection is needed.
        let r = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": first, "reflection": "Goed begin." } })).await;
        expect_fields(&r, "CONFLICT", &[("unmetReasons", "GOALS_NOT_MET")]);
        let r = app.graphql_as(Some(&org), "nl", &complete_mutation(), json!({ "input": { "phaseId": first, "reflection": "  " } })).await;
        expect_fields(&r, "VALIDATION", &[("reflection", "REQUIRED")]);
        assert!(r.error_message().contains("terugblik"), "{}", r.error_message());

        // Progress: 2 of 3 is not met; 3 of 3 is; the other goal is ticked with evidence.
        let c = app.graphql_as(Some(&org), "en", &update_goal_mutation(), json!({ "input": { "goalId": goals[0]["id"], "value": 2, "note": "Tweede gesprek gehad" } })).await.data()["updatePhaseGoal"].clone();
        assert_eq!(c["phases"][0]["goals"][0]["progressPercent"], 66);
        assert_eq!(c["phases"][0]["goals"][0]["met"], false);
        let c = app.graphql_as(Some(&org), "en", &update_goal_mutation(), json!({ "input": { "goalId": goals[0]["id"], "value": 3, "note": "Derde gesprek gehad" } })).await.data()["updatePhaseGoal"].clone();
        assert_eq!(c["phases"][0]["goals"][0]["met"], true);
        assert_eq!(c["phases"][0]["goals"][0]["evidence"], "Derde gesprek gehad");
        let r = app.graphql_as(Some(&org), "en", &update_goal_mutation(), json!({ "input": { "goalId": goals[1]["id"], "value": 1, "note": "x" } })).await;
        expect_fields(&r, "VALIDATION", &[("value", "INVALID_FORMAT")]);
        let r = app.graphql_as(Some(&org), "en", &update_goal_mutation(), json!({ "input": { "goalId": goals[1]["id"], "met": true, "note": "", "link": "ftp://x" } })).await;
        expect_fields(&r, "VALIDATION", &[("note", "REQUIRED"), ("link", "INVALID_FORMAT")]);
        let c = app.graphql_as(Some(&org), "en", &update_goal_mutation(), json!({ "input": { "goalId": goals[1]["id"], "met": true, "note": "Avond met 40 bewoners", "link": "https://example.org/verslag" } })).await.data()["updatePhaseGoal"].clone();
        assert_eq!(c["phases"][0]["progressPercent"], 100);

        // A planned phase can be edited; the active one cannot.
        let r = app.graphql_as(Some(&org), "en", EDIT_PHASE, json!({ "p": phases[1]["id"], "t": "Acties kiezen", "d": "Welke acties doen we?" })).await;
        assert_eq!(r.data()["editCampaignPhase"]["phases"][1]["title"], "Acties kiezen");
        let r = app.graphql_as(Some(&org), "en", EDIT_PHASE, json!({ "p": first, "t": "Anders" })).await;
        expect_fields(&r, "CONFLICT", &[("phaseId", "LOCKED")]);

        let c = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": first, "reflection": "Veel mensen kwamen. We leerden dat avonden beter werken." } })).await.data()["completeCampaignPhase"].clone();
        assert_eq!(c["phases"][0]["status"], "COMPLETED");
        assert_eq!(c["phases"][0]["reflection"], "Veel mensen kwamen. We leerden dat avonden beter werken.");
        assert_eq!(c["phases"][1]["status"], "ACTIVE");
        assert_eq!(c["activePhase"]["id"], phases[1]["id"]);

        // The completed phase is done: no goal updates, no second completion.
        let r = app.graphql_as(Some(&org), "en", &update_goal_mutation(), json!({ "input": { "goalId": goals[0]["id"], "value": 4, "note": "Nog een" } })).await;
        expect_fields(&r, "CONFLICT", &[("goalId", "PHASE_NOT_ACTIVE")]);
        let r = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": first, "reflection": "Nog eens" } })).await;
        expect_fields(&r, "CONFLICT", &[("phaseId", "PHASE_NOT_ACTIVE")]);

        // Phase 2 with a goal that is not met: a reason is recorded.
        let c = app.graphql_as(Some(&org), "en", &add_goal_mutation(), json!({ "input": { "phaseId": phases[1]["id"], "text": "Handtekeningen", "target": 200, "unit": "handtekeningen" } })).await.data()["addPhaseGoal"].clone();
        let petition = c["phases"][1]["goals"][0]["id"].clone();
        let c = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": phases[1]["id"], "reflection": "Minder tijd dan gedacht.", "unmetReasons": [{ "goalId": petition, "reason": "De corporatie kwam eerder met een aanbod." }] } })).await.data()["completeCampaignPhase"].clone();
        assert_eq!(c["phases"][1]["goals"][0]["unmetReason"], "De corporatie kwam eerder met een aanbod.");
        let c = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": phases[2]["id"], "reflection": "Uitgevoerd." } })).await.data()["completeCampaignPhase"].clone();
        assert_eq!(c["activePhase"]["id"], phases[3]["id"]);

        // The last phase needs an outcome; then the campaign closes and the grievances are resolved.
        let r = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": phases[3]["id"], "reflection": "We hebben gewonnen." } })).await;
        expect_fields(&r, "VALIDATION", &[("outcome", "REQUIRED"), ("outcomeSummary", "REQUIRED")]);
        let c = app.graphql_as(Some(&org), "en", &complete_mutation(), json!({ "input": { "phaseId": phases[3]["id"], "reflection": "We hebben gewonnen.", "outcome": "WON", "outcomeSummary": "De corporatie pakt alle woningen aan." } })).await.data()["completeCampaignPhase"].clone();
        assert_eq!(c["status"], "CLOSED");
        assert_eq!(c["outcome"], "WON");
        assert!(c["activePhase"].is_null());
        assert_eq!(c["viewer"]["canEdit"], false);
        for id in &ids {
            let g = app.graphql(GRIEVANCE, json!({ "id": id })).await;
            assert_eq!(g.data()["grievance"]["status"], "RESOLVED");
            assert_eq!(g.data()["grievance"]["statusReason"], "De corporatie pakt alle woningen aan.");
            assert_eq!(g.data()["grievance"]["campaign"]["outcome"], "WON");
        }
        assert_eq!(active_phases_in_db(&app).await, 0);
        let r = app.graphql_as(Some(&org), "en", ADD_PHASE, json!({ "id": c["id"], "t": "Nog een fase" })).await;
        expect_fields(&r, "CONFLICT", &[("status", "INVALID_TRANSITION")]);

        // The audit log has the completion with the unmet goal's reason.
        let audit = app.graphql_as(Some(&cast.admin), "en", AUDIT, json!({})).await;
        let text = audit.data().to_string();
        assert!(text.contains("campaign.start"), "{text}");
        assert!(text.contains("De corporatie kwam eerder met een aanbod."), "{text}");

        // The list filters by status.
        let r = app.graphql(LIST, json!({ "n": cast.here["id"], "filter": { "statuses": ["CLOSED"] } })).await;
        assert_eq!(r.data()["campaigns"]["edges"].as_array().map(Vec::len), Some(1));
        let r = app.graphql(LIST, json!({ "n": cast.here["id"], "filter": { "statuses": ["ACTIVE"] } })).await;
        assert_eq!(r.data()["campaigns"]["edges"].as_array().map(Vec::len), Some(0));
        let r = app.graphql(LIST, json!({ "n": cast.elsewhere["id"] })).await;
        assert_eq!(r.data()["campaigns"]["edges"].as_array().map(Vec::len), Some(0));
    }

    async fn who_may_start_a_campaign_and_bad_input(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let roles: Vec<(&str, Option<&str>)> = vec![
            ("visitor", None),
            ("resident", Some(cast.neighbour.access_token.as_str())),
            ("organiser elsewhere", Some(cast.organiser_elsewhere.access_token.as_str())),
        ];
        for (role, token) in roles {
            let r = app.graphql_as(token, "en", &start_mutation(), json!({ "input": start_input(&ids[..1]) })).await;
            expect_refused(&r, role);
        }
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &start_mutation(), json!({ "input": { "grievanceIds": [], "title": "", "summary": "x", "changeGoals": [] } })).await;
        expect_fields(&r, "VALIDATION", &[("title", "REQUIRED"), ("changeGoals", "REQUIRED"), ("grievanceIds", "REQUIRED")]);
        let other = raise(&app, &cast.resident.access_token, &cast.elsewhere, "Elders", true).await;
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &start_mutation(), json!({ "input": start_input(&[ids[0].clone(), other]) })).await;
        expect_fields(&r, "VALIDATION", &[("grievanceIds", "INVALID_FORMAT")]);

        // With resident-started campaigns off, only organisers and admins start.
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", SETTINGS, json!({ "n": cast.here["id"], "on": false })).await;
        expect_refused(&r, "resident");
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", SETTINGS, json!({ "n": cast.here["id"], "on": false })).await;
        assert_eq!(r.data()["setCampaignSettings"]["residentsMayStart"], false);
        let r = app.graphql_as(Some(&cast.cosigner.access_token), "en", &start_mutation(), json!({ "input": start_input(&ids[..1]) })).await;
        expect_refused(&r, "co-signer, setting off");
        let by_admin = start(&app, &cast.admin, &ids[2..3]).await;
        assert_eq!(by_admin["status"], "ACTIVE");
        let r = app.graphql_as(Some(&cast.admin), "en", SETTINGS, json!({ "n": cast.here["id"], "on": true })).await;
        assert_eq!(r.data()["setCampaignSettings"]["residentsMayStart"], true);

        // A co-signer of one of them may (the setting is on again); the rest stays out of it.
        let c = start(&app, &cast.cosigner.access_token, &ids[..1]).await;
        assert_eq!(c["coreTeam"][0]["displayName"], "Ayse Cosigner");
        assert_eq!(c["viewer"]["canModerate"], false);
        assert_eq!(c["viewer"]["canEdit"], true);
        // A grievance is in one campaign at a time.
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &start_mutation(), json!({ "input": start_input(&ids[..2]) })).await;
        expect_fields(&r, "CONFLICT", &[("grievanceIds", "INVALID_TRANSITION")]);
        let g = app.graphql(GRIEVANCE, json!({ "id": ids[1] })).await;
        assert_eq!(g.data()["grievance"]["status"], "OPEN", "nothing half-written");
        assert!(g.data()["grievance"]["campaign"].is_null());
    }

    async fn editing_and_the_core_team_per_role(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let c = start(&app, &cast.resident.access_token, &ids).await;
        // A resident started it: the anonymous grievance's history names nobody.
        let g = app.graphql(GRIEVANCE, json!({ "id": ids[1] })).await;
        assert_eq!(g.data()["grievance"]["history"], json!([{ "to": "IN_CAMPAIGN", "by": null }]));
        let first = c["phases"][0]["id"].clone();
        let goal = |text: &str| json!({ "input": { "phaseId": first, "text": text } });
        let roles: Vec<(&str, Option<&str>, bool)> = vec![
            ("visitor", None, false),
            ("resident", Some(cast.neighbour.access_token.as_str()), false),
            ("core team", Some(cast.resident.access_token.as_str()), true),
            ("organiser here", Some(cast.organiser_here.access_token.as_str()), true),
            ("organiser elsewhere", Some(cast.organiser_elsewhere.access_token.as_str()), false),
            ("admin", Some(cast.admin.as_str()), true),
        ];
        for (role, token, allowed) in &roles {
            let r = app.graphql_as(*token, "en", &add_goal_mutation(), goal(role)).await;
            if *allowed {
                assert!(r.body.get("errors").is_none(), "{role}: {:#}", r.body);
            } else {
                expect_refused(&r, role);
            }
            let r = app.graphql_as(*token, "en", ADD_TEAM, json!({ "id": c["id"], "p": cast.cosigner.viewer["id"], "r": "Helpt al mee" })).await;
            match *role {
                "organiser here" | "admin" => assert!(r.body.get("errors").is_none(), "{role}: {:#}", r.body),
                _ => expect_refused(&r, role),
            }
        }
        let page = app.graphql(&campaign_query(), json!({ "id": c["id"] })).await;
        let team: Vec<&str> = page.data()["campaign"]["coreTeam"].as_array().expect("team").iter().map(|p| p["displayName"].as_str().unwrap_or("")).collect();
        assert_eq!(team, ["Kees Resident", "Ayse Cosigner"]);
        assert_eq!(page.data()["campaign"]["participantCount"], 2);
        assert_eq!(page.data()["campaign"]["phases"][0]["goals"].as_array().map(Vec::len), Some(3));

        // Unlink with a reason: back to acknowledged, in the audit log; then link it again.
        let r = app.graphql_as(Some(&cast.neighbour.access_token), "en", UNLINK, json!({ "id": c["id"], "g": ids[2], "r": "Hoort er niet bij" })).await;
        expect_refused(&r, "resident");
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", UNLINK, json!({ "id": c["id"], "g": ids[2], "r": " " })).await;
        expect_fields(&r, "VALIDATION", &[("reason", "REQUIRED")]);
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", UNLINK, json!({ "id": c["id"], "g": ids[2], "r": "Gaat over iets anders" })).await;
        assert_eq!(r.data()["unlinkGrievanceFromCampaign"]["grievances"]["totalCount"], 2);
        let g = app.graphql(GRIEVANCE, json!({ "id": ids[2] })).await;
        assert_eq!(g.data()["grievance"]["status"], "ACKNOWLEDGED");
        assert_eq!(g.data()["grievance"]["statusReason"], "Gaat over iets anders");
        assert!(g.data()["grievance"]["campaign"].is_null());
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", ADD_GRIEVANCES, json!({ "id": c["id"], "g": [ids[2]] })).await;
        assert_eq!(r.data()["addGrievancesToCampaign"]["grievances"]["totalCount"], 3);
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", ADD_GRIEVANCES, json!({ "id": c["id"], "g": [ids[2]] })).await;
        expect_fields(&r, "CONFLICT", &[("grievanceIds", "INVALID_TRANSITION")]);
        let fresh = raise(&app, &cast.neighbour.access_token, &cast.here, "Ook schimmel", true).await;
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", ACKNOWLEDGE, json!({ "id": fresh, "r": "Gezien" })).await;
        r.data();
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", ADD_GRIEVANCES, json!({ "id": c["id"], "g": [fresh] })).await;
        assert_eq!(r.data()["addGrievancesToCampaign"]["grievances"]["totalCount"], 4);

        // Removing from the core team: organisers only, with a reason.
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", REMOVE_TEAM, json!({ "id": c["id"], "p": cast.cosigner.viewer["id"], "r": "Te druk" })).await;
        expect_refused(&r, "core team");
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", REMOVE_TEAM, json!({ "id": c["id"], "p": cast.cosigner.viewer["id"], "r": "Heeft het te druk" })).await;
        assert_eq!(r.data()["removeCoreTeamMember"]["coreTeam"].as_array().map(Vec::len), Some(1));
        let r = app.graphql_as(Some(&cast.cosigner.access_token), "en", &add_goal_mutation(), goal("Niet meer")).await;
        expect_refused(&r, "former core-team member");

        // Stepping back needs someone else in the core team; then residents run it.
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", STEP_BACK, json!({ "id": c["id"], "r": "Klaar" })).await;
        expect_refused(&r, "core team");
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", ADD_TEAM, json!({ "id": c["id"], "p": cast.organiser_here.viewer["id"], "r": "Help bij de start" })).await;
        r.data();
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", STEP_BACK, json!({ "id": c["id"], "r": "De bewoners nemen het over" })).await;
        let after = r.data()["stepBackFromCampaign"].clone();
        assert_eq!(after["runByResidents"], true);
        assert_eq!(after["coreTeam"], json!([{ "displayName": "Kees Resident" }]));
        assert_eq!(after["viewer"], json!({ "isCoreTeam": false, "canEdit": true, "canModerate": true }));
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", STEP_BACK, json!({ "id": c["id"], "r": "Nog eens" })).await;
        expect_fields(&r, "CONFLICT", &[("campaignId", "ALREADY_USED")]);
        let audit = app.graphql_as(Some(&cast.admin), "en", AUDIT, json!({})).await;
        let text = audit.data().to_string();
        for needle in ["campaign.unlink_grievance", "Gaat over iets anders", "campaign.core_team.remove", "Heeft het te druk", "campaign.step_back", "De bewoners nemen het over"] {
            assert!(text.contains(needle), "{needle} in {text}");
        }
    }

    async fn every_step_refuses_visitors_residents_and_organisers_elsewhere_and_changes_nothing(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let org = cast.organiser_here.access_token.clone();
        let c = start(&app, &org, &ids[..2]).await;
        let c = app.graphql_as(Some(&org), "en", &add_goal_mutation(), json!({ "input": { "phaseId": c["phases"][0]["id"], "text": "Doel" } })).await.data()["addPhaseGoal"].clone();
        let goal = c["phases"][0]["goals"][0]["id"].clone();
        let before = app.graphql_as(Some(&cast.admin), "en", &campaign_query(), json!({ "id": c["id"] })).await.data().clone();
        let steps: Vec<(String, Value)> = vec![
            (ADD_GRIEVANCES.to_owned(), json!({ "id": c["id"], "g": [ids[2]] })),
            (UNLINK.to_owned(), json!({ "id": c["id"], "g": ids[0], "r": "Weg" })),
            (ADD_PHASE.to_owned(), json!({ "id": c["id"], "t": "Extra" })),
            (EDIT_PHASE.to_owned(), json!({ "p": c["phases"][1]["id"], "t": "Anders" })),
            (add_goal_mutation(), json!({ "input": { "phaseId": c["phases"][0]["id"], "text": "Nog een" } })),
            (update_goal_mutation(), json!({ "input": { "goalId": goal, "met": true, "note": "Klaar" } })),
            (complete_mutation(), json!({ "input": { "phaseId": c["phases"][0]["id"], "reflection": "Klaar", "unmetReasons": [{ "goalId": goal, "reason": "Geen tijd" }] } })),
            (ADD_TEAM.to_owned(), json!({ "id": c["id"], "p": cast.neighbour.viewer["id"], "r": "Erbij" })),
            (REMOVE_TEAM.to_owned(), json!({ "id": c["id"], "p": cast.organiser_here.viewer["id"], "r": "Eruit" })),
            (STEP_BACK.to_owned(), json!({ "id": c["id"], "r": "Over" })),
            (SETTINGS.to_owned(), json!({ "n": cast.here["id"], "on": false })),
        ];
        let roles: Vec<(&str, Option<&str>)> = vec![
            ("visitor", None),
            ("resident", Some(cast.neighbour.access_token.as_str())),
            ("organiser elsewhere", Some(cast.organiser_elsewhere.access_token.as_str())),
        ];
        for (query, variables) in &steps {
            for (role, token) in &roles {
                let r = app.graphql_as(*token, "en", query, variables.clone()).await;
                expect_refused(&r, &format!("{role}: {query}"));
            }
        }
        let r = app.graphql(JOIN, json!({ "id": c["id"] })).await;
        expect_refused(&r, "visitor");
        let after = app.graphql_as(Some(&cast.admin), "en", &campaign_query(), json!({ "id": c["id"] })).await.data().clone();
        assert_eq!(before, after, "a refused step changed nothing");
        let r = app.graphql("query($n: ID!) { campaignSettings(neighbourhoodId: $n) { residentsMayStart } }", json!({ "n": cast.here["id"] })).await;
        assert_eq!(r.data()["campaignSettings"]["residentsMayStart"], true);
    }

    async fn two_core_team_members_completing_the_same_phase_at_once_one_wins(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let c = start(&app, &cast.resident.access_token, &ids).await;
        let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", ADD_TEAM, json!({ "id": c["id"], "p": cast.cosigner.viewer["id"], "r": "Kerngroep" })).await;
        r.data();
        let first = c["phases"][0]["id"].clone();
        for round in 0..3 {
            let mut tasks = Vec::new();
            for token in [cast.resident.access_token.clone(), cast.cosigner.access_token.clone()] {
                let (client, url, query, phase) = (app.client.clone(), format!("{}/graphql", app.address), complete_mutation(), first.clone());
                tasks.push(tokio::spawn(async move {
                    let response = client.post(url).bearer_auth(token).json(&json!({ "query": query, "variables": { "input": { "phaseId": phase, "reflection": "Samen gedaan." } } })).send().await.expect("sent");
                    response.json::<Value>().await.expect("json")
                }));
            }
            let mut won = 0;
            for task in tasks {
                let body = task.await.expect("task");
                if body.get("errors").is_none() {
                    won += 1;
                } else {
                    assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT", "{body:#}");
                    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["code"], "PHASE_NOT_ACTIVE", "{body:#}");
                }
            }
            assert_eq!(won, if round == 0 { 1 } else { 0 }, "round {round}");
            assert_eq!(active_phases_in_db(&app).await, 1);
        }
        let page = app.graphql(&campaign_query(), json!({ "id": c["id"] })).await;
        let statuses: Vec<&str> = page.data()["campaign"]["phases"].as_array().expect("phases").iter().map(|p| p["status"].as_str().unwrap_or("")).collect();
        assert_eq!(statuses, ["COMPLETED", "ACTIVE", "PLANNED", "PLANNED"]);
    }

    async fn the_database_refuses_a_second_active_phase(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let c = start(&app, &cast.resident.access_token, &ids).await;
        let second = buurtkracht::domain::ids::parse_public_id("CampaignPhase", c["phases"][1]["id"].as_str().expect("id")).expect("phase id");
        let result = app
            .db
            .run(move |conn| {
                use buurtkracht::db::schema::campaign_phases as p;
                use diesel::prelude::*;
                diesel::update(p::table.find(second)).set(p::status.eq("active")).execute(conn).map_err(buurtkracht::db::DbError::from)
            })
            .await;
        assert!(result.is_err(), "a second active phase was stored");
        assert_eq!(active_phases_in_db(&app).await, 1);
    }

    async fn participants_join_and_leave_and_the_count_stays_exact(app) {
        let cast = cast(&app).await;
        let ids = three_grievances(&app, &cast).await;
        let c = start(&app, &cast.resident.access_token, &ids).await;
        let r = app.graphql(JOIN, json!({ "id": c["id"] })).await;
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"));
        let mut people = Vec::new();
        for i in 0..30 {
            people.push(app.quick_session(&format!("deelnemer{i}@example.org"), &format!("Deelnemer {i}")).await);
        }
        let mut tasks = Vec::new();
        for person in &people {
            let (client, url, token, id) = (app.client.clone(), format!("{}/graphql", app.address), person.access_token.clone(), c["id"].clone());
            tasks.push(tokio::spawn(async move {
                let body: Value = client.post(url).bearer_auth(token).json(&json!({ "query": JOIN, "variables": { "id": id } })).send().await.expect("sent").json().await.expect("json");
                assert!(body.get("errors").is_none(), "{body:#}");
            }));
        }
        for _ in 0..10 {
            let (client, url, token, id) = (app.client.clone(), format!("{}/graphql", app.address), cast.neighbour.access_token.clone(), c["id"].clone());
            tasks.push(tokio::spawn(async move {
                let body: Value = client.post(url).bearer_auth(token).json(&json!({ "query": JOIN, "variables": { "id": id } })).send().await.expect("sent").json().await.expect("json");
                assert!(body.get("errors").is_none(), "{body:#}");
                assert_eq!(body["data"]["joinCampaign"]["viewer"]["isParticipant"], true);
            }));
        }
        for task in tasks {
            task.await.expect("join task");
        }
        let page = app.graphql(&campaign_query(), json!({ "id": c["id"] })).await;
        assert_eq!(page.data()["campaign"]["participantCount"], 32);
        let r = app.graphql_as(Some(&cast.neighbour.access_token), "en", LEAVE, json!({ "id": c["id"] })).await;
        assert_eq!(r.data()["leaveCampaign"]["participantCount"], 31);
        assert_eq!(r.data()["leaveCampaign"]["viewer"]["isParticipant"], false);
        let r = app.graphql_as(Some(&cast.neighbour.access_token), "en", LEAVE, json!({ "id": c["id"] })).await;
        assert_eq!(r.data()["leaveCampaign"]["participantCount"], 31);
    }

    async fn the_campaign_page_costs_the_same_for_3_and_for_60_grievances(app) {
        let cast = cast(&app).await;
        let query = document("Campaign");
        let mut costs = Vec::new();
        for n in [3_usize, 60] {
            let mut ids = Vec::new();
            for i in 0..n {
                let author = if i % 2 == 0 { &cast.resident } else { &cast.neighbour };
                ids.push(raise(&app, &author.access_token, &cast.here, &format!("Melding {i}"), i % 3 != 0).await);
            }
            let mut c = Value::Null;
            for chunk in ids.chunks(50) {
                if c.is_null() {
                    c = start(&app, &cast.organiser_here.access_token, chunk).await;
                } else {
                    let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", ADD_GRIEVANCES, json!({ "id": c["id"], "g": chunk })).await;
                    r.data();
                }
            }
            for phase in c["phases"].as_array().expect("phases") {
                for g in 0..3 {
                    let r = app.graphql_as(Some(&cast.organiser_here.access_token), "en", &add_goal_mutation(), json!({ "input": { "phaseId": phase["id"], "text": format!("Doel {g}"), "target": 10 } })).await;
                    r.data();
                }
            }
            for token in [None, Some(cast.resident.access_token.as_str()), Some(cast.organiser_here.access_token.as_str())] {
                let (cost, r) = app.cost_of(token, &query, json!({ "id": c["id"] })).await;
                assert_eq!(r.data()["campaign"]["grievances"]["edges"].as_array().map(Vec::len), Some(n.min(20)));
                // The session check, the campaign, its phases with goals, its core team with the
                // viewer's membership, and the grievances with their authors.
                let budget = if token.is_some() { 5 } else { 4 };
                assert!(cost <= budget, "{n} grievances cost {cost} statements, more than {budget}");
                costs.push((token.is_some(), cost));
            }
        }
        assert_eq!(costs[0..3], costs[3..6], "{costs:?}");
        eprintln!("campaign page statements ({:?}): {costs:?}", app.backend);
    }
}
