//! The themes, kept in memory: they are read on almost every grievance page and change only
//! when an admin adds one.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use diesel::QueryResult;

use super::model::Theme;
use super::repo;
use crate::db::DbConnection;
use crate::domain::ids::ThemeId;

/// How long the themes are trusted before they are read again, so that a theme added on
/// another server instance appears there within this time. A theme added through this
/// instance replaces the cache at once, and a grievance with a theme the cache does not know
/// yet makes it read the table again.
pub const THEME_CACHE_TTL: Duration = Duration::from_secs(60);

/// Every theme, in display order, read at most once per `THEME_CACHE_TTL`.
#[derive(Debug, Default)]
pub struct ThemeCache {
    cached: RwLock<Option<(Instant, Arc<[Theme]>)>>,
}

impl ThemeCache {
    /// Every theme (no statement while the cache is fresh).
    pub fn all(&self, conn: &mut DbConnection) -> QueryResult<Arc<[Theme]>> {
        if let Ok(guard) = self.cached.read()
            && let Some((read_at, themes)) = guard.as_ref()
            && read_at.elapsed() < THEME_CACHE_TTL
        {
            return Ok(Arc::clone(themes));
        }
        self.reload(conn)
    }

    /// Every theme, read again if one of `needed` is not known yet.
    pub fn covering(
        &self,
        conn: &mut DbConnection,
        needed: impl IntoIterator<Item = ThemeId>,
    ) -> QueryResult<Arc<[Theme]>> {
        let themes = self.all(conn)?;
        if needed
            .into_iter()
            .all(|id| themes.iter().any(|t| t.id == id))
        {
            Ok(themes)
        } else {
            self.reload(conn)
        }
    }

    /// Read the themes now (after a change).
    pub fn reload(&self, conn: &mut DbConnection) -> QueryResult<Arc<[Theme]>> {
        let themes: Arc<[Theme]> = repo::themes(conn)?.into();
        if let Ok(mut guard) = self.cached.write() {
            *guard = Some((Instant::now(), Arc::clone(&themes)));
        }
        Ok(themes)
    }
}
