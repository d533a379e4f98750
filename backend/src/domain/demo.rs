//! `seed-demo`: a small, believable data set for an empty database. It grows with every
//! capability.

use super::accounts::model::EmailAddress;
use super::accounts::{Language, Role, repo as accounts_repo};
use super::actor::PersonActor;
use super::neighbourhoods::model::CreateNeighbourhood;
use super::neighbourhoods::{repo as neighbourhoods_repo, service as neighbourhoods_service};
use super::{Actor, DomainError, DomainResult, now};
use crate::db::{DbConnection, write_transaction};

/// What `seed-demo` did.
#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        neighbourhoods: usize,
        people: usize,
    },
    /// The database already held neighbourhoods; nothing was changed.
    AlreadyFilled,
}

struct DemoNeighbourhood {
    name: &'static str,
    description: &'static str,
    organiser: (&'static str, &'static str),
    residents: &'static [(&'static str, &'static str, Language)],
    /// Centre (degrees) and radius (metres) of the area.
    area: (f64, f64, i32),
}

/// A demo grievance. People are numbered per neighbourhood: 0 is the organiser, 1… the
/// residents in order.
struct DemoGrievance {
    neighbourhood: usize,
    author: usize,
    title: &'static str,
    text: &'static str,
    theme: &'static str,
    location: Option<(f64, f64)>,
    show_name: bool,
    cosigners: &'static [usize],
    comments: &'static [(usize, &'static str)],
    /// The organiser's response, when acknowledged.
    acknowledged: Option<&'static str>,
}

const GRIEVANCES: &[DemoGrievance] = &[
    DemoGrievance {
        neighbourhood: 0,
        author: 1,
        title: "Schimmel en vocht in de portiekflats",
        text: "In de portiekflats aan de Paul Krugerlaan zit schimmel op de muren. Kinderen hoesten de hele winter. De verhuurder zegt dat we vaker moeten luchten, maar het vocht komt door lekkende goten.",
        theme: "housing",
        location: Some((52.0660, 4.2900)),
        show_name: true,
        cosigners: &[2, 3],
        comments: &[
            (
                2,
                "Bij ons op nummer 40 precies hetzelfde. De slaapkamer is niet meer te gebruiken.",
            ),
            (
                3,
                "We could collect photos from every flat and send them together to the landlord.",
            ),
        ],
        acknowledged: None,
    },
    DemoGrievance {
        neighbourhood: 0,
        author: 2,
        title: "Auto's rijden veel te hard door de Kempstraat",
        text: "Elke ochtend rijden auto's met hoge snelheid door de Kempstraat, terwijl daar kinderen naar school lopen. Er is geen drempel en geen zebrapad.",
        theme: "traffic",
        location: Some((52.0700, 4.2935)),
        show_name: false,
        cosigners: &[1],
        comments: &[],
        acknowledged: None,
    },
    DemoGrievance {
        neighbourhood: 0,
        author: 3,
        title: "Speeltuin op het Hobbemaplein is al maanden kapot",
        text: "De schommel en de glijbaan zijn al sinds de zomer afgezet met lint. Kinderen spelen nu op straat.",
        theme: "green-public-space",
        location: Some((52.0655, 4.2980)),
        show_name: true,
        cosigners: &[1],
        comments: &[],
        acknowledged: Some(
            "Dank voor het melden. Ik heb de gemeente gevraagd wanneer de speeltuin wordt gerepareerd en kom hier volgende week op terug.",
        ),
    },
    DemoGrievance {
        neighbourhood: 0,
        author: 1,
        title: "Geen rustige plek om huiswerk te maken",
        text: "Veel kinderen in de wijk wonen klein en hebben thuis geen rustige plek om huiswerk te maken. De bibliotheek is te ver weg en 's avonds dicht.",
        theme: "youth",
        location: None,
        show_name: true,
        cosigners: &[],
        comments: &[],
        acknowledged: None,
    },
    DemoGrievance {
        neighbourhood: 1,
        author: 1,
        title: "Binnentuin wordt een parkeerplaats",
        text: "De woningcorporatie wil de groene binnentuin aan de Gaffelstraat bestraten voor parkeerplekken. Bewoners zijn niet gevraagd.",
        theme: "green-public-space",
        location: Some((51.9185, 4.4675)),
        show_name: true,
        cosigners: &[2],
        comments: &[],
        acknowledged: None,
    },
    DemoGrievance {
        neighbourhood: 2,
        author: 1,
        title: "Energierekening niet meer te betalen",
        text: "Veel gezinnen in de flats hebben een enorme eindafrekening gekregen. De isolatie is slecht en de ramen tochten.",
        theme: "poverty-income",
        location: None,
        show_name: false,
        cosigners: &[],
        comments: &[],
        acknowledged: None,
    },
];

