import PROTOTYPES from "unhomoglyph/data.json" with { type: "json" };

/**
 * Look-alike identities (UTS #39, "Unicode Security Mechanisms"): whether an e-mail's local
 * part mixes scripts (`аlice` with a Cyrillic а among Latin letters), and its skeleton, the
 * form two strings that read the same share (`аlice` and `alice` both become `alice`).
 *
 * The skeleton's data is Unicode's whole confusables.txt mapping (its 6,311 MA entries, as
 * the `unhomoglyph` package ships them in data.json; test/schema/confusables.test.ts checks
 * it is whole). Scripts need no table: JavaScript's RegExp knows every character's Script
 * and Script_Extensions (`\p{scx=…}`), and SCRIPT_NAMES lists every script (a test checks
 * that each assigned character belongs to one of them). Pure; shared by the rules, the plan's
 * lookAlike rail, review and the server.
 */

/** PROTOTYPE maps a character to the prototype confusables.txt gives it (`а` → `a`, `m` → `rn`, `0` → `O`). */
const PROTOTYPE: Readonly<Record<string, string>> = PROTOTYPES;

/** SCRIPT_NAMES are Unicode's scripts (long names) but Common, Inherited and Unknown; those an older engine lacks are skipped. */
export const SCRIPT_NAMES = [
  "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum", "Bassa_Vah", "Batak", "Bengali", "Beria_Erfe", "Bhaiksuki",
  "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian",
  "Coptic", "Cuneiform", "Cypriot", "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan", "Egyptian_Hieroglyphs", "Elbasan",
  "Elymaic", "Ethiopic", "Garay", "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Gurung_Khema", "Han", "Hangul",
  "Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic", "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi",
  "Kannada", "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki", "Khudawadi", "Kirat_Rai", "Lao", "Latin", "Lepcha", "Limbu",
  "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani", "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin",
  "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro", "Multani", "Myanmar", "Nabataean",
  "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Ol_Onal", "Old_Hungarian", "Old_Italic",
  "Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya", "Osage", "Osmanya", "Pahawh_Hmong",
  "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic", "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham",
  "Sidetic", "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng", "Soyombo", "Sundanese", "Sunuwar", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le",
  "Tai_Tham", "Tai_Viet", "Tai_Yo", "Takri", "Tamil", "Tangsa", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Todhri", "Tolong_Siki",
  "Toto", "Tulu_Tigalari", "Ugaritic", "Vai", "Vithkuqi", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
] as const;

/** KNOWN are the SCRIPT_NAMES this engine knows, each with its Script and Script_Extensions tests. */
const KNOWN = SCRIPT_NAMES.flatMap((name) => {
  try {
    return [{ name: name as string, sc: new RegExp(`\\p{sc=${name}}`, "u"), scx: new RegExp(`\\p{scx=${name}}`, "u") }];
  } catch {
    return [];
  }
});

/**
 * AUGMENT is UTS #39's augmented script set (section 5.1): a Han character also counts as
 * Japanese, Korean and Han-with-Bopomofo, kana as Japanese, Hangul as Korean, Bopomofo as
 * Han-with-Bopomofo, so `山田たろう` is one script.
 */
const AUGMENT: Readonly<Record<string, readonly string[]>> = {
  Han: ["Han_with_Bopomofo", "Japanese", "Korean"],
  Hiragana: ["Japanese"],
  Katakana: ["Japanese"],
  Hangul: ["Korean"],
  Bopomofo: ["Han_with_Bopomofo"],
};

/** HIGHLY_RESTRICTIVE are the script sets UTS #39 lets one identifier mix at its "highly restrictive" level (section 5.2). */
const HIGHLY_RESTRICTIVE: readonly (readonly string[])[] = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];

interface CharScripts {
  /** script is the character's Script, null for Common and Inherited (digits, punctuation, combining marks). */
  script: string | null;
  /** augmented is its augmented Script_Extensions set, null when that is every script (Common and Inherited characters). */
  augmented: readonly string[] | null;
}

