//! Invoices on both backends: issued with the payment, numbered without gaps under
//! concurrent payments, each sale with the invoice its taxation takes, and every
//! invoice registered in one VERI*FACTU chain that anyone can recompute.

use std::sync::Arc;

use comptoir_domain::destination::Country;
use comptoir_domain::invoicing::verifactu::{RecordKind, broken_link};
use comptoir_domain::invoicing::{InvoiceType, Treatment};
use comptoir_domain::order::InvoiceDetails;
use comptoir_domain::vat::VatRate;
use comptoir_domain::{Money, SiteCode};
use comptoir_e2e::{
    TestStore, backoffice_config, default_networks, on_both_backends, paid, refunded,
    shipped_to_the_canaries, spawn_backoffice, transfer,
};
use comptoir_store::prelude::*;
use comptoir_store::{
    Actor, InvoiceAction, NewOrder, OrderChange, OrderChangeOutcome, OutgoingMail, ShippingAddress,
};

on_both_backends! {
    fifty_payments_at_once_take_fifty_numbers_without_a_gap_and_one_chain,
    each_kind_of_sale_gets_the_invoice_its_taxation_takes,
    refunds_are_rectified_by_difference_in_series_of_their_own,
    corrections_and_annulments_are_new_records_never_edits,
    told_to_invoice_at_shipment_a_store_waits_for_it,
    staff_see_invoices_and_order_managers_annul_one_issued_by_mistake,
    a_customer_asking_afterwards_gets_a_full_invoice_in_place_of_the_simplified_one,
    each_invoice_is_mailed_to_its_customer_with_its_pdf,
    the_accountant_exports_a_periods_vat_per_country_and_rate_and_its_register,
}

fn no_mail(_: &comptoir_domain::order::OrderNumber) -> Option<OutgoingMail> {
    None
}

/// Fifty transfers marked paid at the same moment, as two replicas' staff might:
/// fifty simplified invoices numbered 1 to 50 of this year's series, each once, and
/// fifty records in one chain whose footprints recompute.
async fn fifty_payments_at_once_take_fifty_numbers_without_a_gap_and_one_chain(t: TestStore) {
    let store: Arc<dyn Store> = t.store.clone();
    let mut ids = Vec::new();
    for n in 0..50 {
        let placed = store
            .place_order(&transfer(&format!("race-{n}"), 1), &no_mail)
            .await
            .unwrap();
        ids.push(placed.id);
    }
    let paying: Vec<_> = ids
        .iter()
        .map(|id| {
            let (store, id) = (store.clone(), *id);
            tokio::spawn(async move {
                store
                    .change_order(id, &OrderChange::MarkPaid, &Actor::command_line(), None)
                    .await
            })
        })
        .collect();
    for paying in paying {
        assert_eq!(paying.await.unwrap().unwrap(), OrderChangeOutcome::Done);
    }
    let mut sequences = Vec::new();
    for id in &ids {
        let invoices = t.store.invoices_of_order(*id).await.unwrap();
        assert_eq!(invoices.len(), 1, "one invoice per order");
        assert_eq!(invoices[0].number.kind, InvoiceType::F2);
        sequences.push(invoices[0].number.sequence);
    }
    sequences.sort_unstable();
    assert_eq!(
        sequences,
        (1..=50).collect::<Vec<u32>>(),
        "no gap, no repeat"
    );
    let records = t.store.verifactu_records().await.unwrap();
    assert_eq!(records.len(), 50);
    assert_eq!(broken_link(&records), None, "one chain, unforked");
    assert!(records[0].previous.is_none());
    // Marked paid again, an order takes no second invoice.
    let again = t
        .store
        .change_order(ids[0], &OrderChange::MarkPaid, &Actor::command_line(), None)
        .await
        .unwrap();
    assert!(matches!(again, OrderChangeOutcome::Refused(_)));
    assert_eq!(t.store.verifactu_records().await.unwrap().len(), 50);
}

fn shipped_to(order: &mut NewOrder, postcode: &str, country: &str) {
    order.ship_to = ShippingAddress {
        name: "Marie Dubois".to_owned(),
        street: "12 rue de la Paix".to_owned(),
        postcode: postcode.to_owned(),
        city: "Paris".to_owned(),
        country: country.to_owned(),
    };
}

