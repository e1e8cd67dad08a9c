//! Hand-written products that every demo catalogue contains, whatever its size, so
//! that tests (and the search relevance suite) can rely on them by SKU and name.

use comptoir_domain::{AgeGroup, Gender};

use crate::words::Words;

/// The brand of the shop's own line, which the hand-written products belong to.
pub const BRAND: &str = "Comptoir Fiesta";

pub struct FixedProduct {
    pub sku: &'static str,
    /// Product type code: what its photos show.
    pub product_type: &'static str,
    /// Where it is made, two letters (ISO 3166-1).
    pub made_in: &'static str,
    pub weight_grams: u32,
    pub theme: &'static str,
    pub gender: Option<Gender>,
    pub age_group: AgeGroup,
    pub names: Words,
    pub descriptions: Words,
    /// VAT-included price on every site.
    pub price_cents: i64,
    pub sizes: &'static [&'static str],
    pub colours: &'static [&'static str],
    /// Stock per variant, in the order of `sizes` (or `colours`); one entry for a
    /// simple product.
    pub stock: &'static [i32],
    /// Category code paths (see the demo tree).
    pub categories: &'static [&'static str],
    /// Units sold recently: the hand-written products are the shop's best sellers.
    pub units_sold: i32,
}

impl FixedProduct {
    pub(crate) fn stock_of(&self, size: Option<&str>, colour: Option<&str>) -> i32 {
        let position = match (size, colour) {
            (Some(size), _) => self.sizes.iter().position(|s| *s == size),
            (None, Some(colour)) => self.colours.iter().position(|c| *c == colour),
            (None, None) => Some(0),
        };
        position
            .and_then(|p| self.stock.get(p))
            .copied()
            .unwrap_or(0)
    }
}

/// SKU of the women's witch costume: sizes S (10), M (25), L (2, low) and XL (sold out).
pub const WITCH_COSTUME_SKU: &str = "DIS-BRUJA-MUJER";
/// SKU of the multicoloured afro wig, a simple product at 12,99 €.
pub const AFRO_WIG_SKU: &str = "PEL-AFRO-MULTI";

/// Photos per hand-written product (generated ones have drawings): raster images in
/// the media folder, written by `comptoir seed` (`comptoir_media::demo`).
pub const PHOTOS_EACH: usize = 2;

/// Where photo `n` (from 1) of the product `sku` is, as product images name it.
pub fn photo_path(sku: &str, n: usize) -> String {
    format!("media/demo/{}-{n}.jpg", sku.to_lowercase())
}

