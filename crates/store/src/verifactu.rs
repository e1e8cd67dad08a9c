//! Sending VERI*FACTU records to the AEAT: the records waiting, in chain order, each
//! with the invoice its message describes; AEAT's answer kept on each record; and
//! the sender's pace (AEAT's wait time, an outage and its last error) in one row.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::invoicing::Invoice;
use comptoir_domain::invoicing::verifactu::{InvoiceId, Record};

use crate::Result;

/// Where a record stands with the AEAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// Made, not answered yet.
    Queued,
    Accepted,
    /// Registered, with errors AEAT asks to fix by a correction record.
    AcceptedWithErrors,
    /// Not registered: never sent again unchanged.
    Rejected,
}

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Queued => "queued",
            RecordState::Accepted => "accepted",
            RecordState::AcceptedWithErrors => "accepted_with_errors",
            RecordState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<RecordState> {
        [
            RecordState::Queued,
            RecordState::Accepted,
            RecordState::AcceptedWithErrors,
            RecordState::Rejected,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// A record waiting to be sent, with what its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRecord {
    pub id: i64,
    pub record: Record,
    /// The invoice it registers or annuls, as issued.
    pub invoice: Invoice,
    /// The invoice of the chain's record before it, whose footprint
    /// `record.previous` holds; none for the first record.
    pub previous: Option<InvoiceId>,
    /// How often it was sent without an answer.
    pub attempts: i32,
    /// An earlier record of the same kind for this invoice was rejected
    /// (`RechazoPrevio` = `S`).
    pub after_rejection: bool,
}

/// AEAT's answer about one record sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordAnswer {
    pub id: i64,
    /// `Queued` when the answer did not mention it: it is sent again.
    pub state: RecordState,
    pub code: Option<String>,
    pub message: Option<String>,
}

/// The sender's pace and the queue's length.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubmissionState {
    /// Not before then, unless 1 000 records wait (AEAT's `TiempoEsperaEnvio`).
    pub next_send_at: Option<DateTime<Utc>>,
    /// Since when AEAT has not answered; none when it did last time.
    pub outage_since: Option<DateTime<Utc>>,
    /// Sends in a row that got no answer.
    pub failures: i32,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Records waiting.
    pub waiting: i64,
}

/// A record as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordListRow {
    pub chain_position: i64,
    /// `alta` or `anulacion`.
    pub record_type: String,
    /// `Subsanacion` = `S`.
    pub correction: bool,
    pub invoice_number: String,
    /// As hashed: `2027-01-04T10:15:02+01:00`.
    pub generated_at: String,
    pub state: String,
    pub aeat_code: Option<String>,
    pub aeat_message: Option<String>,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    /// A later record of the same invoice exists (its correction, its annulment).
    pub superseded: bool,
}

/// The queue of records to send and what AEAT answered.
#[async_trait]
pub trait VerifactuStore: Send + Sync {
    async fn submission_state(&self) -> Result<SubmissionState>;