/// A sale in Spain takes a simplified invoice naming no one; one whose shopper asked
/// for an invoice, or above 3 000 €, a full one; a sale to France a full one naming
/// the buyer, with France's VAT and none of Spain's in its record; one to the
/// Canaries a full one without VAT.
async fn each_kind_of_sale_gets_the_invoice_its_taxation_takes(t: TestStore) {
    let simplified = paid(&t, &transfer("simplified", 2)).await;
    let invoice = &t.store.invoices_of_order(simplified).await.unwrap()[0];
    assert_eq!(invoice.number.kind, InvoiceType::F2);
    assert_eq!(invoice.treatment, Treatment::Domestic);
    assert_eq!(invoice.buyer, None);
    assert_eq!(invoice.total(), Money::eur(2000));
    assert_eq!(invoice.vat_breakdown()[0].rate, VatRate::percent(21));
    assert_eq!(
        invoice.seller.tax_id.as_deref(),
        Some("89890001K"),
        "the sample issuer"
    );

    let mut asked = transfer("asked", 1);
    asked.invoice = Some(InvoiceDetails {
        tax_id: "12345678Z".to_owned(),
        billing: comptoir_domain::order::ShippingAddress {
            name: "Disfraces Ana SL".to_owned(),
            street: "Calle Mayor 1".to_owned(),
            postcode: "28013".to_owned(),
            city: "Madrid".to_owned(),
            country: "ES".to_owned(),
        },
        vies_proof: None,
    });
    let asked = paid(&t, &asked).await;
    let invoice = &t.store.invoices_of_order(asked).await.unwrap()[0];
    assert_eq!(invoice.number.kind, InvoiceType::F1);
    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(
        (buyer.name.as_str(), buyer.tax_id.as_deref()),
        ("Disfraces Ana SL", Some("12345678Z"))
    );
    assert_eq!(
        (invoice.number.sequence, invoice.number.year),
        (
            1,
            invoice.issued_on.format("%Y").to_string().parse().unwrap()
        ),
        "a series of its own"
    );

    let mut french = transfer("french", 1);
    french.site = SiteCode::Fr;
    shipped_to(&mut french, "75002", "FR");
    french.lines[0].vat_rate_bp = 2000;
    let french = paid(&t, &french).await;
    let invoice = &t.store.invoices_of_order(french).await.unwrap()[0];
    assert_eq!(invoice.number.kind, InvoiceType::F1);
    assert_eq!(invoice.treatment, Treatment::DistanceSale(Country::Fr));
    assert_eq!(invoice.buyer.as_ref().unwrap().name, "Marie Dubois");
    assert_eq!(invoice.lines[0].rate, Some(VatRate::percent(20)));

    let mut canaries = transfer("canaries", 1);
    shipped_to_the_canaries(&mut canaries);
    let canaries = paid(&t, &canaries).await;
    let invoice = &t.store.invoices_of_order(canaries).await.unwrap()[0];
    assert_eq!(invoice.treatment, Treatment::Export);
    assert_eq!(invoice.lines[0].rate, None, "no VAT on an export");
    assert!(invoice.vat_breakdown().is_empty());

    let records = t.store.verifactu_records().await.unwrap();
    assert_eq!(broken_link(&records), None);
    let totals: Vec<(String, String)> = records
        .iter()
        .map(|record| match &record.kind {
            RecordKind::Registration {
                vat_total, total, ..
            } => (vat_total.decimal(), total.decimal()),
            RecordKind::Annulment => unreachable!("no annulment here"),
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("3.48".to_owned(), "20.00".to_owned()),
            ("1.74".to_owned(), "10.00".to_owned()),
            ("0.00".to_owned(), "10.00".to_owned()),
            ("0.00".to_owned(), "8.26".to_owned()),
        ],
        "France's VAT is not Spain's; an export has none"
    );
}

