//! The shop's customers and their address books, written as Magento's customer
//! export would write them (a row per customer, then a row per further address)
//! and read by `comptoir_import::magento_customers`: the same checks and the same
//! legacy password hashes either way.

use std::collections::HashMap;

use comptoir_import::magento_customers::{self, CustomerFile};

use crate::eav::{Attributes, Values};
use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError};

/// The export's columns.
const COLUMNS: [&str; 18] = [
    "email",
    "_store",
    "firstname",
    "lastname",
    "password_hash",
    "dob",
    "gender",
    "taxvat",
    "group_id",
    "_address_firstname",
    "_address_lastname",
    "_address_company",
    "_address_street",
    "_address_postcode",
    "_address_city",
    "_address_region",
    "_address_country_id",
    "_address_telephone",
];

/// A row of `customer_entity`.
#[derive(sqlx::FromRow)]
struct Customer {
    id: u64,
    email: Option<Vec<u8>>,
    store: Option<u64>,
    group: String,
}

/// Reads every customer and their addresses; a customer whose row is wrong (an
/// e-mail address that is not one, a hash that is not Magento's) is reported and
/// left out, an address Comptoir cannot use is reported and the customer kept.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    report: &mut Report,
) -> Result<CustomerFile, MagentoError> {
    let table = db.tables().name("customer_entity");
    let customers: Vec<Customer> = db
        .rows(
            "customer_entity",
            &format!(
                "SELECT CAST(entity_id AS UNSIGNED) AS id, CAST(email AS BINARY) AS email, \
                 CAST(store_id AS UNSIGNED) AS store, CAST(group_id AS CHAR) AS `group` \
                 FROM {table} ORDER BY entity_id"
            ),
        )
        .await?;
    let attributes = Attributes::read(db, "customer").await?;
    let wanted: Vec<_> = [
        "firstname",
        "lastname",
        "password_hash",
        "dob",
        "gender",
        "taxvat",
        "default_shipping",
    ]
    .into_iter()
    .filter_map(|code| attributes.get(code))
    .collect();
    let values = Values::read(db, "customer_entity", &wanted, false).await?;
    let addresses = addresses(db).await?;
    report.counts("customers").read = customers.len();

    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[&str]| {
        writer
            .write_record(row)
            .expect("writing to memory does not fail");
    };
    write(&mut writer, &COLUMNS);
    // Each customer's first line, for the report.
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut line = 2;
    for customer in &customers {
        let email = crate::lossy(customer.email.as_deref());
        let entity = format!("customer {} ({email})", customer.id);
        let value = |code: &str| {
            values
                .admin(customer.id, attributes.get(code))
                .unwrap_or("")
        };
        let store = stores
            .views
            .iter()
            .find(|view| Some(view.id) == customer.store)
            .map_or("", |view| view.code.as_str());
        let own = [
            email.as_ref(),
            store,
            value("firstname"),
            value("lastname"),
            value("password_hash"),
            value("dob"),
            value("gender"),
            value("taxvat"),
            customer.group.as_str(),
        ];
        // The default shipping address first: it becomes the customer's.
        let mut book: Vec<&Address> = addresses
            .get(&customer.id)
            .map(|book| book.iter().collect())
            .unwrap_or_default();
        let default = value("default_shipping");
        book.sort_by_key(|address| address.id.to_string() != default);
        lines.push((line, entity));
        // The customer's row holds their first address, a row of its own each other.
        let first = book.first().map_or(vec![""; 9], |address| address.cells());
        write(&mut writer, &[own.as_slice(), &first].concat());
        line += 1;
        for address in book.iter().skip(1) {
            write(&mut writer, &[&[""; 9][..], &address.cells()].concat());
            line += 1;
        }
    }
    let csv = writer
        .into_inner()
        .expect("writing to memory does not fail");
    let read = magento_customers::read(csv.as_slice(), &stores.sites)?;
    let entity_at = |line: u64| {
        let at = lines.partition_point(|(first, _)| *first <= line);
        at.checked_sub(1)
            .map_or_else(|| "customers".to_owned(), |at| lines[at].1.clone())
    };
    for rejected in &read.rejected {
        report.problem(&entity_at(rejected.line), rejected.message.clone());
    }
    for note in &read.notes {
        report.note(&entity_at(note.line), note.message.clone());
    }
    report.counts("customers").skipped = customers.len() - read.records.customers.len();
    Ok(read.records)
}

/// An address of a customer's book, as the export's `_address_*` columns.
#[derive(Default)]
struct Address {
    id: u64,
    fields: [String; 9],
}

impl Address {
    fn cells(&self) -> Vec<&str> {
        self.fields.iter().map(String::as_str).collect()
    }
}

/// Every customer's addresses, by customer.
async fn addresses(db: &mut MagentoDb) -> Result<HashMap<u64, Vec<Address>>, MagentoError> {
    let table = db.tables().name("customer_address_entity");
    let rows: Vec<(u64, u64)> = db
        .rows(
            "customer_address_entity",
            &format!(
                "SELECT CAST(entity_id AS UNSIGNED), CAST(parent_id AS UNSIGNED) FROM {table} \
                 WHERE parent_id IS NOT NULL ORDER BY parent_id, entity_id"
            ),
        )
        .await?;
    let attributes = Attributes::read(db, "customer_address").await?;
    const FIELDS: [&str; 9] = [
        "firstname",
        "lastname",
        "company",
        "street",
        "postcode",
        "city",
        "region",
        "country_id",
        "telephone",
    ];
    let wanted: Vec<_> = FIELDS
        .iter()
        .filter_map(|code| attributes.get(code))
        .collect();
    let values = Values::read(db, "customer_address_entity", &wanted, false).await?;
    Ok(crate::grouped(rows.into_iter().map(|(id, customer)| {
        let fields = FIELDS.map(|code| {
            values
                .admin(id, attributes.get(code))
                .unwrap_or_default()
                .to_owned()
        });
        (customer, Address { id, fields })
    })))
}