const LATIN: CharScripts = { script: "Latin", augmented: ["Latin"] };
const ANY: CharScripts = { script: null, augmented: null };
const cache = new Map<string, CharScripts>();

/** scriptsOf reads one character's Script and augmented Script_Extensions (ASCII without a table). */
function scriptsOf(ch: string): CharScripts {
  if (/^[a-zA-Z]$/.test(ch)) return LATIN;
  if (ch.charCodeAt(0) < 0x80) return ANY;
  let found = cache.get(ch);
  if (found === undefined) {
    const scx = KNOWN.filter((k) => k.scx.test(ch)).map((k) => k.name);
    found = {
      script: KNOWN.find((k) => k.sc.test(ch))?.name ?? null,
      augmented: scx.length === 0 ? null : [...new Set(scx.flatMap((s) => [s, ...(AUGMENT[s] ?? [])]))],
    };
    cache.set(ch, found);
  }
  return found;
}

/** MixedScripts says whether a text mixes scripts past UTS #39's "highly restrictive" level, and which scripts its letters are of. */
export interface MixedScripts {
  /** mixed: the text is neither single-script (its resolved script set is empty) nor covered by a highly restrictive set (Latin with Japanese, Chinese or Korean). */
  mixed: boolean;
  /** scripts are its characters' scripts, sorted (Common and Inherited left out). */
  scripts: string[];
}

/**
 * mixedScripts applies UTS #39's mixed-script detection to `text`: `аlice` (Cyrillic а among
 * Latin letters) mixes Cyrillic and Latin; `alice`, `алиса`, `alice.2024` and `tarō山田`
 * (Latin with Han, highly restrictive) do not.
 */
export function mixedScripts(text: string): MixedScripts {
  const chars = [...text].map(scriptsOf);
  const sets = chars.flatMap((c) => (c.augmented === null ? [] : [c.augmented]));
  const scripts = [...new Set(chars.flatMap((c) => (c.script === null ? [] : [c.script])))].sort();
  const covers = (cover: readonly string[]) => sets.every((s) => s.some((x) => cover.includes(x)));
  const [first, ...rest] = sets;
  const resolved = first === undefined ? ["*"] : first.filter((s) => rest.every((set) => set.includes(s)));
  return { mixed: resolved.length === 0 && !HIGHLY_RESTRICTIVE.some(covers), scripts };
}

/**
 * skeleton is UTS #39's skeleton of `text`, compared without case: NFD of the lower-cased
 * text, each character replaced by its confusables.txt prototype, NFD again, lower-cased
 * (prototypes are sometimes capitals: `0` → `O`). Two texts with one skeleton read the same.
 */
export function skeleton(text: string): string {
  let out = "";
  for (const ch of text.toLowerCase().normalize("NFD")) out += PROTOTYPE[ch] ?? ch;
  return out.normalize("NFD").toLowerCase();
}

/** emailSkeleton is the skeleton of an address: its local part's skeleton and its domain as is, lower-cased (the domain is already ASCII, canonicalEmail). */
export function emailSkeleton(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? skeleton(email) : `${skeleton(email.slice(0, at))}@${email.slice(at + 1).toLowerCase()}`;
}

/** mixedScriptLocalPart is the scripts an address's local part mixes (UTS #39, mixedScripts), or null when it does not. */
export function mixedScriptLocalPart(email: string): string[] | null {
  const at = email.lastIndexOf("@");
  const { mixed, scripts } = mixedScripts(at < 0 ? email : email.slice(0, at));
  return mixed ? scripts : null;
}

/**
 * lookAlikeOf finds, among `others` (canonical e-mails of the same workspace), one that is a
 * different identity with the same skeleton as `email`: `аlice@acme.io` for `alice@acme.io`.
 * Null when there is none.
 */
export function lookAlikeOf(email: string, others: Iterable<string>): string | null {
  const mine = emailSkeleton(email);
  for (const other of others) if (other !== email && emailSkeleton(other) === mine) return other;
  return null;
}
