//! Magento 1.9's customer export (System → Import/Export → Export, entity
//! "Customers"): one row per customer, then continuation rows (empty `email`) for
//! each further address. Passwords stay as Magento hashed them (`md5(salt +
//! password):salt`, or SHA-256 in the same form); they are checked at the customer's
//! first login and replaced by argon2id then, so no plain password is ever needed.
//! What else the account held is kept: date of birth, gender, tax id (`taxvat`),
//! group, the language of the store view it was made on, and each address's
//! company, region and telephone (the first ones also the customer's).

use std::collections::HashSet;
use std::io::Read;

use comptoir_domain::customer::{AddressDetails, CustomerDetails, NewCustomer};
use comptoir_domain::destination::{Country, Postcode};
use comptoir_domain::email::Email;
use comptoir_domain::import::ImportedCustomer;
use comptoir_domain::order::ShippingAddress;

use crate::magento_products::StoreSites;
use crate::{FileError, ReadOutcome, RowError};

/// Columns every file must have.
const REQUIRED: [&str; 4] = ["email", "firstname", "lastname", "password_hash"];

/// The customers a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFile {
    pub customers: Vec<ImportedCustomer>,
}

/// Reads a whole export: the good customers, and the rows left out. A customer
/// whose row is wrong is left out with their address rows; an address Comptoir
/// cannot use (a country it does not ship to, an invalid postcode) is left out of
/// its customer, who is imported, and said in the notes.
/// `stores` maps the store view each account was made on (`_store`) to its site,
/// whose language becomes the customer's.
pub fn read(input: impl Read, stores: &StoreSites) -> Result<ReadOutcome<CustomerFile>, FileError> {
    let mut reader = crate::csv_reader(input, true);
    let required: Vec<String> = REQUIRED.map(String::from).to_vec();
    let header = crate::header(&mut reader, &required)?;
    let position = |name: &str| header.iter().position(|column| column == name);
    let columns = Columns {
        email: position("email"),
        firstname: position("firstname"),
        lastname: position("lastname"),
        password_hash: position("password_hash"),
        address_firstname: position("_address_firstname"),
        address_lastname: position("_address_lastname"),
        street: position("_address_street"),
        postcode: position("_address_postcode"),
        city: position("_address_city"),
        country: position("_address_country_id"),
        company: position("_address_company"),
        region: position("_address_region"),
        telephone: position("_address_telephone"),
        store: position("_store"),
        birth_date: position("dob"),
        gender: position("gender"),
        tax_id: position("taxvat"),
        group: position("group_id"),
    };
    let mut file = CustomerFile {
        customers: Vec::new(),
    };
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    // Whether the last customer row was left out: its address rows go with it.
    let mut last_left_out = false;
    crate::read_rows(&mut reader, &mut errors, |line, fields, errors| {
        let field = |column: Option<usize>| {
            column
                .and_then(|i| fields.get(i))
                .map_or("", |field| field.trim())
        };
        let email_text = field(columns.email);
        if email_text.is_empty() {
            // A continuation row: another address of the customer above.
            match file.customers.last_mut() {
                _ if last_left_out => {}
                Some(customer) => {
                    add_address(customer, &columns, &field, line, &mut notes);
                }
                None if fields.iter().all(|f| f.trim().is_empty()) => {}
                None => errors.push(RowError {
                    line,
                    message: "an address row before any customer".to_owned(),
                }),
            }
            return;
        }
        let email = match Email::parse(email_text) {
            Ok(email) => email,
            Err(error) => {
                errors.push(RowError {
                    line,
                    message: error.to_string(),
                });
                last_left_out = true;
                return;
            }
        };
        if !seen.insert(email.as_str().to_owned()) {
            errors.push(RowError {
                line,
                message: format!("{email} appears twice in the file"),
            });
            last_left_out = true;
            return;
        }
        let password_hash = field(columns.password_hash);
        if !password_hash.is_empty() && !is_magento_hash(password_hash) {
            errors.push(RowError {
                line,
                message: "password_hash is not a Magento hash (hex:salt)".to_owned(),
            });
            last_left_out = true;
            return;
        }
        let name = format!("{} {}", field(columns.firstname), field(columns.lastname))
            .trim()
            .to_owned();
        let details = match read_details(&columns, &field, stores) {
            Ok(details) => details,
            Err(message) => {
                errors.push(RowError { line, message });
                last_left_out = true;
                return;
            }
        };
        let mut customer = ImportedCustomer {
            details,
            customer: NewCustomer {
                email: email.as_str().to_owned(),
                name: if name.is_empty() {
                    email.as_str().to_owned()
                } else {
                    name
                },
                // Without a hash the customer sets a password by the reset link.
                password_hash: password_hash.to_owned(),
            },
            addresses: Vec::new(),
        };
        add_address(&mut customer, &columns, &field, line, &mut notes);
        // Magento keeps telephones and companies on addresses: the first ones are
        // the customer's.
        if let Some((_, first)) = customer.addresses.first() {
            customer.details.phone.clone_from(&first.phone);
            customer.details.company.clone_from(&first.company);
        }
        last_left_out = false;
        file.customers.push(customer);
    })?;
    Ok(ReadOutcome {
        records: file,
        rejected: errors,
        notes,
    })
}

