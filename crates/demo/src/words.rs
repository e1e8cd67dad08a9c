//! The vocabulary of the demo catalogue, in Spanish, French, Portuguese and Italian
//! (in that order, the order of `Locale::ALL`).

/// `[es, fr, pt, it]`.
pub type Words = [&'static str; 4];

/// A costume theme: its attribute code and its noun in each language.
pub struct Theme {
    pub code: &'static str,
    pub noun: Words,
    /// Spooky themes are sold in the Halloween categories, the others in Carnival.
    pub spooky: bool,
}

macro_rules! themes {
    ($($code:literal $spooky:literal [$es:literal, $fr:literal, $pt:literal, $it:literal]),+ $(,)?) => {
        &[$(Theme { code: $code, noun: [$es, $fr, $pt, $it], spooky: $spooky }),+]
    };
}

pub const THEMES: &[Theme] = themes![
    "pirate" false ["pirata", "pirate", "pirata", "pirata"],
    "witch" true ["bruja", "sorcière", "bruxa", "strega"],
    "vampire" true ["vampiro", "vampire", "vampiro", "vampiro"],
    "zombie" true ["zombi", "zombie", "zombie", "zombie"],
    "skeleton" true ["esqueleto", "squelette", "esqueleto", "scheletro"],
    "superhero" false ["superhéroe", "super-héros", "super-herói", "supereroe"],
    "princess" false ["princesa", "princesse", "princesa", "principessa"],
    "clown" false ["payaso", "clown", "palhaço", "pagliaccio"],
    "cowboy" false ["vaquero", "cow-boy", "cowboy", "cowboy"],
    "police" false ["policía", "policier", "polícia", "poliziotto"],
    "nurse" false ["enfermera", "infirmière", "enfermeira", "infermiera"],
    "doctor" false ["médico", "médecin", "médico", "dottore"],
    "angel" false ["ángel", "ange", "anjo", "angelo"],
    "devil" true ["diablo", "diable", "diabo", "diavolo"],
    "fairy" false ["hada", "fée", "fada", "fata"],
    "knight" false ["caballero", "chevalier", "cavaleiro", "cavaliere"],
    "viking" false ["vikingo", "viking", "viking", "vichingo"],
    "roman" false ["romano", "romain", "romano", "romano"],
    "egyptian" false ["egipcio", "égyptien", "egípcio", "egiziano"],
    "hippie" false ["hippie", "hippie", "hippie", "hippie"],
    "ninja" false ["ninja", "ninja", "ninja", "ninja"],
    "astronaut" false ["astronauta", "astronaute", "astronauta", "astronauta"],
    "lion" false ["león", "lion", "leão", "leone"],
    "cat" true ["gato", "chat", "gato", "gatto"],
    "dinosaur" false ["dinosaurio", "dinosaure", "dinossauro", "dinosauro"],
    "mermaid" false ["sirena", "sirène", "sereia", "sirena"],
    "chef" false ["cocinero", "cuisinier", "cozinheiro", "cuoco"],
    "sailor" false ["marinero", "marin", "marinheiro", "marinaio"],
    "mummy" true ["momia", "momie", "múmia", "mummia"],
    "ghost" true ["fantasma", "fantôme", "fantasma", "fantasma"],
];

/// Who a product is for; decides sizes and categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Women,
    Men,
    Kids,
    Babies,
    Everyone,
}

impl Audience {
    /// The words that end a product's name.
    pub fn suffix(self) -> Words {
        match self {
            Audience::Women => ["para mujer", "pour femme", "para mulher", "da donna"],
            Audience::Men => ["para hombre", "pour homme", "para homem", "da uomo"],
            Audience::Kids => ["infantil", "pour enfant", "infantil", "per bambini"],
            Audience::Babies => ["para bebé", "pour bébé", "para bebé", "per neonato"],
            Audience::Everyone => ["", "", "", ""],
        }
    }
}

/// A kind of article: its name pattern (`{}` is the theme's noun) and its trade.
pub struct ProductType {
    pub code: &'static str,
    pub sku_prefix: &'static str,
    pub pattern: Words,
    pub audiences: &'static [Audience],
    /// Price range in cents (VAT included) on the Spanish site.
    pub price_range: (i64, i64),
    /// Top-level category code the type belongs to besides Carnival/Halloween.
    pub home: &'static str,
    /// Second-level category code under `home`.
    pub section: &'static str,
}

