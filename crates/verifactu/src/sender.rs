//! The sender: sends the records waiting, in chain order, at AEAT's pace. A record
//! goes at once when nothing holds it back; then the next message waits for the
//! wait time of AEAT's last answer, unless 1 000 records wait. A message without an
//! answer is sent again, later and later, its records marked as held back by an
//! outage; AEAT's answer is kept on each record, and a rejected record is never sent
//! again: staff make a corrected one.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use comptoir_domain::invoicing::verifactu::RecordKind;
use comptoir_store::{
    QueuedRecord, RecordAnswer, RecordState, StoreError, SubmissionState, VerifactuStore,
};

use crate::answer::{self, Answer, Line, Reply};
use crate::client::AeatClient;
use crate::message::{MAX_RECORDS, Message, Software};

/// How long a sender holds the queue: longer than a message can take.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// The wait after a message AEAT refused, which gives none.
const AFTER_REFUSAL: chrono::Duration = chrono::Duration::seconds(60);

/// What one round did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Round {
    /// Nothing waits.
    Idle,
    /// Records wait for AEAT's wait time, or another sender has them.
    NotYet,
    /// AEAT answered about `sent` records: how many it took and refused.
    Answered {
        sent: usize,
        accepted: usize,
        rejected: usize,
    },
    /// AEAT refused the message as a whole: its records are rejected.
    Refused(String),
    /// The message got no answer: its records go again later.
    Unanswered(String),
}

/// Whether a message is due at `now`: after AEAT's wait time, or at once when
/// 1 000 records wait; after a message without answer, only once its retry delay
/// has passed.
pub fn due(state: &SubmissionState, now: DateTime<Utc>) -> bool {
    if state.waiting == 0 {
        return false;
    }
    let waited = state.next_send_at.is_none_or(|at| now >= at);
    if state.failures > 0 {
        return waited;
    }
    waited || state.waiting >= MAX_RECORDS as i64
}

/// When to try again after `failures` messages in a row got no answer: 30 s,
/// doubling, at most an hour.
pub fn retry_delay(failures: i32) -> chrono::Duration {
    let seconds = 30i64 << failures.clamp(0, 7);
    chrono::Duration::seconds(seconds.min(3600))
}

pub struct Sender {
    store: Arc<dyn VerifactuStore>,
    client: AeatClient,
    software: Software,
}

impl Sender {
    pub fn new(store: Arc<dyn VerifactuStore>, client: AeatClient, software: Software) -> Sender {
        Sender {
            store,
            client,
            software,
        }
    }