const NEIGHBOURHOODS: &[DemoNeighbourhood] = &[
    DemoNeighbourhood {
        name: "Transvaal",
        description: "Volkswijk in Den Haag met veel jonge gezinnen, de Haagse Markt om de hoek en een actieve bewonersorganisatie.",
        organiser: ("Fatima el Amrani", "fatima.elamrani@demo.buurtkracht.nl"),
        residents: &[
            (
                "Kees van Dijk",
                "kees.vandijk@demo.buurtkracht.nl",
                Language::Dutch,
            ),
            (
                "Samira Bouzid",
                "samira.bouzid@demo.buurtkracht.nl",
                Language::Dutch,
            ),
            (
                "Priya Ramdin",
                "priya.ramdin@demo.buurtkracht.nl",
                Language::English,
            ),
        ],
        area: (52.0665, 4.2955, 900),
    },
    DemoNeighbourhood {
        name: "Oude Westen",
        description: "Rotterdamse wijk met een lange traditie van bewonersactie, van stadsvernieuwing tot groene binnentuinen.",
        organiser: ("Joost de Graaf", "joost.degraaf@demo.buurtkracht.nl"),
        residents: &[
            (
                "Ayşe Yılmaz",
                "ayse.yilmaz@demo.buurtkracht.nl",
                Language::Dutch,
            ),
            (
                "Gerrit Bos",
                "gerrit.bos@demo.buurtkracht.nl",
                Language::Dutch,
            ),
        ],
        area: (51.9190, 4.4690, 700),
    },
    DemoNeighbourhood {
        name: "Kanaleneiland",
        description: "Utrechtse naoorlogse wijk aan het Amsterdam-Rijnkanaal, met veel sportclubs en zelforganisaties.",
        organiser: ("Mohamed Achahbar", "mohamed.achahbar@demo.buurtkracht.nl"),
        residents: &[
            (
                "Lotte Jansen",
                "lotte.jansen@demo.buurtkracht.nl",
                Language::Dutch,
            ),
            (
                "Tomasz Nowak",
                "tomasz.nowak@demo.buurtkracht.nl",
                Language::English,
            ),
        ],
        area: (52.0750, 5.0960, 1200),
    },
    DemoNeighbourhood {
        name: "Indische Buurt",
        description: "Amsterdam-Oost: een levendige buurt met het Javaplein, buurthuizen en veel kleine ondernemers.",
        organiser: ("Sanne Visser", "sanne.visser@demo.buurtkracht.nl"),
        residents: &[
            (
                "Rachid Amrani",
                "rachid.amrani@demo.buurtkracht.nl",
                Language::Dutch,
            ),
            (
                "Emma de Vries",
                "emma.devries@demo.buurtkracht.nl",
                Language::Dutch,
            ),
        ],
        area: (52.3640, 4.9380, 900),
    },
    DemoNeighbourhood {
        name: "Schilderswijk",
        description: "Dichtbevolkte Haagse wijk met meer dan honderd nationaliteiten en een sterk netwerk van vrijwilligers.",
        organiser: ("Hanneke Mulder", "hanneke.mulder@demo.buurtkracht.nl"),
        residents: &[
            (
                "Yusuf Demir",
                "yusuf.demir@demo.buurtkracht.nl",
                Language::Dutch,
            ),
            (
                "Maria Santos",
                "maria.santos@demo.buurtkracht.nl",
                Language::English,
            ),
        ],
        area: (52.0700, 4.3040, 800),
    },
];