const PEOPLE: &[Audience] = &[
    Audience::Women,
    Audience::Men,
    Audience::Kids,
    Audience::Babies,
];
const EVERYONE: &[Audience] = &[Audience::Everyone];

pub const PRODUCT_TYPES: &[ProductType] = &[
    ProductType {
        code: "costume",
        sku_prefix: "DIS",
        pattern: [
            "Disfraz de {}",
            "Déguisement de {}",
            "Fantasia de {}",
            "Costume da {}",
        ],
        audiences: PEOPLE,
        price_range: (1499, 5999),
        home: "costumes",
        section: "",
    },
    ProductType {
        code: "wig",
        sku_prefix: "PEL",
        pattern: [
            "Peluca de {}",
            "Perruque de {}",
            "Peruca de {}",
            "Parrucca da {}",
        ],
        audiences: EVERYONE,
        price_range: (599, 2499),
        home: "wigs",
        section: "themed-wigs",
    },
    ProductType {
        code: "hat",
        sku_prefix: "SOM",
        pattern: [
            "Sombrero de {}",
            "Chapeau de {}",
            "Chapéu de {}",
            "Cappello da {}",
        ],
        audiences: EVERYONE,
        price_range: (399, 1499),
        home: "accessories",
        section: "hats",
    },
    ProductType {
        code: "mask",
        sku_prefix: "MAS",
        pattern: [
            "Máscara de {}",
            "Masque de {}",
            "Máscara de {}",
            "Maschera da {}",
        ],
        audiences: EVERYONE,
        price_range: (299, 1999),
        home: "accessories",
        section: "masks",
    },
    ProductType {
        code: "cape",
        sku_prefix: "CAP",
        pattern: ["Capa de {}", "Cape de {}", "Capa de {}", "Mantello da {}"],
        audiences: EVERYONE,
        price_range: (799, 2499),
        home: "accessories",
        section: "capes",
    },
    ProductType {
        code: "makeup",
        sku_prefix: "MAQ",
        pattern: [
            "Kit de maquillaje de {}",
            "Kit de maquillage de {}",
            "Kit de maquilhagem de {}",
            "Kit trucco da {}",
        ],
        audiences: EVERYONE,
        price_range: (399, 1799),
        home: "makeup",
        section: "makeup-kits",
    },
    ProductType {
        code: "garland",
        sku_prefix: "GUI",
        pattern: [
            "Guirnalda de {}",
            "Guirlande de {}",
            "Grinalda de {}",
            "Festone da {}",
        ],
        audiences: EVERYONE,
        price_range: (249, 999),
        home: "decoration",
        section: "garlands",
    },
    ProductType {
        code: "balloons",
        sku_prefix: "GLO",
        pattern: [
            "Globos de {}",
            "Ballons de {}",
            "Balões de {}",
            "Palloncini da {}",
        ],
        audiences: EVERYONE,
        price_range: (199, 899),
        home: "decoration",
        section: "balloons",
    },
];

/// Collection names: proper nouns, the same in every language, that tell apart the
/// many witches and pirates of a large catalogue.
pub const COLLECTIONS: &[&str] = &[
    "Tortuga",
    "Luna",
    "Corsario",
    "Aurora",
    "Nebula",
    "Sombra",
    "Calypso",
    "Esmeralda",
    "Galaxia",
    "Medusa",
    "Orion",
    "Rubí",
    "Sirocco",
    "Tempesta",
    "Valkyria",
    "Zafiro",
    "Atlántida",
    "Borgia",
    "Carmesí",
    "Dracon",
    "Eclipse",
    "Fortuna",
    "Gótica",
    "Hydra",
    "Ícaro",
    "Júpiter",
    "Kraken",
    "Lúgubre",
    "Morgana",
    "Nocturna",
    "Obsidiana",
    "Pandora",
    "Quimera",
    "Rapsodia",
    "Salem",
    "Tritón",
    "Umbra",
    "Venecia",
    "Xenia",
    "Yuma",
    "Zodiaco",
    "Alhambra",
    "Bohemia",
    "Cosmos",
    "Dalí",
    "Elektra",
    "Fénix",
    "Granada",
    "Habana",
    "Iris",
    "Jade",
    "Karma",
    "Lirio",
    "Mambo",
    "Nápoles",
    "Ópera",
    "Perla",
    "Quasar",
    "Rioja",
    "Sevilla",
    "Toledo",
    "Ulises",
    "Vesubio",
    "Wanda",
    "Xaló",
    "Yeti",
    "Zarzuela",
    "Brisa",
];