    /// Sends one message if one is due at `now`.
    pub async fn send_due(&self, now: DateTime<Utc>) -> Result<Round, StoreError> {
        let state = self.store.submission_state().await?;
        if state.waiting == 0 {
            return Ok(Round::Idle);
        }
        if !due(&state, now) || !self.store.claim_sender(now, now + LEASE).await? {
            return Ok(Round::NotYet);
        }
        let queued = self.store.records_to_send(MAX_RECORDS as u32).await?;
        let records = one_company(&queued);
        let Some(first) = records.first() else {
            return Ok(Round::Idle);
        };
        let message = Message {
            company_name: &first.invoice.seller.name,
            company_tax_id: &first.record.invoice.issuer,
            software: &self.software,
            incident: state.outage_since.is_some(),
            records,
        };
        let ids: Vec<i64> = records.iter().map(|queued| queued.id).collect();
        let answer = match self.client.send(message.envelope()).await {
            Ok(text) => answer::read(&text).map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match answer {
            Ok(Answer::Read(reply)) => {
                let answers = answers(records, &reply);
                let count = |wanted: fn(RecordState) -> bool| {
                    answers.iter().filter(|a| wanted(a.state)).count()
                };
                let round = Round::Answered {
                    sent: records.len(),
                    accepted: count(|s| {
                        matches!(s, RecordState::Accepted | RecordState::AcceptedWithErrors)
                    }),
                    rejected: count(|s| s == RecordState::Rejected),
                };
                let next = now + chrono::Duration::seconds(i64::from(reply.wait_seconds));
                self.store.save_answers(&answers, next, None, now).await?;
                tracing::info!(?round, status = %reply.status, wait = reply.wait_seconds, "VERI*FACTU records sent");
                Ok(round)
            }
            // AEAT's own failure: nothing was refused, the message goes again.
            Ok(Answer::Refused { code, text }) if code.ends_with("Server") => {
                self.unanswered(&ids, &state, format!("{code}: {text}"), now)
                    .await
            }
            Ok(Answer::Refused { code, text }) => {
                let answers: Vec<RecordAnswer> = ids
                    .iter()
                    .map(|&id| RecordAnswer {
                        id,
                        state: RecordState::Rejected,
                        code: Some(code.clone()),
                        message: Some(text.clone()),
                    })
                    .collect();
                let refusal = format!("{code}: {text}");
                self.store
                    .save_answers(&answers, now + AFTER_REFUSAL, Some(&refusal), now)
                    .await?;
                tracing::error!(%refusal, records = ids.len(), "AEAT refused a VERI*FACTU message");
                Ok(Round::Refused(refusal))
            }
            Err(error) => self.unanswered(&ids, &state, error, now).await,
        }
    }

    async fn unanswered(
        &self,
        ids: &[i64],
        state: &SubmissionState,
        error: String,
        now: DateTime<Utc>,
    ) -> Result<Round, StoreError> {
        let retry_at = now + retry_delay(state.failures);
        self.store.save_failure(ids, &error, retry_at, now).await?;
        tracing::warn!(%error, records = ids.len(), %retry_at, "VERI*FACTU records not answered; will send again");
        Ok(Round::Unanswered(error))
    }

    /// Sends what is due every `interval`, forever.
    pub async fn run(self, interval: Duration) {
        comptoir_store::poll_forever(interval, None, "VERI*FACTU sender", || async {
            self.send_due(Utc::now()).await.map(|_| ())
        })
        .await;
    }
}

/// The leading records of one company: a message speaks for one. (The company's
/// NIF changes once, when the legal settings replace the sample issuer.)
fn one_company(queued: &[QueuedRecord]) -> &[QueuedRecord] {
    let Some(first) = queued.first() else {
        return queued;
    };
    let end = queued
        .iter()
        .position(|q| q.record.invoice.issuer != first.record.invoice.issuer)
        .unwrap_or(queued.len());
    &queued[..end]
}

/// Each record's answer from `reply`'s lines, matched by invoice and operation in
/// order; a record the reply does not mention stays queued.
fn answers(records: &[QueuedRecord], reply: &Reply) -> Vec<RecordAnswer> {
    let mut used = vec![false; reply.lines.len()];
    records
        .iter()
        .map(|queued| {
            let operation = match queued.record.kind {
                RecordKind::Registration { .. } => "Alta",
                RecordKind::Annulment => "Anulacion",
            };
            let found = reply.lines.iter().enumerate().position(|(at, line)| {
                !used[at]
                    && line.invoice_number == queued.record.invoice.number
                    && line.operation == operation
            });
            match found {
                Some(at) => {
                    used[at] = true;
                    answer_of(queued, &reply.lines[at])
                }
                None => RecordAnswer {
                    id: queued.id,
                    state: RecordState::Queued,
                    code: None,
                    message: None,
                },
            }
        })
        .collect()
}

/// What AEAT's `line` means for `queued`: a duplicate of a record sent before
/// without an answer is AEAT holding it already.
fn answer_of(queued: &QueuedRecord, line: &Line) -> RecordAnswer {
    let retried_duplicate = line.code.as_deref() == Some(answer::DUPLICATE) && queued.attempts > 0;
    let state = match line.state.as_str() {
        "Correcto" => RecordState::Accepted,
        "AceptadoConErrores" => RecordState::AcceptedWithErrors,
        _ if retried_duplicate => match line.duplicate_state.as_deref() {
            Some("AceptadaConErrores") => RecordState::AcceptedWithErrors,
            _ => RecordState::Accepted,
        },
        _ => RecordState::Rejected,
    };
    RecordAnswer {
        id: queued.id,
        state,
        code: line.code.clone(),
        message: line.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(waiting: i64, next_in: Option<i64>, failures: i32) -> SubmissionState {
        let now = at(0);
        SubmissionState {
            next_send_at: next_in.map(|s| now + chrono::Duration::seconds(s)),
            failures,
            waiting,
            ..SubmissionState::default()
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_message_goes_after_the_wait_or_when_a_thousand_records_wait() {
        assert!(
            due(&state(1, None, 0), at(0)),
            "the first record goes at once"
        );
        assert!(!due(&state(0, None, 0), at(0)), "nothing to send");
        assert!(!due(&state(999, Some(60), 0), at(59)));
        assert!(due(&state(1, Some(60), 0), at(60)));
        assert!(due(&state(1000, Some(60), 0), at(1)));
        assert!(
            !due(&state(5000, Some(60), 2), at(1)),
            "after an outage the retry delay holds, however many wait"
        );
        assert!(due(&state(5000, Some(60), 2), at(60)));
    }

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(retry_delay(0).num_seconds(), 30);
        assert_eq!(retry_delay(1).num_seconds(), 60);
        assert_eq!(retry_delay(5).num_seconds(), 960);
        assert_eq!(retry_delay(30).num_seconds(), 3600);
    }
}
