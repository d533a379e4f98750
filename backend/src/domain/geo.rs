//! Places on the map. Coordinates are stored as whole millionths of a degree (WGS 84), so that
//! both databases store and compare them exactly with integer arithmetic.

use super::{FieldProblem, ProblemCode};

/// Metres per millionth of a degree of latitude (mean Earth radius 6,371,008.8 m).
const METERS_PER_LAT_E6: f64 = 0.111_195_08;
const EARTH_RADIUS_METERS: f64 = 6_371_008.8;

/// A point, in millionths of a degree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeoPoint {
    pub latitude_e6: i64,
    pub longitude_e6: i64,
}

impl GeoPoint {
    /// Check a point given in degrees; pushes `OUT_OF_RANGE` for `field` when it is not a place
    /// on Earth.
    pub fn from_degrees(
        field: &'static str,
        latitude: f64,
        longitude: f64,
        problems: &mut Vec<FieldProblem>,
    ) -> Option<Self> {
        let valid = latitude.is_finite()
            && longitude.is_finite()
            && (-90.0..=90.0).contains(&latitude)
            && (-180.0..=180.0).contains(&longitude);
        if !valid {
            problems.push(FieldProblem::new(field, ProblemCode::OutOfRange));
            return None;
        }
        Some(Self {
            latitude_e6: (latitude * 1e6).round() as i64,
            longitude_e6: (longitude * 1e6).round() as i64,
        })
    }

    /// Both parts present, or none.
    pub fn from_columns(latitude_e6: Option<i64>, longitude_e6: Option<i64>) -> Option<Self> {
        Some(Self {
            latitude_e6: latitude_e6?,
            longitude_e6: longitude_e6?,
        })
    }

    pub fn latitude(&self) -> f64 {
        self.latitude_e6 as f64 / 1e6
    }

    pub fn longitude(&self) -> f64 {
        self.longitude_e6 as f64 / 1e6
    }

    /// Great-circle distance in metres (haversine).
    pub fn distance_meters(&self, other: &GeoPoint) -> f64 {
        let (lat1, lat2) = (self.latitude().to_radians(), other.latitude().to_radians());
        let d_lat = lat2 - lat1;
        let d_lon = (other.longitude() - self.longitude()).to_radians();
        let a = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_METERS * a.sqrt().asin()
    }
}

/// The area of a neighbourhood: a centre and a radius.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub center: GeoPoint,
    pub radius_meters: i32,
}

/// Largest radius an area may have (a city, not a country).
pub const AREA_RADIUS_MAX: i32 = 50_000;

impl Area {
    /// Whether `point` lies in or near the area. "Near" allows half the radius (at least 500 m)
    /// beyond the edge: a grievance about the road just outside still belongs here; one in
    /// another town does not.
    pub fn admits(&self, point: &GeoPoint) -> bool {
        let slack = (self.radius_meters / 2).max(500);
        self.center.distance_meters(point) <= f64::from(self.radius_meters + slack)
    }

    pub fn from_columns(
        latitude_e6: Option<i64>,
        longitude_e6: Option<i64>,
        radius_meters: Option<i32>,
    ) -> Option<Self> {
        Some(Self {
            center: GeoPoint::from_columns(latitude_e6, longitude_e6)?,
            radius_meters: radius_meters?,
        })
    }
}

/// An ordering by distance from `origin` that both databases compute exactly in integers: the
/// squared distance on a local flat projection, in millionths of a degree of latitude. At
/// neighbourhood scale it orders like the true distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanarDistance {
    pub origin: GeoPoint,
    /// cos(latitude of origin), in millionths: shrinks longitude differences to latitude scale.
    pub longitude_scale_e6: i64,
}

impl PlanarDistance {
    pub fn from(origin: GeoPoint) -> Self {
        Self {
            origin,
            longitude_scale_e6: (origin.latitude().to_radians().cos() * 1e6).round() as i64,
        }
    }

    /// The squared key for a point (the same formula the SQL uses).
    pub fn key(&self, point: &GeoPoint) -> i64 {
        let dy = point.latitude_e6 - self.origin.latitude_e6;
        let dx =
            (point.longitude_e6 - self.origin.longitude_e6) * self.longitude_scale_e6 / 1_000_000;
        dy * dy + dx * dx
    }

    /// The largest key within `meters` of the origin.
    pub fn key_within(meters: i32) -> i64 {
        let units = f64::from(meters) / METERS_PER_LAT_E6;
        (units * units).ceil() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::from_degrees("p", lat, lon, &mut Vec::new()).expect("a point on Earth")
    }

    #[test]
    fn out_of_range_and_non_finite_coordinates_are_refused() {
        for (lat, lon) in [
            (90.1, 0.0),
            (-91.0, 0.0),
            (0.0, 180.5),
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
        ] {
            let mut problems = Vec::new();
            assert!(GeoPoint::from_degrees("location", lat, lon, &mut problems).is_none());
            assert_eq!(
                problems,
                vec![FieldProblem::new("location", ProblemCode::OutOfRange)]
            );
        }
        assert!(GeoPoint::from_degrees("location", -90.0, 180.0, &mut Vec::new()).is_some());
    }

    #[test]
    fn distances_match_known_values() {
        // Den Haag Centraal to Utrecht Centraal: about 53.6 km.
        let d = point(52.0808, 4.3248).distance_meters(&point(52.0894, 5.1101));
        assert!((d - 53_800.0).abs() < 700.0, "{d}");
    }

    #[test]
    fn area_admits_nearby_points_and_refuses_far_ones() {
        let area = Area {
            center: point(52.0665, 4.2955),
            radius_meters: 900,
        };
        assert!(area.admits(&point(52.0700, 4.2935)));
        // 1.2 km from the centre: beyond the edge, within the slack.
        assert!(area.admits(&point(52.0773, 4.2955)));
        // Utrecht.
        assert!(!area.admits(&point(52.0894, 5.1101)));
    }

    #[test]
    fn planar_key_orders_like_true_distance_at_neighbourhood_scale() {
        let origin = point(52.0665, 4.2955);
        let planar = PlanarDistance::from(origin);
        let mut points: Vec<GeoPoint> = (0..200)
            .map(|i| {
                let f = f64::from(i);
                point(
                    52.0665 + (f * 0.37).sin() * 0.01,
                    4.2955 + (f * 0.73).cos() * 0.015,
                )
            })
            .collect();
        points.sort_by_key(|p| planar.key(p));
        let true_distances: Vec<f64> = points.iter().map(|p| origin.distance_meters(p)).collect();
        for pair in true_distances.windows(2) {
            assert!(pair[0] <= pair[1] + 0.5, "{} then {}", pair[0], pair[1]);
        }
        // The radius key agrees with the true distance within a metre.
        let edge = point(52.0665 + 0.009, 4.2955);
        let meters = origin.distance_meters(&edge);
        assert!(planar.key(&edge) <= PlanarDistance::key_within(meters.ceil() as i32));
        assert!(planar.key(&edge) > PlanarDistance::key_within(meters.floor() as i32 - 1));
    }
}