    /// Takes the sender's lease until `until`, unless another process holds it at
    /// `now`: whether it was taken.
    async fn claim_sender(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<bool>;

    /// The first `limit` records waiting, in chain order.
    async fn records_to_send(&self, limit: u32) -> Result<Vec<QueuedRecord>>;

    /// Keeps AEAT's answers (each record tried once more); AEAT next lets records
    /// be sent at `next_send_at`. `refusal` is why AEAT refused the message as a
    /// whole, if it did.
    async fn save_answers(
        &self,
        answers: &[RecordAnswer],
        next_send_at: DateTime<Utc>,
        refusal: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Records that records `ids`, sent `at`, got no answer (`error`): they stay
    /// queued, to be sent again at `retry_at`.
    async fn save_failure(
        &self,
        ids: &[i64],
        error: &str,
        retry_at: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// The latest `limit` records, newest first; only those AEAT rejected or
    /// accepted with errors when `only_failed`.
    async fn record_list(&self, only_failed: bool, limit: u32) -> Result<Vec<RecordListRow>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct QueuedRow {
    pub(crate) id: i64,
    pub(crate) invoice_id: i64,
    pub(crate) attempts: i32,
    pub(crate) after_rejection: bool,
    previous_issuer: Option<String>,
    previous_number: Option<String>,
    previous_issued_on: Option<String>,
    #[sqlx(flatten)]
    pub(crate) record: crate::invoicing::RecordRow,
}

impl QueuedRow {
    /// The previous record's invoice.
    pub(crate) fn previous(&self) -> Result<Option<InvoiceId>> {
        let (Some(issuer), Some(number), Some(on)) = (
            &self.previous_issuer,
            &self.previous_number,
            &self.previous_issued_on,
        ) else {
            return Ok(None);
        };
        let issued_on = chrono::NaiveDate::parse_from_str(on, "%d-%m-%Y")
            .map_err(|_| crate::StoreError::Corrupt(format!("record before {}: date", self.id)))?;
        Ok(Some(InvoiceId {
            issuer: issuer.clone(),
            number: number.clone(),
            issued_on,
        }))
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SubmissionRow {
    next_send_at: Option<DateTime<Utc>>,
    outage_since: Option<DateTime<Utc>>,
    failures: i32,
    last_attempt_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    waiting: i64,
}

impl From<SubmissionRow> for SubmissionState {
    fn from(row: SubmissionRow) -> SubmissionState {
        SubmissionState {
            next_send_at: row.next_send_at,
            outage_since: row.outage_since,
            failures: row.failures,
            last_attempt_at: row.last_attempt_at,
            last_error: row.last_error,
            waiting: row.waiting,
        }
    }
}

pub(crate) const SUBMISSION_SQL: &str = "SELECT next_send_at, outage_since, failures, \
     last_attempt_at, last_error, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM verifactu_records WHERE state = 'queued') AS waiting \
     FROM verifactu_submission WHERE id = 1";
pub(crate) const CLAIM_SENDER_SQL: &str = "UPDATE verifactu_submission SET lease_until = $2 \
     WHERE id = 1 AND (lease_until IS NULL OR lease_until < $1)";
/// Records waiting, in chain order, with the record before each and whether an
/// earlier record of the same kind for the same invoice was rejected.
pub(crate) const QUEUED_SQL: &str = "SELECT r.id, r.invoice_id, r.attempts, \
     EXISTS (SELECT 1 FROM verifactu_records AS e WHERE e.invoice_id = r.invoice_id \
      AND e.record_type = r.record_type AND e.chain_position < r.chain_position \
      AND e.state = 'rejected') AS after_rejection, \
     p.issuer_tax_id AS previous_issuer, p.invoice_number AS previous_number, \
     p.issued_on AS previous_issued_on, \
     r.record_type, r.correction, r.issuer_tax_id, r.invoice_number, r.issued_on, \
     r.invoice_type, r.vat_total, r.total, r.previous_footprint, r.generated_at \
     FROM verifactu_records AS r \
     LEFT JOIN verifactu_records AS p ON p.chain_position = r.chain_position - 1 \
     WHERE r.state = 'queued' ORDER BY r.chain_position LIMIT $1";
pub(crate) const SAVE_ANSWER_SQL: &str = "UPDATE verifactu_records SET state = $2, \
     aeat_code = $3, aeat_message = $4, sent_at = $5, attempts = attempts + 1 \
     WHERE id = $1 AND state = 'queued'";
pub(crate) const ANSWERED_SQL: &str = "UPDATE verifactu_submission SET next_send_at = $1, \
     outage_since = NULL, failures = 0, last_attempt_at = $2, last_error = $3, lease_until = NULL \
     WHERE id = 1";
pub(crate) const TRIED_SQL: &str =
    "UPDATE verifactu_records SET attempts = attempts + 1 WHERE id = $1";
pub(crate) const UNANSWERED_SQL: &str = "UPDATE verifactu_submission SET next_send_at = $1, \
     outage_since = COALESCE(outage_since, $2), failures = failures + 1, last_attempt_at = $2, \
     last_error = $3, lease_until = NULL WHERE id = 1";
pub(crate) const RECORD_LIST_SQL: &str = "SELECT r.chain_position, r.record_type, \
     r.correction, r.invoice_number, r.generated_at, r.state, r.aeat_code, r.aeat_message, \
     r.attempts, r.sent_at, EXISTS (SELECT 1 FROM verifactu_records AS l \
      WHERE l.invoice_id = r.invoice_id AND l.chain_position > r.chain_position) AS superseded \
     FROM verifactu_records AS r \
     WHERE ($1 = 0 OR r.state IN ('rejected', 'accepted_with_errors')) \
     ORDER BY r.chain_position DESC LIMIT $2";
pub(crate) const INVOICE_BY_ID_SQL: &str = crate::invoicing::select_invoices!("WHERE id = $1");

/// Writes `impl VerifactuStore` for `$store`, a backend's store type.
macro_rules! impl_verifactu_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::Result;
            use $crate::dialect::Dialect;
            use $crate::verifactu as sql;
            use $crate::verifactu::{
                QueuedRecord, RecordAnswer, RecordListRow, SubmissionState, VerifactuStore,
            };

            #[async_trait::async_trait]
            impl VerifactuStore for $store {
                async fn submission_state(&self) -> Result<SubmissionState> {
                    let row: sql::SubmissionRow = sqlx::query_as(sql::SUBMISSION_SQL)
                        .fetch_one(self.pool())
                        .await?;
                    Ok(row.into())
                }

                async fn claim_sender(
                    &self,
                    now: DateTime<Utc>,
                    until: DateTime<Utc>,
                ) -> Result<bool> {
                    let claimed = sqlx::query(sql::CLAIM_SENDER_SQL)
                        .bind(now)
                        .bind(until)
                        .execute(self.pool())
                        .await?;
                    Ok(claimed.rows_affected() == 1)
                }

                async fn records_to_send(&self, limit: u32) -> Result<Vec<QueuedRecord>> {
                    let rows: Vec<sql::QueuedRow> = sqlx::query_as(sql::QUEUED_SQL)
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?;
                    let mut conn = self.pool().acquire().await?;
                    let mut queued = Vec::with_capacity(rows.len());
                    for row in rows {
                        let invoice: $crate::invoicing::InvoiceRow =
                            sqlx::query_as(sql::INVOICE_BY_ID_SQL)
                                .bind(row.invoice_id)
                                .fetch_one(&mut *conn)
                                .await?;
                        let invoice = Self::invoice_with_lines(&mut conn, invoice).await?;
                        let previous = row.previous()?;
                        queued.push(QueuedRecord {
                            id: row.id,
                            invoice,
                            previous,
                            attempts: row.attempts,
                            after_rejection: row.after_rejection,
                            record: row.record.into_record()?,
                        });
                    }
                    Ok(queued)
                }

                async fn save_answers(
                    &self,
                    answers: &[RecordAnswer],
                    next_send_at: DateTime<Utc>,
                    refusal: Option<&str>,
                    at: DateTime<Utc>,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    for answer in answers {
                        sqlx::query(sql::SAVE_ANSWER_SQL)
                            .bind(answer.id)
                            .bind(answer.state.as_str())
                            .bind(answer.code.as_deref())
                            .bind(answer.message.as_deref())
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                    }
                    sqlx::query(sql::ANSWERED_SQL)
                        .bind(next_send_at)
                        .bind(at)
                        .bind(refusal)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn save_failure(
                    &self,
                    ids: &[i64],
                    error: &str,
                    retry_at: DateTime<Utc>,
                    at: DateTime<Utc>,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    for id in ids {
                        sqlx::query(sql::TRIED_SQL)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    sqlx::query(sql::UNANSWERED_SQL)
                        .bind(retry_at)
                        .bind(at)
                        .bind(error)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn record_list(
                    &self,
                    only_failed: bool,
                    limit: u32,
                ) -> Result<Vec<RecordListRow>> {
                    Ok(sqlx::query_as(sql::RECORD_LIST_SQL)
                        .bind(i64::from(only_failed))
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?)
                }
            }
        };
    };
}
pub(crate) use impl_verifactu_store;