pub fn products() -> Vec<FixedProduct> {
    vec![
        FixedProduct {
            sku: WITCH_COSTUME_SKU,
            product_type: "costume",
            made_in: "CN",
            weight_grams: 650,
            theme: "witch",
            gender: Some(Gender::Women),
            age_group: AgeGroup::Adult,
            names: [
                "Disfraz de bruja para mujer",
                "Déguisement de sorcière pour femme",
                "Fantasia de bruxa para mulher",
                "Costume da strega da donna",
            ],
            descriptions: [
                "Vestido negro largo con capa y sombrero de bruja. Perfecto para Halloween.",
                "Longue robe noire avec cape et chapeau de sorcière. Parfait pour Halloween.",
                "Vestido preto comprido com capa e chapéu de bruxa. Perfeito para o Halloween.",
                "Abito nero lungo con mantello e cappello da strega. Perfetto per Halloween.",
            ],
            price_cents: 2499,
            sizes: &["S", "M", "L", "XL"],
            colours: &[],
            stock: &[10, 25, 2, 0],
            categories: &[
                "halloween/women/witch",
                "adults/women/witch",
                "themes/witch",
            ],
            units_sold: 400,
        },
        FixedProduct {
            sku: AFRO_WIG_SKU,
            product_type: "wig",
            made_in: "CN",
            weight_grams: 180,
            theme: "hippie",
            gender: Some(Gender::Unisex),
            age_group: AgeGroup::Adult,
            names: [
                "Peluca afro multicolor",
                "Perruque afro multicolore",
                "Peruca afro multicolor",
                "Parrucca afro multicolore",
            ],
            descriptions: [
                "Peluca afro de rizos en los colores del arcoíris, talla única.",
                "Perruque afro frisée aux couleurs de l'arc-en-ciel, taille unique.",
                "Peruca afro encaracolada nas cores do arco-íris, tamanho único.",
                "Parrucca afro riccia nei colori dell'arcobaleno, taglia unica.",
            ],
            price_cents: 1299,
            sizes: &[],
            colours: &[],
            stock: &[40],
            categories: &["wigs/colour-wigs", "themes/hippie"],
            units_sold: 350,
        },
        FixedProduct {
            sku: "DIS-PIRATA-HOMBRE",
            product_type: "costume",
            made_in: "CN",
            weight_grams: 650,
            theme: "pirate",
            gender: Some(Gender::Men),
            age_group: AgeGroup::Adult,
            names: [
                "Disfraz de pirata para hombre",
                "Déguisement de pirate pour homme",
                "Fantasia de pirata para homem",
                "Costume da pirata da uomo",
            ],
            descriptions: [
                "Camisa, chaleco, fajín y pañuelo de pirata de los siete mares.",
                "Chemise, gilet, ceinture et bandana de pirate des sept mers.",
                "Camisa, colete, faixa e lenço de pirata dos sete mares.",
                "Camicia, gilet, fascia e bandana da pirata dei sette mari.",
            ],
            price_cents: 2999,
            sizes: &["M", "L", "XL"],
            colours: &[],
            stock: &[12, 8, 5],
            categories: &["carnival/men/pirate", "adults/men/pirate", "themes/pirate"],
            units_sold: 300,
        },
        FixedProduct {
            sku: "DIS-PIRATA-NINO",
            product_type: "costume",
            made_in: "CN",
            weight_grams: 650,
            theme: "pirate",
            gender: Some(Gender::Unisex),
            age_group: AgeGroup::Kid,
            names: [
                "Disfraz de pirata infantil",
                "Déguisement de pirate pour enfant",
                "Fantasia de pirata infantil",
                "Costume da pirata per bambini",
            ],
            descriptions: [
                "Disfraz de pirata para niños con sombrero y parche.",
                "Déguisement de pirate pour enfant avec chapeau et cache-œil.",
                "Fantasia de pirata para crianças com chapéu e pala.",
                "Costume da pirata per bambini con cappello e benda.",
            ],
            price_cents: 1999,
            sizes: &["3-4", "5-6", "7-9", "10-12"],
            colours: &[],
            stock: &[6, 9, 4, 7],
            categories: &[
                "carnival/kids/pirate",
                "children/kids/pirate",
                "themes/pirate",
            ],
            units_sold: 280,
        },
        FixedProduct {
            sku: "DIS-VAMPIRO-HOMBRE",
            product_type: "costume",
            made_in: "CN",
            weight_grams: 650,
            theme: "vampire",
            gender: Some(Gender::Men),
            age_group: AgeGroup::Adult,
            names: [
                "Disfraz de vampiro para hombre",
                "Déguisement de vampire pour homme",
                "Fantasia de vampiro para homem",
                "Costume da vampiro da uomo",
            ],
            descriptions: [
                "Capa de cuello alto, chaleco y camisa de conde vampiro.",
                "Cape à col haut, gilet et chemise de comte vampire.",
                "Capa de gola alta, colete e camisa de conde vampiro.",
                "Mantello a collo alto, gilet e camicia da conte vampiro.",
            ],
            price_cents: 3499,
            sizes: &["M", "L", "XL"],
            colours: &[],
            stock: &[5, 5, 5],
            categories: &[
                "halloween/men/vampire",
                "adults/men/vampire",
                "themes/vampire",
            ],
            units_sold: 260,
        },
        FixedProduct {
            sku: "DIS-ESQUELETO-NINO",
            product_type: "costume",
            made_in: "CN",
            weight_grams: 650,
            theme: "skeleton",
            gender: Some(Gender::Unisex),
            age_group: AgeGroup::Kid,
            names: [
                "Disfraz de esqueleto infantil",
                "Déguisement de squelette pour enfant",
                "Fantasia de esqueleto infantil",
                "Costume da scheletro per bambini",
            ],
            descriptions: [
                "Mono negro con huesos que brillan en la oscuridad.",
                "Combinaison noire avec des os qui brillent dans le noir.",
                "Macacão preto com ossos que brilham no escuro.",
                "Tuta nera con ossa che brillano al buio.",
            ],
            price_cents: 1799,
            sizes: &["3-4", "5-6", "7-9", "10-12"],
            colours: &[],
            stock: &[3, 10, 10, 0],
            categories: &[
                "halloween/kids/skeleton",
                "children/kids/skeleton",
                "themes/skeleton",
            ],
            units_sold: 240,
        },
        FixedProduct {
            sku: "DIS-HECHICERA",
            product_type: "costume",
            made_in: "CN",
            weight_grams: 650,
            theme: "witch",
            gender: Some(Gender::Women),
            age_group: AgeGroup::Adult,
            names: [
                "Disfraz de hechicera medieval",
                "Déguisement d'enchanteresse médiévale",
                "Fantasia de feiticeira medieval",
                "Costume da maga medievale",
            ],
            descriptions: [
                "Vestido de terciopelo morado con mangas acampanadas.",
                "Robe en velours violet à manches évasées.",
                "Vestido de veludo roxo com mangas largas.",
                "Abito di velluto viola con maniche a campana.",
            ],
            price_cents: 3999,
            sizes: &["S", "M", "L"],
            colours: &[],
            stock: &[4, 6, 4],
            categories: &[
                "halloween/women/witch",
                "adults/women/witch",
                "themes/witch",
            ],
            units_sold: 220,
        },
        FixedProduct {
            sku: "SOM-BRUJA",
            product_type: "hat",
            made_in: "CN",
            weight_grams: 120,
            theme: "witch",
            gender: Some(Gender::Unisex),
            age_group: AgeGroup::Adult,
            names: [
                "Sombrero de bruja",
                "Chapeau de sorcière",
                "Chapéu de bruxa",
                "Cappello da strega",
            ],
            descriptions: [
                "Sombrero de bruja negro de ala ancha.",
                "Chapeau de sorcière noir à large bord.",
                "Chapéu de bruxa preto de aba larga.",
                "Cappello da strega nero a tesa larga.",
            ],
            price_cents: 699,
            sizes: &[],
            colours: &[],
            stock: &[50],
            categories: &["accessories/hats", "themes/witch"],
            units_sold: 200,
        },
        FixedProduct {
            sku: "MAQ-SANGRE",
            product_type: "makeup",
            made_in: "ES",
            weight_grams: 60,
            theme: "zombie",
            gender: Some(Gender::Unisex),
            age_group: AgeGroup::Adult,
            names: [
                "Sangre falsa en spray",
                "Faux sang en spray",
                "Sangue falso em spray",
                "Sangue finto spray",
            ],
            descriptions: [
                "Sangre artificial lavable, 60 ml.",
                "Faux sang lavable, 60 ml.",
                "Sangue artificial lavável, 60 ml.",
                "Sangue artificiale lavabile, 60 ml.",
            ],
            price_cents: 499,
            sizes: &[],
            colours: &[],
            stock: &[100],
            categories: &["makeup/special-effects", "themes/zombie"],
            units_sold: 180,
        },
        FixedProduct {
            sku: "GLO-CALABAZA",
            product_type: "balloons",
            made_in: "CN",
            weight_grams: 90,
            theme: "ghost",
            gender: None,
            age_group: AgeGroup::Adult,
            names: [
                "Globos de calabaza naranjas (10 unidades)",
                "Ballons citrouille orange (10 pièces)",
                "Balões de abóbora laranja (10 unidades)",
                "Palloncini zucca arancioni (10 pezzi)",
            ],
            descriptions: [
                "Globos de látex con calabazas de Halloween.",
                "Ballons en latex avec des citrouilles d'Halloween.",
                "Balões de látex com abóboras de Halloween.",
                "Palloncini in lattice con zucche di Halloween.",
            ],
            price_cents: 399,
            sizes: &[],
            colours: &[],
            stock: &[0],
            categories: &["decoration/balloons", "themes/ghost"],
            units_sold: 160,
        },
    ]
}