/// The demo admin.
pub const DEMO_ADMIN_EMAIL: &str = "beheer@demo.buurtkracht.nl";
/// The password of every demo account (demo data only; sign-in links work too).
pub const DEMO_PASSWORD: &str = "demo-buurtkracht-2026";

/// Raise, co-sign, comment on and acknowledge the demo grievances through the use cases, so
/// the demo obeys the same rules as real data. Acknowledgements are recorded directly, so
/// that seeding sends no e-mail.
fn seed_grievances(
    conn: &mut DbConnection,
    cast: &[Vec<PersonActor>],
) -> DomainResult<Vec<crate::domain::ids::GrievanceId>> {
    use super::grievances::model::{RaiseGrievance, Status};
    use super::grievances::{comments, repo as grievances_repo, service as grievances_service};
    let mut ids = Vec::new();
    for demo in GRIEVANCES {
        let people = &cast[demo.neighbourhood];
        let actor = |i: usize| Actor::Person(people[i].clone());
        let neighbourhood = neighbourhoods_repo::find_by_slug(
            conn,
            &super::text::slugify(NEIGHBOURHOODS[demo.neighbourhood].name),
        )?
        .ok_or(DomainError::NotFound {
            entity: "neighbourhood",
        })?;
        let raised = grievances_service::raise(
            conn,
            &actor(demo.author),
            RaiseGrievance {
                neighbourhood: neighbourhood.id,
                title: demo.title.into(),
                text: demo.text.into(),
                theme: demo.theme.into(),
                location: demo.location,
                show_name: demo.show_name,
            },
        )?;
        let id = raised.grievance.id;
        ids.push(id);
        for &cosigner in demo.cosigners {
            grievances_service::cosign(conn, &actor(cosigner), id)?;
        }
        for &(writer, text) in demo.comments {
            comments::add(conn, &actor(writer), id, text)?;
        }
        if let Some(response) = demo.acknowledged {
            let at = now();
            grievances_repo::set_status(conn, id, Status::Acknowledged, response, None, at)?;
            grievances_repo::insert_status_change(
                conn,
                id,
                Status::Open,
                Status::Acknowledged,
                response,
                Some(people[0].id),
                at,
            )?;
        }
    }
    Ok(ids)
}

/// A goal's number to reach and its unit, e.g. 200 "handtekeningen".
type Target = Option<(i64, &'static str)>;

/// A demo campaign, started by the neighbourhood's organiser from one demo grievance.
struct DemoCampaign {
    neighbourhood: usize,
    /// The index of its grievance in `GRIEVANCES`.
    grievance: usize,
    title: &'static str,
    summary: &'static str,
    change_goals: &'static [&'static str],
    /// Residents (by number) who join; the first one also joins the core team.
    participants: &'static [usize],
    /// Goals of the first phase: (text, target and unit); all met, then the phase is completed
    /// with `reflection` when there is one.
    first_goals: &'static [(&'static str, Target)],
    reflection: Option<&'static str>,
    /// Goals of the phase that runs next: (text, target and unit, value reached so far).
    next_goals: &'static [(&'static str, Target, Option<i64>)],
}