/// Refunds after invoicing: a partial refund of a simplified invoice takes an `R5`
/// giving back exactly what was refunded, the rest a second one; a whole refund of
/// a full invoice an `R1` taking every line back. Each names what it corrects and
/// joins the chain.
async fn refunds_are_rectified_by_difference_in_series_of_their_own(t: TestStore) {
    let simplified = paid(&t, &transfer("partial", 3)).await;
    refunded(&t, simplified, 500).await;
    refunded(&t, simplified, 2500).await;
    let invoices = t.store.invoices_of_order(simplified).await.unwrap();
    let kinds: Vec<String> = invoices.iter().map(|i| i.number.text()).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    let (sold, first, rest) = (&invoices[0], &invoices[1], &invoices[2]);
    assert_eq!(first.number.kind, InvoiceType::R5);
    assert_eq!((first.number.sequence, rest.number.sequence), (1, 2));
    assert_eq!(first.refers_to, Some((sold.number, sold.issued_on)));
    assert_eq!(first.total(), Money::eur(-500));
    assert_eq!(first.lines[0].description, "Devolución");
    assert_eq!(
        sold.total().cents() + first.total().cents() + rest.total().cents(),
        0,
        "all given back"
    );
    assert_eq!(
        sold.vat().cents() + first.vat().cents() + rest.vat().cents(),
        0,
        "and its VAT with it"
    );

    let mut full = transfer("whole", 2);
    full.site = SiteCode::Fr;
    shipped_to(&mut full, "75002", "FR");
    let full = paid(&t, &full).await;
    refunded(&t, full, 2000).await;
    let invoices = t.store.invoices_of_order(full).await.unwrap();
    let back = &invoices[1];
    assert_eq!(back.number.kind, InvoiceType::R1);
    assert_eq!(back.lines[0].quantity, -2, "every line taken back");
    assert_eq!(back.buyer, invoices[0].buyer);

    let records = t.store.verifactu_records().await.unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(broken_link(&records), None);
    match &records[1].kind {
        RecordKind::Registration {
            invoice_type,
            total,
            ..
        } => assert_eq!(
            (*invoice_type, total.decimal()),
            (InvoiceType::R5, "-5.00".to_owned())
        ),
        RecordKind::Annulment => unreachable!(),
    }
}

/// Staff fix a record's wrong data by registering the invoice again (`Subsanacion`
/// `S`), and annul an invoice issued by mistake: each a new record chained after the
/// last, the earlier ones untouched; an annulled invoice takes no further record and
/// its number stays used.
async fn corrections_and_annulments_are_new_records_never_edits(t: TestStore) {
    let by = Actor::command_line();
    let order = paid(&t, &transfer("mistake", 1)).await;
    let number = t.store.invoices_of_order(order).await.unwrap()[0]
        .number
        .text();
    let first = t.store.verifactu_records().await.unwrap();
    assert_eq!(
        t.store.register_correction(&number, &by).await.unwrap(),
        InvoiceAction::Done
    );
    assert_eq!(
        t.store.annul_invoice(&number, &by).await.unwrap(),
        InvoiceAction::Done
    );
    for again in [
        t.store.annul_invoice(&number, &by).await.unwrap(),
        t.store.register_correction(&number, &by).await.unwrap(),
    ] {
        assert_eq!(again, InvoiceAction::Annulled);
    }
    assert_eq!(
        t.store.annul_invoice("F2-2020-000001", &by).await.unwrap(),
        InvoiceAction::NotFound
    );
    let records = t.store.verifactu_records().await.unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0], first[0], "the first record as it was");
    assert_eq!(broken_link(&records), None);
    assert!(matches!(
        records[1].kind,
        RecordKind::Registration {
            correction: true,
            ..
        }
    ));
    assert_eq!(records[2].kind, RecordKind::Annulment);
    assert_eq!(records[2].invoice.number, number);
    // The next invoice takes the next number: the annulled one's stays used.
    let next = paid(&t, &transfer("after", 1)).await;
    let next = &t.store.invoices_of_order(next).await.unwrap()[0];
    assert_eq!(next.number.sequence, 2);
}

