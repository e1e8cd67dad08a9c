//! VERI*FACTU records sent to a stand-in AEAT on both backends: over TLS with the
//! company's PKCS#12 certificate, in chain order, in messages that keep to AEAT's
//! schemas and footprints; at AEAT's pace; kept through an outage and sent after it
//! with `Incidencia`; a lost answer's records taken as registered when AEAT says
//! they are duplicates; a rejection kept with AEAT's words, never sent again, and
//! fixed by a corrected record.

use chrono::{Duration, Utc};
use comptoir_domain::SiteCode;
use comptoir_domain::order::InvoiceDetails;
use comptoir_domain::staff::Role;
use comptoir_e2e::{
    Script, StandInAeat, TestStore, backoffice_config, default_networks, on_both_backends, paid,
    refunded, shipped_to_the_canaries, spawn_backoffice, transfer,
};
use comptoir_store::{Actor, InvoiceAction, RecordState};
use comptoir_verifactu::Round;

on_both_backends! {
    records_reach_aeat_in_chain_order_at_its_pace,
    an_outage_loses_no_record_and_a_lost_answer_is_not_a_rejection,
    a_rejected_record_keeps_aeats_words_and_only_a_corrected_one_goes,
}

/// Each record's state and AEAT's code, oldest first.
async fn states(t: &TestStore) -> Vec<(String, String, Option<String>)> {
    let mut rows = t.store.record_list(false, 100).await.unwrap();
    rows.reverse();
    rows.into_iter()
        .map(|row| (row.invoice_number, row.state, row.aeat_code))
        .collect()
}

fn accepted(sent: usize) -> Round {
    Round::Answered {
        sent,
        accepted: sent,
        rejected: 0,
    }
}

/// A simplified invoice, a full one naming a Spanish company, a distance sale to
/// France, an export to the Canaries, a refund and an annulment go in one message
/// at once; AEAT's schemas and footprints hold; the next invoice waits for AEAT's
/// wait time.
async fn records_reach_aeat_in_chain_order_at_its_pace(t: TestStore) {
    let aeat = StandInAeat::start(Script {
        wait_seconds: 60,
        ..Script::default()
    })
    .await;
    let sender = aeat.sender(t.store.clone());
    let now = Utc::now();
    assert_eq!(sender.send_due(now).await.unwrap(), Round::Idle);

    let simplified = paid(&t, &transfer("simple", 2)).await;
    let mut company = transfer("company", 1);
    company.invoice = Some(InvoiceDetails {
        tax_id: "B12345674".to_owned(),
        billing: comptoir_domain::order::ShippingAddress {
            name: "Fiestas & Disfraces <Ana> SL".to_owned(),
            street: "Calle Mayor 1".to_owned(),
            postcode: "28013".to_owned(),
            city: "Madrid".to_owned(),
            country: "ES".to_owned(),
        },
        vies_proof: None,
    });
    paid(&t, &company).await;
    let mut french = transfer("french", 1);
    french.site = SiteCode::Fr;
    french.ship_to.country = "FR".to_owned();
    french.ship_to.postcode = "75002".to_owned();
    french.lines[0].vat_rate_bp = 2000;
    paid(&t, &french).await;
    let mut canaries = transfer("canaries", 1);
    shipped_to_the_canaries(&mut canaries);
    paid(&t, &canaries).await;
    let by = Actor::command_line();
    refunded(&t, simplified, 500).await;
    let simplified_number = t.store.invoices_of_order(simplified).await.unwrap()[0]
        .number
        .text();
    let mistaken = paid(&t, &transfer("mistake", 1)).await;
    let mistaken = t.store.invoices_of_order(mistaken).await.unwrap()[0]
        .number
        .text();
    assert_eq!(
        t.store.annul_invoice(&mistaken, &by).await.unwrap(),
        InvoiceAction::Done
    );

    let round = sender.send_due(now).await.unwrap();
    assert_eq!(round, accepted(7), "{:?}", aeat.received());
    let received = aeat.received();
    assert_eq!(received.len(), 1, "one message");
    let message = &received[0];
    assert!(!message.incident);
    let operations: Vec<&str> = message.records.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(
        operations,
        ["Alta", "Alta", "Alta", "Alta", "Alta", "Alta", "Anulacion"]
    );
    let envelope = &message.envelope;
    for expected in [
        "<sf:PrimerRegistro>S</sf:PrimerRegistro>",
        "<sf:NIF>B12345674</sf:NIF>",
        "Fiestas &amp; Disfraces &lt;Ana&gt; SL",
        "<sf:ClaveRegimen>17</sf:ClaveRegimen><sf:CalificacionOperacion>N2</sf:CalificacionOperacion>",
        "<sf:FacturaSinIdentifDestinatarioArt61d>S</sf:FacturaSinIdentifDestinatarioArt61d>",
        "<sf:ClaveRegimen>02</sf:ClaveRegimen><sf:OperacionExenta>E2</sf:OperacionExenta>",
        "<sf:TipoImpositivo>21.00</sf:TipoImpositivo>",
        "<sf:TipoRectificativa>I</sf:TipoRectificativa>",
        &format!("<sf:NumSerieFactura>{simplified_number}</sf:NumSerieFactura>"),
        &format!("<sf:NumSerieFacturaAnulada>{mistaken}</sf:NumSerieFacturaAnulada>"),
    ] {
        assert!(envelope.contains(expected), "{expected} in {envelope}");
    }
    assert_eq!(
        envelope.matches("<sf:RegistroAnterior>").count(),
        6,
        "every record but the first names the one before"
    );
    assert!(
        states(&t)
            .await
            .iter()
            .all(|(_, state, code)| state == "accepted" && code.is_none())
    );

    // AEAT asked for 60 s between messages: the next record waits.
    paid(&t, &transfer("later", 1)).await;
    assert_eq!(
        sender.send_due(now + Duration::seconds(59)).await.unwrap(),
        Round::NotYet
    );
    assert_eq!(
        sender.send_due(now + Duration::seconds(61)).await.unwrap(),
        accepted(1)
    );
    assert_eq!(aeat.received().len(), 2);
    let state = t.store.submission_state().await.unwrap();
    assert_eq!(state.waiting, 0);
    assert_eq!(state.last_error, None);

    // A client without the company's certificate gets no further than TLS.
    let anonymous = reqwest::Client::builder()
        .add_root_certificate(aeat.authority.clone())
        .build()
        .unwrap();
    let requests = aeat.requests();
    assert!(anonymous.post(&aeat.url).body("<x/>").send().await.is_err());
    assert_eq!(aeat.requests(), requests, "refused at the handshake");
}