/// Where the columns are (address columns may be absent).
struct Columns {
    email: Option<usize>,
    firstname: Option<usize>,
    lastname: Option<usize>,
    password_hash: Option<usize>,
    address_firstname: Option<usize>,
    address_lastname: Option<usize>,
    street: Option<usize>,
    postcode: Option<usize>,
    city: Option<usize>,
    country: Option<usize>,
    company: Option<usize>,
    region: Option<usize>,
    telephone: Option<usize>,
    store: Option<usize>,
    birth_date: Option<usize>,
    gender: Option<usize>,
    tax_id: Option<usize>,
    group: Option<usize>,
}

/// The account's fields beyond its name and e-mail address, or why they cannot be
/// read (a date of birth that is no date).
fn read_details<'f>(
    columns: &Columns,
    field: &impl Fn(Option<usize>) -> &'f str,
    stores: &StoreSites,
) -> Result<CustomerDetails, String> {
    let birth_date =
        crate::magento_products::day(field(columns.birth_date)).map_err(|e| format!("dob: {e}"))?;
    // Magento writes the option's label (`Female`) or its id (2 is female).
    let gender = match field(columns.gender).to_lowercase().as_str() {
        "1" | "male" | "m" => Some("male"),
        "2" | "female" | "f" => Some("female"),
        "" | "3" | "not specified" => None,
        _ => Some("other"),
    };
    let store = field(columns.store);
    Ok(CustomerDetails {
        phone: String::new(),
        company: String::new(),
        tax_id: field(columns.tax_id).to_owned(),
        birth_date,
        gender,
        group: field(columns.group).to_owned(),
        locale: stores.site_of(store).map(|site| site.locale()),
    })
}

/// `md5hex:salt` or `sha256hex:salt`, as Magento 1.9 stores them.
fn is_magento_hash(text: &str) -> bool {
    let Some((hash, salt)) = text.split_once(':') else {
        return false;
    };
    matches!(hash.len(), 32 | 64) && hash.bytes().all(|b| b.is_ascii_hexdigit()) && !salt.is_empty()
}