/// With `INVOICE_ON=shipped` an order's invoice comes with its shipment, paid or
/// not (cash on delivery ships first), and its payment afterwards issues none.
async fn told_to_invoice_at_shipment_a_store_waits_for_it(t: TestStore) {
    use comptoir_domain::order::FulfilmentStatus;
    let mut config = t.store_config.clone();
    config.invoice_on = comptoir_store::InvoiceMoment::Shipped;
    let store = comptoir_store::open(&config).await.unwrap();
    let by = Actor::command_line();
    let change = |id: i64, change: OrderChange| {
        let (store, by) = (store.clone(), by.clone());
        async move {
            let outcome = store.change_order(id, &change, &by, None).await.unwrap();
            assert_eq!(outcome, OrderChangeOutcome::Done, "{change:?}");
        }
    };
    let ship = || OrderChange::Ship {
        carrier: "Correos".to_owned(),
        tracking: "PK123456789ES".to_owned(),
    };
    let transfer = store
        .place_order(&transfer("shipped-transfer", 1), &no_mail)
        .await
        .unwrap()
        .id;
    change(transfer, OrderChange::MarkPaid).await;
    assert!(store.invoices_of_order(transfer).await.unwrap().is_empty());
    change(
        transfer,
        OrderChange::Fulfilment(FulfilmentStatus::Processing),
    )
    .await;
    change(transfer, ship()).await;
    assert_eq!(store.invoices_of_order(transfer).await.unwrap().len(), 1);

    let mut on_delivery = self::transfer("shipped-cod", 1);
    on_delivery.payment_method = "cash-on-delivery".to_owned();
    let on_delivery = store.place_order(&on_delivery, &no_mail).await.unwrap().id;
    change(
        on_delivery,
        OrderChange::Fulfilment(FulfilmentStatus::Processing),
    )
    .await;
    change(on_delivery, ship()).await;
    let invoices = store.invoices_of_order(on_delivery).await.unwrap();
    assert_eq!(invoices.len(), 1, "issued as it ships, before it is paid");
    change(
        on_delivery,
        OrderChange::Fulfilment(FulfilmentStatus::Delivered),
    )
    .await;
    change(on_delivery, OrderChange::MarkPaid).await;
    assert_eq!(store.invoices_of_order(on_delivery).await.unwrap().len(), 1);
    assert_eq!(broken_link(&store.verifactu_records().await.unwrap()), None);
}

/// The back office lists the invoices with their record's state; support staff
/// only read, an order manager annuls one issued by mistake (confirmed on the
/// page), and annulling it again is refused with a message.
async fn staff_see_invoices_and_order_managers_annul_one_issued_by_mistake(t: TestStore) {
    use comptoir_domain::staff::Role;
    let order = paid(&t, &transfer("listed", 2)).await;
    let number = t.store.invoices_of_order(order).await.unwrap()[0]
        .number
        .text();
    let app = spawn_backoffice(
        t,
        backoffice_config(default_networks(), std::time::Duration::from_secs(3600)),
    )
    .await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    app.add_staff("orders@comptoir.test", Role::OrderManager)
        .await;
    let support = app.logged_in("support@comptoir.test").await;
    let list = support.get("/invoices").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&number), "{}", list.body);
    assert!(list.body.contains("queued"), "nothing is sent yet");
    assert!(!list.body.contains("Annul (issued by mistake)"));
    let annul = format!("/invoices/{number}/annul");
    assert_eq!(support.post(&annul, &[]).await.status, 403);
    // Anyone on the staff reads an invoice's PDF, as its customer got it.
    let pdf_link = format!("/invoices/{number}/pdf");
    assert!(list.body.contains(&pdf_link));
    let pdf = support.get(&pdf_link).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    assert_eq!(
        support.get("/invoices/F2-1999-000001/pdf").await.status,
        404
    );

    let manager = app.logged_in("orders@comptoir.test").await;
    let annulled = manager.post(&annul, &[]).await;
    assert_eq!(annulled.status, 303);
    let list = manager.get("/invoices?done=annul").await;
    assert!(list.body.contains("annulled"));
    let again = manager.post(&annul, &[]).await;
    assert_eq!(again.status, 409);
    assert!(
        again
            .body
            .contains("is annulled: it takes no further record")
    );
    let records = app.db.store.verifactu_records().await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].kind, RecordKind::Annulment);
    assert_eq!(
        manager
            .post("/invoices/F2-1999-000001/correct", &[])
            .await
            .status,
        404
    );
}