/// AEAT down: the records stay queued, the sender tries again later and later, and
/// once AEAT is back the records go in order, marked as held back by an outage. A
/// message AEAT registered but whose answer was lost goes again, and AEAT's answer
/// that its records are duplicates (3000) means they are registered.
async fn an_outage_loses_no_record_and_a_lost_answer_is_not_a_rejection(t: TestStore) {
    let aeat = StandInAeat::start(Script {
        unavailable: 2,
        ..Script::default()
    })
    .await;
    let sender = aeat.sender(t.store.clone());
    paid(&t, &transfer("outage-1", 1)).await;
    paid(&t, &transfer("outage-2", 1)).await;
    let now = Utc::now();
    let Round::Unanswered(error) = sender.send_due(now).await.unwrap() else {
        panic!("AEAT is down")
    };
    assert!(error.contains("503"), "{error}");
    let state = t.store.submission_state().await.unwrap();
    assert_eq!((state.waiting, state.failures), (2, 1));
    assert!(state.outage_since.is_some());
    assert!(state.last_error.as_deref().unwrap().contains("503"));
    assert_eq!(
        sender.send_due(now + Duration::seconds(10)).await.unwrap(),
        Round::NotYet,
        "the retry waits 30 s"
    );
    paid(&t, &transfer("outage-3", 1)).await;
    assert!(matches!(
        sender.send_due(now + Duration::seconds(31)).await.unwrap(),
        Round::Unanswered(_)
    ));
    assert_eq!(
        sender.send_due(now + Duration::seconds(60)).await.unwrap(),
        Round::NotYet,
        "then 60 s"
    );
    assert_eq!(
        sender.send_due(now + Duration::seconds(92)).await.unwrap(),
        accepted(3)
    );
    let received = aeat.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].incident, "sent after an outage: Incidencia S");
    let numbers: Vec<String> = states(&t).await.into_iter().map(|(n, _, _)| n).collect();
    assert_eq!(
        received[0]
            .records
            .iter()
            .map(|(_, n)| n.clone())
            .collect::<Vec<_>>(),
        numbers,
        "in chain order"
    );
    let state = t.store.submission_state().await.unwrap();
    assert_eq!((state.failures, state.outage_since), (0, None));

    // Registered, but the answer never came back.
    aeat.set_script(Script {
        answers_lost: 1,
        ..Script::default()
    });
    paid(&t, &transfer("lost", 1)).await;
    let later = now + Duration::seconds(200);
    assert!(matches!(
        sender.send_due(later).await.unwrap(),
        Round::Unanswered(_)
    ));
    assert_eq!(
        sender
            .send_due(later + Duration::seconds(31))
            .await
            .unwrap(),
        accepted(1),
        "AEAT holds it already: a duplicate on a retry is registered"
    );
    let last = states(&t).await.pop().unwrap();
    assert_eq!(
        (last.1.as_str(), last.2.as_deref()),
        ("accepted", Some("3000"))
    );
    assert!(aeat.received().last().unwrap().incident);
}