/// Adds the row's address to `customer`, if it has one Comptoir can ship to;
/// otherwise notes why it was left out.
fn add_address<'f>(
    customer: &mut ImportedCustomer,
    columns: &Columns,
    field: &impl Fn(Option<usize>) -> &'f str,
    line: u64,
    notes: &mut Vec<RowError>,
) {
    let street = field(columns.street);
    let country = field(columns.country);
    if street.is_empty() && country.is_empty() {
        return;
    }
    let mut note = |message: String| notes.push(RowError { line, message });
    let Ok(country) = Country::parse(country) else {
        note(format!(
            "address in '{country}' left out: Comptoir ships to ES, FR, PT and IT"
        ));
        return;
    };
    let Ok(postcode) = Postcode::parse(country, field(columns.postcode)) else {
        note(format!(
            "address left out: '{}' is not a postcode of {}",
            field(columns.postcode),
            country.code()
        ));
        return;
    };
    let name = format!(
        "{} {}",
        field(columns.address_firstname),
        field(columns.address_lastname)
    )
    .trim()
    .to_owned();
    let address = ShippingAddress {
        name: if name.is_empty() {
            customer.customer.name.clone()
        } else {
            name
        },
        // Magento joins street lines with a newline.
        street: street.replace(['\n', '\r'], ", "),
        postcode: postcode.as_str().to_owned(),
        city: field(columns.city).to_owned(),
        country: country.code().to_owned(),
    };
    let details = AddressDetails {
        company: field(columns.company).to_owned(),
        region: field(columns.region).to_owned(),
        phone: field(columns.telephone).to_owned(),
    };
    customer.addresses.push((address, details));
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "email,_website,_store,confirmation,created_at,created_in,firstname,group_id,lastname,password_hash,store_id,website_id,_address_city,_address_country_id,_address_firstname,_address_lastname,_address_postcode,_address_street,_address_telephone,_address_default_billing_,_address_default_shipping_";

    fn file(rows: &[&str]) -> String {
        format!("{HEADER}\n{}\n", rows.join("\n"))
    }

    #[test]
    fn customers_and_their_addresses_are_read() {
        let text = file(&[
            "Ana.Garcia@Example.ES,base,default,,2019-10-01 10:00:00,Default Store View,Ana,1,García,61529519452809720693702583126814:aa,1,1,Sevilla,ES,Ana,García,41001,\"Calle Feria 3\n2º B\",600000000,1,1",
            ",,,,,,,,,,,,Lisboa,PT,Ana,García,1100-148,Rua Augusta 10,,0,0",
            ",,,,,,,,,,,,Berlin,DE,Ana,García,10115,Unter den Linden 1,,0,0",
            "luc@example.fr,base,fr,,2020-01-02 11:00:00,Français,Luc,1,Martin,,2,1,,,,,,,,,",
        ]);
        let outcome = read(text.as_bytes(), &StoreSites::default()).unwrap();
        let notes = outcome.notes.clone();
        let read = outcome.all_or_nothing().unwrap();
        assert_eq!(read.customers.len(), 2);
        let ana = &read.customers[0];
        assert_eq!(ana.customer.email, "ana.garcia@example.es");
        assert_eq!(ana.customer.name, "Ana García");
        assert_eq!(
            ana.customer.password_hash,
            "61529519452809720693702583126814:aa"
        );
        assert_eq!(ana.addresses.len(), 2);
        assert_eq!(ana.addresses[0].0.street, "Calle Feria 3, 2º B");
        assert_eq!(ana.addresses[1].0.country, "PT");
        assert_eq!(notes.len(), 1, "the Berlin address is left out");
        assert_eq!(
            notes[0].line, 5,
            "a quoted newline spans two lines of the file"
        );
        assert!(read.customers[1].addresses.is_empty());
        assert_eq!(read.customers[1].customer.password_hash, "");
    }

    #[test]
    fn every_bad_row_is_reported() {
        let text = file(&[
            "not-an-email,base,default,,,,X,1,Y,61529519452809720693702583126814:aa,1,1,,,,,,,,,",
            "ana@example.es,base,default,,,,Ana,1,G,plainpassword,1,1,,,,,,,,,",
            "luc@example.fr,base,default,,,,Luc,1,M,61529519452809720693702583126814:aa,1,1,,,,,,,,,",
            "LUC@example.fr,base,default,,,,Luc,1,M,61529519452809720693702583126814:aa,1,1,,,,,,,,,",
        ]);
        let errors = read(text.as_bytes(), &StoreSites::default())
            .unwrap()
            .all_or_nothing()
            .unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert!(errors[2].message.contains("twice"));
    }

    #[test]
    fn files_without_the_columns_or_not_csv_are_refused() {
        let missing = read(
            "email,firstname\nana@example.es,Ana\n".as_bytes(),
            &StoreSites::default(),
        );
        assert!(
            matches!(missing, Err(FileError::MissingColumns(columns)) if columns == ["lastname", "password_hash"])
        );
        let latin1 = [
            HEADER.as_bytes(),
            b"\nana@example.es,base,default,,,,Mar\xeda,1,G,,1,1,,,,,,,,,\n",
        ]
        .concat();
        let errors = read(latin1.as_slice(), &StoreSites::default())
            .unwrap()
            .all_or_nothing()
            .unwrap_err();
        assert!(errors[0].message.contains("UTF-8"));
    }

    #[test]
    fn a_wrong_customer_is_left_out_with_their_addresses_and_the_others_kept() {
        let text = file(&[
            "ana@example.es,base,default,,2019-10-01 10:00:00,Default Store View,Ana,1,García,,1,1,Sevilla,ES,Ana,García,41001,Calle Feria 3,,1,1",
            "x@y,base,default,,2019-10-01 10:00:00,Default Store View,Equis,1,Y,,1,1,Madrid,ES,Equis,Y,28001,Calle Mayor 1,,1,1",
            ",,,,,,,,,,,,Lisboa,PT,Equis,Y,1100-148,Rua Augusta 10,,0,0",
            "luc@example.fr,base,fr,,2020-01-02 11:00:00,Français,Luc,1,Martin,,2,1,,,,,,,,,",
        ]);
        let read = read(text.as_bytes(), &StoreSites::default()).unwrap();
        let emails: Vec<&str> = read
            .records
            .customers
            .iter()
            .map(|c| c.customer.email.as_str())
            .collect();
        assert_eq!(emails, ["ana@example.es", "luc@example.fr"]);
        assert_eq!(
            read.records.customers[0].addresses.len(),
            1,
            "the left-out customer's address is not Ana's"
        );
        assert_eq!(read.rejected.len(), 1);
        assert_eq!(read.rejected[0].line, 3);
    }

    #[test]
    fn what_else_magento_knew_of_a_customer_is_kept() {
        let header = "email,_store,firstname,lastname,password_hash,dob,gender,taxvat,group_id,\
                      _address_city,_address_country_id,_address_postcode,_address_street,\
                      _address_company,_address_region,_address_telephone";
        let text = format!(
            "{header}\n\
             giulia@example.it,IT,Giulia,Bianchi,,1985-03-14 00:00:00,Female,07643520567,2,\
             Milano,IT,20121,Via Roma 1,Feste Srl,MI,+39 347 123 4567\n\
             ,,,,,,,,,Roma,IT,00184,Via Nazionale 5,,RM,06 1234567\n\
             pedro@example.es,default,Pedro,Ruiz,,4/24/1990,1,,1,,,,,,,\n\
             malo@example.es,default,Malo,Malo,,el martes,,,1,,,,,,,\n"
        );
        let read = read(text.as_bytes(), &StoreSites::default()).unwrap();
        assert_eq!(read.rejected.len(), 1, "{:?}", read.rejected);
        assert_eq!(read.rejected[0].line, 5);
        assert!(read.rejected[0].message.starts_with("dob:"));
        let (giulia, pedro) = (&read.records.customers[0], &read.records.customers[1]);
        assert_eq!(
            giulia.details,
            CustomerDetails {
                phone: "+39 347 123 4567".into(),
                company: "Feste Srl".into(),
                tax_id: "07643520567".into(),
                birth_date: chrono::NaiveDate::from_ymd_opt(1985, 3, 14),
                gender: Some("female"),
                group: "2".into(),
                locale: Some(comptoir_domain::Locale::It),
            }
        );
        assert_eq!(giulia.addresses[1].1.region, "RM");
        assert_eq!(giulia.addresses[1].1.phone, "06 1234567");
        assert_eq!(pedro.details.gender, Some("male"));
        assert_eq!(pedro.details.locale, Some(comptoir_domain::Locale::Es));
        assert_eq!(
            pedro.details.birth_date,
            chrono::NaiveDate::from_ymd_opt(1990, 4, 24)
        );
    }
}