/// A customer asks for an invoice in their name after paying: staff issue a full
/// invoice (F3) naming them in place of the simplified one, with a NIF whose check
/// digit is right; it is issued once, and a refund afterwards rectifies it (R1).
async fn a_customer_asking_afterwards_gets_a_full_invoice_in_place_of_the_simplified_one(
    t: TestStore,
) {
    use comptoir_domain::staff::Role;
    let order = paid(&t, &transfer("asked-later", 2)).await;
    let simplified = t.store.invoices_of_order(order).await.unwrap()[0].clone();
    let app = spawn_backoffice(
        t,
        backoffice_config(default_networks(), std::time::Duration::from_secs(3600)),
    )
    .await;
    app.add_staff("orders@comptoir.test", Role::OrderManager)
        .await;
    let manager = app.logged_in("orders@comptoir.test").await;
    let full = format!("/invoices/{}/full", simplified.number);
    let asked = |tax_id: &'static str| {
        [
            ("name", "Fiestas Ana SL"),
            ("tax_id", tax_id),
            ("address", "Calle Mayor 1, 28013 Madrid"),
        ]
    };
    let wrong = manager.post(&full, &asked("12345678A")).await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .body
            .contains("NIF or NIE: &#39;12345678A&#39; is not one")
            || wrong.body.contains("NIF or NIE: '12345678A' is not one"),
        "{}",
        wrong.body
    );
    let issued = manager.post(&full, &asked("12345678-z")).await;
    assert_eq!(issued.status, 303, "{}", issued.body);
    let again = manager.post(&full, &asked("12345678Z")).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("was replaced already, by F3-"));

    let invoices = app.db.store.invoices_of_order(order).await.unwrap();
    let replacing = &invoices[1];
    assert_eq!(replacing.number.kind, InvoiceType::F3);
    assert_eq!(replacing.number.sequence, 1);
    assert_eq!(
        replacing.refers_to,
        Some((simplified.number, simplified.issued_on))
    );
    let buyer = replacing.buyer.as_ref().unwrap();
    assert_eq!(
        (buyer.name.as_str(), buyer.tax_id.as_deref()),
        ("Fiestas Ana SL", Some("12345678Z"))
    );
    assert_eq!(replacing.lines, simplified.lines, "the same sale");
    let list = manager.get("/invoices").await;
    assert!(
        list.body
            .contains(&format!("F3 replacing {}", simplified.number))
    );

    refunded(&app.db, order, 2000).await;
    let invoices = app.db.store.invoices_of_order(order).await.unwrap();
    assert_eq!(
        invoices[2].number.kind,
        InvoiceType::R1,
        "the full invoice is rectified"
    );
    assert_eq!(invoices[2].refers_to.unwrap().0, replacing.number);
    assert_eq!(
        broken_link(&app.db.store.verifactu_records().await.unwrap()),
        None
    );
}

/// The PDF files a mail written by the file mailer carries, by file name.
fn attached_files(mail: &str) -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    mail.split("Content-Disposition: attachment; filename=\"")
        .skip(1)
        .map(|part| {
            let (name, rest) = part.split_once('"').unwrap();
            let encoded: String = rest
                .split("\r\n\r\n")
                .nth(1)
                .unwrap()
                .split("--")
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap();
            (name.to_owned(), bytes)
        })
        .collect()
}