/// Sentences of the descriptions; `{name}` is the product's name, `{theme}` its theme.
pub const DESCRIPTION_OPENINGS: Words = [
    "{name}: todo lo que necesitas para triunfar como {theme} en tu próxima fiesta.",
    "{name} : tout ce qu'il faut pour briller en {theme} à votre prochaine fête.",
    "{name}: tudo o que precisa para brilhar como {theme} na sua próxima festa.",
    "{name}: tutto il necessario per fare colpo come {theme} alla prossima festa.",
];

pub const DESCRIPTION_DETAILS: &[Words] = &[
    [
        "Tejido suave y resistente, fácil de lavar.",
        "Tissu doux et résistant, facile à laver.",
        "Tecido macio e resistente, fácil de lavar.",
        "Tessuto morbido e resistente, facile da lavare.",
    ],
    [
        "Ideal para Carnaval, Halloween y fiestas temáticas.",
        "Idéal pour le carnaval, Halloween et les soirées à thème.",
        "Ideal para o Carnaval, o Halloween e festas temáticas.",
        "Ideale per Carnevale, Halloween e feste a tema.",
    ],
    [
        "Acabados cuidados y colores intensos que duran temporada tras temporada.",
        "Finitions soignées et couleurs vives qui durent saison après saison.",
        "Acabamentos cuidados e cores intensas que duram temporada após temporada.",
        "Finiture curate e colori intensi che durano stagione dopo stagione.",
    ],
    [
        "Combínalo con nuestros accesorios y pelucas para un look completo.",
        "Associez-le à nos accessoires et perruques pour un look complet.",
        "Combine com os nossos acessórios e perucas para um visual completo.",
        "Abbinalo ai nostri accessori e parrucche per un look completo.",
    ],
    [
        "Envío rápido y cambio de talla gratuito.",
        "Livraison rapide et échange de taille gratuit.",
        "Envio rápido e troca de tamanho gratuita.",
        "Spedizione rapida e cambio taglia gratuito.",
    ],
];

pub const COLOURS: &[(&str, Words)] = &[
    ("black", ["Negro", "Noir", "Preto", "Nero"]),
    ("white", ["Blanco", "Blanc", "Branco", "Bianco"]),
    ("red", ["Rojo", "Rouge", "Vermelho", "Rosso"]),
    ("blue", ["Azul", "Bleu", "Azul", "Blu"]),
    ("green", ["Verde", "Vert", "Verde", "Verde"]),
    ("pink", ["Rosa", "Rose", "Rosa", "Rosa"]),
    ("purple", ["Morado", "Violet", "Roxo", "Viola"]),
    ("orange", ["Naranja", "Orange", "Laranja", "Arancione"]),
    ("gold", ["Dorado", "Doré", "Dourado", "Oro"]),
    ("silver", ["Plateado", "Argenté", "Prateado", "Argento"]),
    (
        "multicolour",
        ["Multicolor", "Multicolore", "Multicolor", "Multicolore"],
    ),
];

pub const ADULT_SIZES: &[&str] = &["XS", "S", "M", "L", "XL", "XXL"];
pub const KID_SIZES: &[&str] = &["3-4", "5-6", "7-9", "10-12"];
pub const BABY_SIZES: &[&str] = &["6-12M", "12-24M"];

/// Label of a size code: adult letters are universal, ages are said in each language.
pub fn size_label(code: &str) -> [String; 4] {
    let (number, units) = if let Some(months) = code.strip_suffix('M').filter(|m| m.contains('-')) {
        (months, ["meses", "mois", "meses", "mesi"])
    } else if code.contains('-') {
        (code, ["años", "ans", "anos", "anni"])
    } else {
        return [0; 4].map(|_| code.to_owned());
    };
    units.map(|unit| format!("{number} {unit}"))
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn size_labels() {
        assert_eq!(size_label("M"), ["M", "M", "M", "M"]);
        assert_eq!(size_label("XXL")[1], "XXL");
        assert_eq!(size_label("5-6")[1], "5-6 ans");
        assert_eq!(size_label("6-12M")[3], "6-12 mesi");
    }
}
