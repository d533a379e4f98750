//! Id newtypes, so that a `UserId` can never be passed where a `NeighbourhoodId` belongs.

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