const CAMPAIGNS: &[DemoCampaign] = &[
    DemoCampaign {
        neighbourhood: 1,
        grievance: 4,
        title: "Houd de binnentuin groen",
        summary: "De woningcorporatie wil van onze binnentuin een parkeerplaats maken. Wij willen dat de tuin groen blijft, voor de kinderen en voor de ouderen in de buurt.",
        change_goals: &[
            "De binnentuin blijft een groene tuin",
            "Bewoners beslissen mee over het onderhoud",
        ],
        participants: &[1, 2],
        first_goals: &[
            ("Met 20 buren praten over de tuin", Some((20, "gesprekken"))),
            (
                "Samen een tekening maken van de tuin zoals wij hem willen",
                None,
            ),
        ],
        reflection: Some(
            "Het ging goed: veel buren wilden praten, ook mensen die we nog niet kenden. Het ging minder goed: de avonden waren te laat voor gezinnen. We leerden dat een zaterdagochtend in de tuin zelf beter werkt.",
        ),
        next_goals: &[
            (
                "Handtekeningen ophalen voor de petitie",
                Some((200, "handtekeningen")),
                Some(134),
            ),
            (
                "Gesprekken met de woningcorporatie",
                Some((3, "gesprekken")),
                Some(1),
            ),
            ("Een plan maken voor een actie op het plein", None, None),
        ],
    },
    DemoCampaign {
        neighbourhood: 2,
        grievance: 5,
        title: "Betaalbare energie in de flats",
        summary: "Veel gezinnen kunnen de energierekening niet meer betalen, omdat de flats slecht geïsoleerd zijn. We vragen de verhuurder om de flats te isoleren.",
        change_goals: &[
            "Alle flats zijn goed geïsoleerd",
            "Niemand krijgt een eindafrekening die hij niet kan betalen",
        ],
        participants: &[1],
        first_goals: &[],
        reflection: None,
        next_goals: &[(
            "Huishoudens vragen naar hun energierekening",
            Some((80, "huishoudens")),
            Some(23),
        )],
    },
];

/// Start the demo campaigns through the use cases: goals, progress, a completed phase with
/// its reflection. Seeding sends no e-mail: the invitations the start queued are dropped.
fn seed_campaigns(
    conn: &mut DbConnection,
    cast: &[Vec<PersonActor>],
    grievances: &[crate::domain::ids::GrievanceId],
) -> DomainResult<()> {
    use super::campaigns::model::{CompletePhase, NewGoal, StartCampaign, UpdateGoal};
    use super::campaigns::service as campaigns;
    use diesel::prelude::*;
    for demo in CAMPAIGNS {
        let people = &cast[demo.neighbourhood];
        let actor = |i: usize| Actor::Person(people[i].clone());
        let organiser = actor(0);
        let view = campaigns::start(
            conn,
            &organiser,
            StartCampaign {
                grievances: vec![grievances[demo.grievance]],
                title: demo.title.into(),
                summary: demo.summary.into(),
                change_goals: demo.change_goals.iter().map(|g| (*g).into()).collect(),
            },
            Language::Dutch,
            "",
        )?;
        let id = view.campaign.id;
        for &resident in demo.participants {
            campaigns::join(conn, &actor(resident), id)?;
        }
        if let Some(&first) = demo.participants.first() {
            campaigns::set_core_team(
                conn,
                &organiser,
                id,
                people[first].id,
                true,
                "Wil de actie mee trekken",
            )?;
        }
        let add = |conn: &mut DbConnection, phase, text: &str, target: Option<(i64, &str)>| {
            campaigns::add_goal(
                conn,
                &organiser,
                NewGoal {
                    phase,
                    text: text.into(),
                    target: target.map(|(t, _)| t),
                    unit: target.map(|(_, u)| u.into()),
                },
            )
        };
        let mut phase = view.phases[0].id;
        if let Some(reflection) = demo.reflection {
            let mut current = view;
            for &(text, target) in demo.first_goals {
                current = add(conn, phase, text, target)?;
            }
            for goal in current.phases[0].goals.clone() {
                campaigns::update_goal(
                    conn,
                    &organiser,
                    UpdateGoal {
                        goal: goal.id,
                        value: goal.target,
                        met: goal.target.is_none(),
                        note: "Gedaan, zie het verslag in het buurthuis.".into(),
                        link: None,
                    },
                )?;
            }
            let done = campaigns::complete_phase(
                conn,
                &organiser,
                CompletePhase {
                    phase,
                    reflection: reflection.into(),
                    unmet_reasons: Vec::new(),
                    outcome: None,
                    outcome_summary: None,
                },
            )?;
            phase = done.phases[1].id;
        }
        let mut current = None;
        for &(text, target, _) in demo.next_goals {
            current = Some(add(conn, phase, text, target)?);
        }
        if let Some(current) = current {
            let goals = current
                .phases
                .iter()
                .find(|p| p.id == phase)
                .map(|p| p.goals.clone());
            for (goal, &(_, _, value)) in goals.unwrap_or_default().iter().zip(demo.next_goals) {
                if let Some(value) = value {
                    campaigns::update_goal(
                        conn,
                        &organiser,
                        UpdateGoal {
                            goal: goal.id,
                            value: Some(value),
                            met: false,
                            note: "Stand van deze week.".into(),
                            link: None,
                        },
                    )?;
                }
            }
        }
    }
    {
        use crate::db::schema::outbox_messages as o;
        diesel::delete(o::table.filter(o::kind.eq("campaign_invitation"))).execute(conn)?;
    }
    Ok(())
}

