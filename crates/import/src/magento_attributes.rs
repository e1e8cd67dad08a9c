//! Magento attributes that Comptoir keeps as a product's facts: its gender, age
//! group, theme, brand and barcode, from whichever attributes the shop used for
//! them (a map file, since every Magento shop names its own), the gender, age
//! group and theme read in the shop's own words, else in any of the four
//! languages or English.

use std::collections::HashMap;
use std::path::Path;

use comptoir_domain::slug::slugify;
use comptoir_domain::{AgeGroup, Gender};
use serde::Deserialize;

/// Which Magento attributes hold a product's gender, age group, theme, brand and
/// GTIN (EAN), and the shop's own words for genders, age groups and themes: the
/// attribute map file (`docs/magento-attributes.toml` is the documented example).
/// A fact whose attribute is `""` is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeMap {
    pub gender: Option<String>,
    pub age_group: Option<String>,
    pub theme: Option<String>,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    /// By the slug of the shop's word (`chicas` for "Chicas").
    genders: HashMap<String, Gender>,
    age_groups: HashMap<String, AgeGroup>,
    /// The theme's code for a shop's word.
    themes: HashMap<String, String>,
}

impl Default for AttributeMap {
    /// Magento's own codes where it has them (`manufacturer` is its brand), `ean`,
    /// the code shops most often give the barcode, and no words of the shop's own.
    fn default() -> Self {
        AttributeMap {
            gender: Some("gender".to_owned()),
            age_group: Some("age_group".to_owned()),
            theme: Some("theme".to_owned()),
            brand: Some("manufacturer".to_owned()),
            gtin: Some("ean".to_owned()),
            genders: HashMap::new(),
            age_groups: HashMap::new(),
            themes: HashMap::new(),
        }
    }
}

/// The file as written: every part optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MapFile {
    #[serde(default)]
    attributes: AttributesSection,
    #[serde(default)]
    gender: HashMap<String, String>,
    #[serde(default)]
    age_group: HashMap<String, String>,
    #[serde(default)]
    theme: HashMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AttributesSection {
    gender: Option<String>,
    age_group: Option<String>,
    theme: Option<String>,
    brand: Option<String>,
    gtin: Option<String>,
}

impl AttributeMap {
    /// Reads the map file; the error names the file and what is wrong in it.
    pub fn read(path: &Path) -> Result<AttributeMap, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        AttributeMap::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<AttributeMap, String> {
        let file: MapFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let defaults = AttributeMap::default();
        // Unset keeps Magento's usual code; "" means the shop has no such attribute.
        let code = |given: Option<String>, default: Option<String>| match given {
            Some(code) if code.trim().is_empty() => None,
            Some(code) => Some(code.trim().to_owned()),
            None => default,
        };
        let words = |section: &str, given: HashMap<String, String>, known: &[&str]| {
            given
                .into_iter()
                .map(|(word, meaning)| {
                    if known.contains(&meaning.as_str()) {
                        Ok((slugify(&word), meaning))
                    } else {
                        Err(format!(
                            "[{section}] \"{word}\" = \"{meaning}\": the value must be one of {}",
                            known.join(", ")
                        ))
                    }
                })
                .collect::<Result<HashMap<String, String>, String>>()
        };
        let gender_codes = ["women", "men", "unisex"];
        let age_codes = ["adult", "teen", "kid", "baby"];
        let genders = words("gender", file.gender, &gender_codes)?;
        let age_groups = words("age_group", file.age_group, &age_codes)?;
        let themes = file
            .theme
            .into_iter()
            .map(|(word, meaning)| match theme(&meaning) {
                Some(code) => Ok((slugify(&word), code)),
                None => Err(format!("[theme] \"{word}\" needs a theme name")),
            })
            .collect::<Result<_, String>>()?;
        let section = file.attributes;
        Ok(AttributeMap {
            gender: code(section.gender, defaults.gender),
            age_group: code(section.age_group, defaults.age_group),
            theme: code(section.theme, defaults.theme),
            brand: code(section.brand, defaults.brand),
            gtin: code(section.gtin, defaults.gtin),
            genders: genders
                .into_iter()
                .filter_map(|(word, code)| Some((word, Gender::parse(&code)?)))
                .collect(),
            age_groups: age_groups
                .into_iter()
                .filter_map(|(word, code)| Some((word, AgeGroup::parse(&code)?)))
                .collect(),
            themes,
        })
    }

    /// The attributes read, for the report's list of columns not imported.
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

    /// A gender in the shop's own words, else in any of the four languages or English.
    pub fn gender_of(&self, value: &str) -> Option<Gender> {
        self.genders
            .get(&slugify(value))
            .copied()
            .or_else(|| gender(value))
    }

    /// An age group in the shop's own words, else in any of the four languages or English.
    pub fn age_group_of(&self, value: &str) -> Option<AgeGroup> {
        (self.age_groups.get(&slugify(value)).copied()).or_else(|| age_group(value))
    }

    /// A theme's code: the one the shop's map gives the word, else the word's own.
    pub fn theme_of(&self, value: &str) -> Option<String> {
        (self.themes.get(&slugify(value)).cloned()).or_else(|| theme(value))
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
    fn the_map_names_attributes_and_the_shops_own_words() {
        let map = AttributeMap::parse(
            "[attributes]\ngender = \"genero\"\ntheme = \"tematica\"\ngtin = \"ean13\"\nbrand = \"\"\n\
             [gender]\n\"Chicas\" = \"women\"\n\
             [age_group]\n\"3-6 años\" = \"kid\"\n\
             [theme]\n\"Piratas y corsarios\" = \"Piratas\"\n",
        )
        .unwrap();
        assert_eq!(map.gender.as_deref(), Some("genero"));
        // Left unset: Magento's usual code; set to "": not read.
        assert_eq!(map.age_group.as_deref(), Some("age_group"));
        assert_eq!(map.brand, None);
        assert_eq!(
            map.names().collect::<Vec<_>>(),
            ["genero", "age_group", "tematica", "ean13"]
        );
        assert_eq!(map.gender_of("chicas "), Some(Gender::Women));
        assert_eq!(map.gender_of("Homme"), Some(Gender::Men));
        assert_eq!(map.age_group_of("3-6 AÑOS"), Some(AgeGroup::Kid));
        assert_eq!(
            map.theme_of("Piratas y Corsarios").as_deref(),
            Some("piratas")
        );
        assert_eq!(map.theme_of("Brujas").as_deref(), Some("brujas"));
        assert_eq!(AttributeMap::parse("").unwrap(), AttributeMap::default());
    }

    #[test]
    fn a_wrong_map_says_what_is_wrong() {
        for (bad, says) in [
            ("[gender]\n\"Chicas\" = \"girls\"\n", "women, men, unisex"),
            ("[colour]\nred = \"rojo\"\n", "colour"),
            ("[attributes]\nsize = \"talla\"\n", "size"),
            ("[theme]\n\"Piratas\" = \"!!\"\n", "theme name"),
            ("gender = ", "string"),
        ] {
            let error = AttributeMap::parse(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn the_documented_example_is_a_valid_map() {
        let example = include_str!("../../../docs/magento-attributes.toml");
        let map = AttributeMap::parse(example).unwrap();
        assert_eq!(map.gender.as_deref(), Some("gender"));
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
