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
}

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
    },
];

/// The demo admin.
pub const DEMO_ADMIN_EMAIL: &str = "beheer@demo.buurtkracht.nl";
/// The password of every demo account (demo data only; sign-in links work too).
pub const DEMO_PASSWORD: &str = "demo-buurtkracht-2026";

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
        });
        let mut people = 1;
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
            }
        }
        super::accounts::passwords::set_for_demo(conn, DEMO_PASSWORD)?;
        Ok(SeedOutcome::Seeded {
            neighbourhoods: NEIGHBOURHOODS.len(),
            people,
        })
    })
}
