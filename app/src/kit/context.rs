//! The context a service acts in for one request: the database, the audit and data keys,
//! the time and the school's zone, and the client's address. Built from the server's state
//! once per server function (`crate::state::context`); the kit and the services take it
//! without knowing the state.

/// What a service acting on records needs, for this request: the database, the audit and
/// data keys, the time and the school's zone, and the client's address.
pub struct Context<'a> {
    pub pool: &'a crate::db::Pool,
    pub key: &'a crate::kit::audit::chain::AuditKey,
    pub data: &'a crate::kit::sealing::DataKeys,
    pub now: chrono::DateTime<chrono::Utc>,
    pub timezone: chrono_tz::Tz,
    pub client: Option<String>,
}
impl Context<'_> {
    /// A moment as the school reads it (its zone, `TIMESTAMP_FORMAT`); nothing for none.
    pub fn local(&self, at: Option<chrono::DateTime<chrono::Utc>>) -> String {
        at.map(|t| {
            t.with_timezone(&self.timezone)
                .format(crate::i18n::TIMESTAMP_FORMAT)
                .to_string()
        })
        .unwrap_or_default()
    }

    /// The day `at` falls on in the school's zone.
    pub fn day_of(&self, at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        at.with_timezone(&self.timezone).date_naive()
    }

    /// The day `at` falls on in the school's zone, as YYYY-MM-DD.
    pub fn local_date(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        self.day_of(at).to_string()
    }

    /// Today in the school's zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.day_of(self.now)
    }

    /// The start of `date` in the school's zone, as UTC (now, for a day the zone skips).
    pub fn start_of(&self, date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        self.timezone
            .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map_or(self.now, |t| t.with_timezone(&chrono::Utc))
    }
}