/// An invoice paid and a refund: each invoice is mailed to the customer, in the
/// order's language, with its PDF attached.
async fn each_invoice_is_mailed_to_its_customer_with_its_pdf(t: TestStore) {
    use comptoir_domain::invoicing::verifactu::AeatHost;
    use comptoir_mail::{FileMailer, InvoicePdfs, deliver_due};
    let id = paid(&t, &transfer("mailed", 2)).await;
    refunded(&t, id, 300).await;
    let invoices = t.store.invoices_of_order(id).await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let mailer = FileMailer {
        folder: folder.path().to_owned(),
        sender: "tienda@example.es".to_owned(),
    };
    let pdfs = InvoicePdfs {
        invoices: t.store.clone(),
        qr_host: AeatHost::Test,
    };
    let sent = deliver_due(t.store.as_ref(), &pdfs, &mailer, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(sent, 2, "the invoice and its rectifying invoice");
    let mails: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    for invoice in &invoices {
        let number = invoice.number.text();
        let mail = mails
            .iter()
            .find(|mail| mail.contains(&format!("Subject: Su factura {number}\r\n")))
            .unwrap_or_else(|| panic!("no mail of {number}"));
        assert!(mail.contains("Adjuntamos la factura"));
        let files = attached_files(mail);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, format!("{number}.pdf"));
        assert!(files[0].1.starts_with(b"%PDF-"));
        let placed = t.store.order(id).await.unwrap().unwrap();
        assert!(mail.contains(&format!("To: {}\r\n", placed.email)));
    }
}