fn email(raw: &str) -> DomainResult<EmailAddress> {
    EmailAddress::parse(raw).map_err(|p| DomainError::Validation(vec![p]))
}

/// Fill an empty database with demo data; leave a filled one alone.
pub fn seed(conn: &mut DbConnection) -> DomainResult<SeedOutcome> {
    write_transaction(conn, |conn| {
        if neighbourhoods_repo::count(conn)? > 0 {
            return Ok(SeedOutcome::AlreadyFilled);
        }
        let at = now();
        let admin = accounts_repo::insert_user(
            conn,
            &email(DEMO_ADMIN_EMAIL)?,
            "Beheer Buurtkracht",
            Language::Dutch,
            Some(at),
            at,
        )?;
        let admin_actor = Actor::Person(PersonActor {
            id: admin.id,
            is_admin: true,
            session: None,
            memberships: None,
        });
        let mut people = 1;
        let mut cast: Vec<Vec<PersonActor>> = Vec::new();
        for demo in NEIGHBOURHOODS {
            let neighbourhood = neighbourhoods_service::create(
                conn,
                &admin_actor,
                CreateNeighbourhood {
                    name: demo.name.into(),
                    slug: None,
                    description: Some(demo.description.into()),
                },
            )?;
            let (organiser_name, organiser_email) = demo.organiser;
            let organiser = accounts_repo::insert_user(
                conn,
                &email(organiser_email)?,
                organiser_name,
                Language::Dutch,
                None,
                at,
            )?;
            accounts_repo::insert_membership(
                conn,
                organiser.id,
                neighbourhood.id,
                Role::Organiser,
                Some(at),
                at,
            )?;
            people += 1;
            let (latitude, longitude, radius_meters) = demo.area;
            neighbourhoods_service::set_area(
                conn,
                &admin_actor,
                neighbourhood.id,
                Some(neighbourhoods_service::AreaForm {
                    latitude,
                    longitude,
                    radius_meters,
                }),
            )?;
            let person = |id| PersonActor {
                id,
                is_admin: false,
                session: None,
                memberships: None,
            };
            let mut here = vec![person(organiser.id)];
            for (i, (name, address, language)) in demo.residents.iter().enumerate() {
                let resident =
                    accounts_repo::insert_user(conn, &email(address)?, name, *language, None, at)?;
                // The first residents are verified by their organiser; the last one waits.
                let verified = (i + 1 < demo.residents.len()).then_some(at);
                accounts_repo::insert_membership(
                    conn,
                    resident.id,
                    neighbourhood.id,
                    Role::Resident,
                    verified,
                    at,
                )?;
                people += 1;
                here.push(person(resident.id));
            }
            cast.push(here);
        }
        let grievances = seed_grievances(conn, &cast)?;
        seed_campaigns(conn, &cast, &grievances)?;
        super::accounts::passwords::set_for_demo(conn, DEMO_PASSWORD)?;
        Ok(SeedOutcome::Seeded {
            neighbourhoods: NEIGHBOURHOODS.len(),
            people,
        })
    })
}
