//! What the night's reminders are about, so the demo's housing manager and caseworker have some
//! to see beside the follow-up worker's review days (which the seeded plans already give): two
//! fixed-term contracts whose term ran out last week without being ended or renewed, and two
//! approvals on the waiting list that lapse in three weeks, their renewal reminder day passed.
//! Made from seeded rows (the first by id, so the same ones each time); once per municipality.

use sqlx::Row;
use time::{Date, Duration};

use crate::error::StoreResult;
use crate::municipalities::Municipality;
use crate::{Store, date_text};

impl Store {
    pub(super) async fn seed_reminder_matters(&self, municipality: &Municipality, today: Date) -> StoreResult<()> {
        let m = municipality.id.to_string();
        let past_term = sqlx::query(
            "SELECT COUNT(*) AS n FROM tenancy WHERE municipality_id = $1 AND ended_on IS NULL \
             AND term_end IS NOT NULL AND term_end < $2",
        )
        .bind(&m)
        .bind(date_text(today))
        .fetch_one(&mut *self.conn().await?)
        .await?;
        if past_term.try_get::<i64, _>("n")? == 0 {
            let running = sqlx::query(
                "SELECT id FROM tenancy WHERE municipality_id = $1 AND ended_on IS NULL AND term_end > $2 \
                 AND from_date < $3 ORDER BY id LIMIT 2",
            )
            .bind(&m)
            .bind(date_text(today + Duration::days(200)))
            .bind(date_text(today - Duration::days(60)))
            .fetch_all(&mut *self.conn().await?)
            .await?;
            for (i, row) in running.iter().enumerate() {
                let id: String = row.try_get("id")?;
                let term_end = date_text(today - Duration::days(3 + 5 * i as i64));
                let mut tx = self.write().await?;
                for sql in [
                    "UPDATE tenancy SET term_end = $1, to_date = $1 WHERE id = $2",
                    "UPDATE tenancy_period SET to_date = $1 WHERE tenancy_id = $2 \
                     AND seq = (SELECT MAX(seq) FROM tenancy_period WHERE tenancy_id = $2)",
                ] {
                    sqlx::query(sql).bind(&term_end).bind(&id).execute(tx.conn()).await?;
                }
                tx.commit().await?;
            }
        }
        let reminded = sqlx::query(
            "SELECT COUNT(*) AS n FROM application_case WHERE municipality_id = $1 AND state = 'on_waiting_list' \
             AND renewal_reminder_on <= $2",
        )
        .bind(&m)
        .bind(date_text(today))
        .fetch_one(&mut *self.conn().await?)
        .await?;
        if reminded.try_get::<i64, _>("n")? == 0 {
            sqlx::query(
                "UPDATE application_case SET valid_until = $1, renewal_reminder_on = $2 WHERE id IN \
                 (SELECT id FROM application_case WHERE municipality_id = $3 AND state = 'on_waiting_list' \
                 AND valid_until > $1 ORDER BY id LIMIT 2)",
            )
            .bind(date_text(today + Duration::days(21)))
            .bind(date_text(today - Duration::days(9)))
            .bind(&m)
            .execute(&mut *self.conn().await?)
            .await?;
        }
        Ok(())
    }
}