/// Sales in Spain and to France, a refund, an invoice annulled and
/// a full invoice replacing a simplified one: the quarter's VAT summary adds them
/// up per kind of sale, country and rate (the refund lowering its sale's figures,
/// the annulled invoice and the replacing one counting for nothing), and the
/// register lists every invoice. Only order managers export; a wrong period is
/// refused with what it should be.
async fn the_accountant_exports_a_periods_vat_per_country_and_rate_and_its_register(t: TestStore) {
    use comptoir_domain::invoicing::period::{Period, Quarter};
    use comptoir_domain::local_time::TimeZone;
    use comptoir_domain::staff::Role;
    let by = Actor::command_line();
    let domestic = paid(&t, &transfer("domestic", 3)).await;
    refunded(&t, domestic, 500).await;
    let mut french = transfer("french", 1);
    french.site = SiteCode::Fr;
    shipped_to(&mut french, "75002", "FR");
    french.lines[0].vat_rate_bp = 2000;
    let french = paid(&t, &french).await;
    // A company in Italy whose VAT number VIES confirmed: exempt, in the modelo 349.
    let mut italian = transfer("italian", 1);
    italian.site = SiteCode::It;
    shipped_to(&mut italian, "20154", "IT");
    let line = &mut italian.lines[0];
    (
        line.vat_cents,
        line.net_cents,
        line.unit_cents,
        line.gross_cents,
    ) = (0, 826, 826, 826);
    (italian.items_cents, italian.vat_cents, italian.total_cents) = (826, 0, 826);
    italian.invoice = Some(InvoiceDetails {
        tax_id: "07643520567".to_owned(),
        billing: comptoir_domain::order::ShippingAddress {
            name: "Feste Srl".to_owned(),
            street: "Corso Como 2".to_owned(),
            postcode: "20154".to_owned(),
            city: "Milano".to_owned(),
            country: "IT".to_owned(),
        },
        vies_proof: Some("VIES 2027-01-04T10:15:02Z WAPIAAAAZ1X2Y3".to_owned()),
    });
    let italian = paid(&t, &italian).await;
    refunded(&t, italian, 200).await;
    let mistaken = paid(&t, &transfer("mistaken", 1)).await;
    let mistaken = t.store.invoices_of_order(mistaken).await.unwrap()[0]
        .number
        .text();
    t.store.annul_invoice(&mistaken, &by).await.unwrap();
    let replaced = paid(&t, &transfer("replaced", 1)).await;
    let replaced = t.store.invoices_of_order(replaced).await.unwrap()[0]
        .number
        .text();
    // A name a spreadsheet would run as a formula, were it not marked as text.
    let buyer = comptoir_domain::invoicing::Party {
        name: "=HYPERLINK(\"http://x\")".to_owned(),
        tax_id: Some("12345678Z".to_owned()),
        address: "Calle Mayor 1, 28013 Madrid".to_owned(),
    };
    t.store
        .issue_full_invoice(&replaced, &buyer, &by)
        .await
        .unwrap();

    let today = TimeZone::CentralEuropean
        .local(chrono::Utc::now())
        .date_naive();
    let quarter = Quarter::of(today).text();
    let figures = t
        .store
        .vat_figures(Period::parse(&quarter).unwrap())
        .await
        .unwrap();
    let sold = t.store.invoices_of_order(domestic).await.unwrap();
    let replaced_sale = t.store.invoice_document(&replaced).await.unwrap().unwrap();
    let domestic_base =
        sold.iter().map(|i| i.net().cents()).sum::<i64>() + replaced_sale.invoice.net().cents();
    let domestic_vat =
        sold.iter().map(|i| i.vat().cents()).sum::<i64>() + replaced_sale.invoice.vat().cents();
    let french_invoice = &t.store.invoices_of_order(french).await.unwrap()[0];

    let app = spawn_backoffice(
        t,
        backoffice_config(default_networks(), std::time::Duration::from_secs(3600)),
    )
    .await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    app.add_staff("orders@comptoir.test", Role::OrderManager)
        .await;
    let summary_link = format!("/invoices/vat-summary.csv?period={quarter}");
    let support = app.logged_in("support@comptoir.test").await;
    assert_eq!(support.get(&summary_link).await.status, 403);
    let manager = app.logged_in("orders@comptoir.test").await;
    let wrong = manager
        .get("/invoices/vat-summary.csv?period=2027-Q5")
        .await;
    assert_eq!(wrong.status, 400);
    assert!(
        wrong
            .body
            .contains("is not a period: give a year (2027), a quarter (2027-Q1)"),
        "{}",
        wrong.body
    );

    let csv = manager.get(&summary_link).await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines,
        vec![
            "section,regime,country,vat_rate,taxable_base,vat,invoices",
            &format!(
                "period,domestic,ES,21.00,{},{},3",
                Money::eur(domestic_base).decimal(),
                Money::eur(domestic_vat).decimal()
            ),
            &format!(
                "period,oss_distance_sale,FR,20.00,{},{},1",
                french_invoice.net().decimal(),
                french_invoice.vat().decimal()
            ),
            "period,intra_community_supply,IT,exempt,6.26,0.00,2",
        ],
        "the sale, its refund and the simplified invoice replaced; neither the annulled \
         invoice nor the replacing one; figures: {figures:?}"
    );

    let statement = manager
        .get(&format!("/invoices/modelo-349.csv?period={quarter}"))
        .await;
    assert_eq!(statement.status, 200);
    assert_eq!(
        statement.body.lines().collect::<Vec<_>>(),
        [
            "section,vat_number,name,key,taxable_base",
            "period,IT07643520567,Feste Srl,E,6.26"
        ],
        "the sale less its return, by the buyer's VAT number"
    );
    let order_page = manager.get(&format!("/orders/{italian}")).await;
    assert!(
        order_page
            .body
            .contains("of which VAT (exempt intra-community supply)"),
        "{}",
        order_page.body
    );
    assert!(
        order_page
            .body
            .contains("confirmed by VIES 2027-01-04T10:15:02Z WAPIAAAAZ1X2Y3")
    );
    assert_eq!(
        support
            .get(&format!("/invoices/modelo-349.csv?period={quarter}"))
            .await
            .status,
        403
    );

    let register = manager
        .get(&format!("/invoices/register.csv?period={quarter}"))
        .await;
    assert_eq!(register.status, 200);
    assert!(
        register
            .body
            .starts_with("number,issued_on,type,refers_to,order,")
    );
    let listed = |number: &str| {
        register
            .body
            .lines()
            .filter(|line| line.starts_with(&format!("{number},")))
            .count()
    };
    for invoice in &sold {
        assert_eq!(listed(&invoice.number.text()), 1, "{}", register.body);
    }
    assert_eq!(listed(&mistaken), 1);
    assert!(
        register
            .body
            .lines()
            .any(|line| line.starts_with(&format!("{mistaken},")) && line.ends_with(",yes"))
    );
    assert_eq!(listed(&french_invoice.number.text()), 1);
    assert_eq!(register.body.lines().count(), 1 + 8, "{}", register.body);
    assert!(
        register
            .body
            .contains(",\"'=HYPERLINK(\"\"http://x\"\")\",12345678Z,"),
        "{}",
        register.body
    );
}