/// AEAT rejects a record: its code and words are kept, it is never sent again, and
/// the order manager's corrected record (`Subsanacion` `S`, `RechazoPrevio` `S`)
/// goes in its place.
async fn a_rejected_record_keeps_aeats_words_and_only_a_corrected_one_goes(t: TestStore) {
    let order = paid(&t, &transfer("rejected", 1)).await;
    let number = t.store.invoices_of_order(order).await.unwrap()[0]
        .number
        .text();
    let aeat = StandInAeat::start(Script::rejecting(
        &number,
        "1110",
        "El NIF no está identificado en el censo de la AEAT.",
    ))
    .await;
    let sender = aeat.sender(t.store.clone());
    paid(&t, &transfer("fine", 1)).await;
    let now = Utc::now();
    assert_eq!(
        sender.send_due(now).await.unwrap(),
        Round::Answered {
            sent: 2,
            accepted: 1,
            rejected: 1
        }
    );
    let rejected = t.store.record_list(true, 10).await.unwrap();
    assert_eq!(rejected.len(), 1, "only the failed records");
    assert_eq!(rejected[0].invoice_number, number);
    assert_eq!(rejected[0].state, RecordState::Rejected.as_str());
    assert_eq!(rejected[0].aeat_code.as_deref(), Some("1110"));
    assert_eq!(
        rejected[0].aeat_message.as_deref(),
        Some("El NIF no está identificado en el censo de la AEAT.")
    );
    assert_eq!(
        sender.send_due(now + Duration::seconds(600)).await.unwrap(),
        Round::Idle,
        "a rejected record is not sent again"
    );

    // Staff see what AEAT said; an order manager sends a corrected record.
    let app = spawn_backoffice(
        t,
        backoffice_config(default_networks(), std::time::Duration::from_secs(3600)),
    )
    .await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    app.add_staff("orders@comptoir.test", Role::OrderManager)
        .await;
    let support = app.logged_in("support@comptoir.test").await;
    let page = support.get("/invoices/records?failed=1").await;
    assert_eq!(page.status, 200);
    for expected in [
        number.as_str(),
        "rejected",
        "1110",
        "El NIF no está identificado en el censo de la AEAT.",
    ] {
        assert!(page.body.contains(expected), "{expected} in {}", page.body);
    }
    assert_eq!(page.body.matches("data-record=").count(), 1);
    assert!(!page.body.contains("Send a corrected record"));
    let correct = format!("/invoices/{number}/correct");
    assert_eq!(support.post(&correct, &[]).await.status, 403);
    let manager = app.logged_in("orders@comptoir.test").await;
    let page = manager.get("/invoices/records").await;
    assert_eq!(page.body.matches("data-record=").count(), 2);
    assert!(page.body.contains("Send a corrected record"));
    assert!(page.body.contains("<dd data-waiting>0</dd>"));
    aeat.set_script(Script::default());
    assert_eq!(manager.post(&correct, &[]).await.status, 303);
    let page = manager.get("/invoices/records").await;
    assert!(page.body.contains("<dd data-waiting>1</dd>"));
    assert!(page.body.contains("registration, corrected"));
    assert!(
        !page.body.contains("Send a corrected record"),
        "corrected already"
    );
    let t = &app.db;
    assert_eq!(
        sender.send_due(now + Duration::seconds(601)).await.unwrap(),
        accepted(1)
    );
    let envelope = aeat.received().last().unwrap().envelope.clone();
    assert!(
        envelope
            .contains("<sf:Subsanacion>S</sf:Subsanacion><sf:RechazoPrevio>S</sf:RechazoPrevio>"),
        "{envelope}"
    );
    let states = states(t).await;
    assert_eq!(
        states
            .iter()
            .map(|(n, s, _)| (n.as_str(), s.as_str()))
            .collect::<Vec<_>>(),
        [
            (number.as_str(), "rejected"),
            (states[1].0.as_str(), "accepted"),
            (number.as_str(), "accepted")
        ]
    );
}
