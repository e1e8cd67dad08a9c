//! Magento attributes that Comptoir keeps as a product's facts: its gender, age
//! group, theme, brand and barcode, from whichever columns the shop used for them
//! (a setting, since every Magento shop names its own attributes), the gender, age
//! group and theme read in any of the four languages or English.

use comptoir_domain::slug::slugify;
use comptoir_domain::{AgeGroup, Gender};

/// Which export columns hold the gender, the age group, the theme, the brand and
/// the GTIN (EAN): `gender=genero,age_group=edad,theme=tematica,brand=marca,gtin=ean`;
/// a fact left out is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeColumns {
    pub gender: Option<String>,
    pub age_group: Option<String>,
    pub theme: Option<String>,
    pub brand: Option<String>,
    pub gtin: Option<String>,
}

/// [`AttributeColumns::default`] as the setting writes it.
pub const MAGENTO_DEFAULT: &str =
    "gender=gender,age_group=age_group,theme=theme,brand=manufacturer,gtin=ean";

impl Default for AttributeColumns {
    /// Magento's own codes for them where it has them (`manufacturer` is its brand),
    /// and `ean`, the code shops most often give the barcode.
    fn default() -> Self {
        AttributeColumns {
            gender: Some("gender".to_owned()),
            age_group: Some("age_group".to_owned()),
            theme: Some("theme".to_owned()),
            brand: Some("manufacturer".to_owned()),
            gtin: Some("ean".to_owned()),
        }
    }
}

impl AttributeColumns {
    pub fn parse(text: &str) -> Result<AttributeColumns, String> {
        let mut columns = AttributeColumns {
            gender: None,
            age_group: None,
            theme: None,
            brand: None,
            gtin: None,
        };
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (fact, column) = pair
                .split_once('=')
                .map(|(fact, column)| (fact.trim(), column.trim()))
                .filter(|(_, column)| !column.is_empty())
                .ok_or_else(|| format!("'{pair}' is not fact=column"))?;
            let slot = match fact {
                "gender" => &mut columns.gender,
                "age_group" => &mut columns.age_group,
                "theme" => &mut columns.theme,
                "brand" => &mut columns.brand,
                "gtin" => &mut columns.gtin,
                other => {
                    return Err(format!(
                        "'{other}' is not gender, age_group, theme, brand or gtin"
                    ));
                }
            };
            *slot = Some(column.to_owned());
        }
        Ok(columns)
    }

    /// The columns read, for the report's list of columns not imported.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [
            &self.gender,
            &self.age_group,
            &self.theme,
            &self.brand,
            &self.gtin,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    }
}

/// A gender as a shop writes it, in any of its languages.
pub fn gender(value: &str) -> Option<Gender> {
    let words = |list: &[&str]| list.contains(&slugify(value).as_str());
    if words(&[
        "mujer",
        "mujeres",
        "femme",
        "femmes",
        "mulher",
        "donna",
        "donne",
        "women",
        "woman",
        "female",
        "femenino",
        "feminin",
        "feminino",
        "femminile",
        "chica",
        "nina",
    ]) {
        Some(Gender::Women)
    } else if words(&[
        "hombre",
        "hombres",
        "homme",
        "hommes",
        "homem",
        "uomo",
        "uomini",
        "men",
        "man",
        "male",
        "masculino",
        "masculin",
        "maschile",
        "chico",
        "nino",
    ]) {
        Some(Gender::Men)
    } else if words(&["unisex", "unisexe", "unissexo", "mixto", "mixte", "misto"]) {
        Some(Gender::Unisex)
    } else {
        None
    }
}

/// An age group as a shop writes it, in any of its languages.
pub fn age_group(value: &str) -> Option<AgeGroup> {
    let words = |list: &[&str]| list.contains(&slugify(value).as_str());
    if words(&[
        "adulto", "adultos", "adulte", "adultes", "adulti", "adult", "adults",
    ]) {
        Some(AgeGroup::Adult)
    } else if words(&[
        "adolescente",
        "adolescentes",
        "juvenil",
        "ado",
        "ados",
        "teen",
        "teens",
        "ragazzo",
        "ragazzi",
    ]) {
        Some(AgeGroup::Teen)
    } else if words(&[
        "nino", "ninos", "infantil", "enfant", "enfants", "crianca", "criancas", "bambino",
        "bambini", "kid", "kids", "child", "children",
    ]) {
        Some(AgeGroup::Kid)
    } else if words(&["bebe", "bebes", "neonato", "baby", "babies"]) {
        Some(AgeGroup::Baby)
    } else {
        None
    }
}

/// A theme as the catalogue codes it (`Piratas del Caribe` is `piratas-del-caribe`).
pub fn theme(value: &str) -> Option<String> {
    Some(slugify(value)).filter(|code| !code.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_are_a_setting() {
        let columns = AttributeColumns::parse("gender=genero, theme=tematica, gtin=ean13").unwrap();
        assert_eq!(columns.gender.as_deref(), Some("genero"));
        assert_eq!(columns.age_group, None);
        assert_eq!(
            columns.names().collect::<Vec<_>>(),
            ["genero", "tematica", "ean13"]
        );
        assert_eq!(
            AttributeColumns::parse(MAGENTO_DEFAULT).unwrap(),
            AttributeColumns::default()
        );
        for bad in ["gender", "colour=color", "theme="] {
            assert!(AttributeColumns::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_read_in_every_language() {
        assert_eq!(gender("Mujer"), Some(Gender::Women));
        assert_eq!(gender(" Homme "), Some(Gender::Men));
        assert_eq!(gender("Unisex"), Some(Gender::Unisex));
        assert_eq!(gender("Perro"), None);
        assert_eq!(age_group("Niños"), Some(AgeGroup::Kid));
        assert_eq!(age_group("Bebé"), Some(AgeGroup::Baby));
        assert_eq!(age_group("Adulte"), Some(AgeGroup::Adult));
        assert_eq!(
            theme("Piratas del Caribe").as_deref(),
            Some("piratas-del-caribe")
        );
        assert_eq!(theme("¡!"), None);
    }
}
