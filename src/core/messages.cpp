#include "core/messages.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace vd::core {
namespace {

struct Entry {
  Errc code;
  std::string_view id;
  std::string_view causeFr;
  std::string_view actionFr;
  std::string_view causeEn;
  std::string_view actionEn;
};

// The catalog. {0}, {1}… are the error's arguments. Keep sentences short: they are shown
// in a status line at a busy desk.
constexpr std::array kCatalog{
    Entry{Errc::Internal, "internal", "Erreur interne du logiciel (code {0}).",
          "Notez l'heure et contactez le support VitaleDesk.", "Internal software error (code {0}).",
          "Note the time and contact VitaleDesk support."},
    Entry{Errc::InvalidArgument, "invalid_argument", "Valeur incorrecte : {0}.",
          "Corrigez la saisie puis recommencez.", "Invalid value: {0}.",
          "Correct the entry and try again."},
    Entry{Errc::FileUnreadable, "file_unreadable", "Le fichier {0} ne peut pas être lu ({1}).",
          "Vérifiez que le fichier existe et que VitaleDesk a le droit de le lire.",
          "The file {0} cannot be read ({1}).",
          "Check that the file exists and that VitaleDesk may read it."},
    Entry{Errc::ResourcesMissing, "resources_missing",
          "Les données de VitaleDesk (tables de tarifs) sont introuvables.",
          "Réinstallez VitaleDesk, ou donnez leur dossier dans la variable VITALEDESK_RESOURCES.",
          "VitaleDesk's data (tariff tables) cannot be found.",
          "Reinstall VitaleDesk, or set VITALEDESK_RESOURCES to their directory."},
    Entry{Errc::NirLength, "nir.length",
          "Le NIR doit comporter 15 caractères (13 chiffres et la clé) ; {0} reçus.",
          "Vérifiez le numéro saisi ou relisez la carte.",
          "A NIR has 15 characters (13 digits and the key); {0} given.",
          "Check the number typed or read the card again."},
    Entry{Errc::NirCharacter, "nir.character",
          "Caractère non autorisé en position {0} du NIR (seuls les chiffres, et 2A/2B pour la "
          "Corse, sont admis).",
          "Corrigez le numéro.",
          "Character not allowed at position {0} of the NIR (digits only, and 2A/2B for Corsica).",
          "Correct the number."},
    Entry{Errc::NirSexDigit, "nir.sex_digit",
          "Le premier chiffre du NIR doit être 1 ou 2 (ou 7 ou 8 pour un numéro provisoire) ; "
          "lu : {0}.",
          "Corrigez le numéro.",
          "The first digit of a NIR must be 1 or 2 (7 or 8 for a temporary number); read: {0}.",
          "Correct the number."},
    Entry{Errc::NirMonth, "nir.month",
          "Le mois de naissance du NIR ({0}) n'existe pas (01 à 12, 20 à 42 ou 50 et plus).",
          "Corrigez le numéro.",
          "The NIR birth month ({0}) does not exist (01 to 12, 20 to 42, or 50 and above).",
          "Correct the number."},
    Entry{Errc::NirDepartment, "nir.department",
          "Département de naissance du NIR invalide ({0}).", "Corrigez le numéro.",
          "Invalid NIR birth department ({0}).", "Correct the number."},
    Entry{Errc::NirKeyMismatch, "nir.key_mismatch",
          "La clé du NIR ne correspond pas : clé attendue {0}, clé lue {1}.",
          "Un chiffre a probablement été mal saisi : relisez le numéro sur la carte.",
          "The NIR key does not match: expected key {0}, key read {1}.",
          "A digit was probably mistyped: read the number on the card again."},
    Entry{Errc::DateInvalid, "date.invalid",
          "Date invalide : {0} (format attendu AAAA-MM-JJ).", "Saisissez une date existante.",
          "Invalid date: {0} (expected YYYY-MM-DD).", "Enter a date that exists."},
    Entry{Errc::BirthDateFormat, "birth_date.format",
          "Date de naissance illisible (8 chiffres AAAAMMJJ attendus).",
          "Relisez la carte ou corrigez la saisie.",
          "Unreadable birth date (8 digits YYYYMMDD expected).",
          "Read the card again or correct the entry."},
    Entry{Errc::InsOid, "ins.oid", "Type d'INS inconnu (OID {0}).",
          "Vérifiez la source de l'identité : seuls INS-NIR, INS-NIA, test et démo sont admis.",
          "Unknown INS type (OID {0}).",
          "Check the identity source: only INS-NIR, INS-NIA, test and demo are accepted."},
    Entry{Errc::InsMatricule, "ins.matricule",
          "Le matricule INS ne correspond pas à son type ({0}).",
          "Ne qualifiez pas cette identité ; signalez l'anomalie à l'identitovigilance.",
          "The INS number does not match its type ({0}).",
          "Do not qualify this identity; report it to the identity-monitoring team."},
    Entry{Errc::InsTrait, "ins.trait", "Trait d'identité INS manquant ou invalide : {0}.",
          "Complétez l'identité depuis une source fiable (carte, téléservice INSi).",
          "Missing or invalid INS identity trait: {0}.",
          "Complete the identity from a trusted source (card, INSi service)."},
    Entry{Errc::InsInconsistent, "ins.inconsistent",
          "Les traits INS ne concordent pas avec le matricule ({0}).",
          "Ne qualifiez pas cette identité ; vérifiez les traits avec le patient.",
          "The INS traits disagree with the number ({0}).",
          "Do not qualify this identity; check the traits with the patient."},
    Entry{Errc::MoneyFormat, "money.format",
          "Montant illisible : {0} (format attendu 12.34).", "Corrigez le montant.",
          "Unreadable amount: {0} (expected 12.34).", "Correct the amount."},
    Entry{Errc::RateFormat, "rate.format", "Taux illisible : {0} (format attendu 70.00).",
          "Corrigez le taux.", "Unreadable rate: {0} (expected 70.00).", "Correct the rate."},
    Entry{Errc::TableHeader, "table.header",
          "En-tête de table incorrect : colonne {0} absente.",
          "Réinstallez les tables de tarifs ou corrigez le fichier.",
          "Wrong table header: column {0} is missing.",
          "Reinstall the tariff tables or correct the file."},
    Entry{Errc::TableColumns, "table.columns",
          "Ligne de table avec {0} champs au lieu de {1}.",
          "Corrigez la ligne (pas de virgule dans les libellés).",
          "Table line with {0} fields instead of {1}.",
          "Correct the line (no comma inside labels)."},
    Entry{Errc::TableField, "table.field", "Champ {0} vide ou invalide dans la table.",
          "Complétez le champ.", "Field {0} empty or invalid in the table.",
          "Fill in the field."},
    Entry{Errc::TableDate, "table.date", "Date invalide dans la table : {0}.",
          "Utilisez le format AAAA-MM-JJ.", "Invalid date in the table: {0}.",
          "Use the YYYY-MM-DD format."},
    Entry{Errc::TablePeriod, "table.period",
          "Période inversée dans la table : du {0} au {1}.",
          "La date de fin doit suivre la date de début.",
          "Reversed period in the table: from {0} to {1}.",
          "The end date must follow the start date."},
    Entry{Errc::TableOverlap, "table.overlap",
          "Deux périodes se chevauchent pour {0} (voir aussi la ligne {1}).",
          "Terminez l'ancienne période la veille de la nouvelle.",
          "Two periods overlap for {0} (see also line {1}).",
          "End the old period the day before the new one."},
    Entry{Errc::TableValue, "table.value", "Valeur illisible dans la table : {0}.",
          "Utilisez un nombre à deux décimales (30.00), ou un entier pour un nombre.",
          "Unreadable value in the table: {0}.",
          "Use a number with two decimals (30.00), or a whole number for a count."},
    Entry{Errc::TableUnit, "table.unit", "Unité inconnue dans la table : {0}.",
          "Utilisez EUR, percent ou count.", "Unknown unit in the table: {0}.",
          "Use EUR, percent or count."},
    Entry{Errc::TableEmpty, "table.empty", "La table {0} ne contient aucune ligne.",
          "Réinstallez les tables de tarifs.", "The table {0} has no rows.",
          "Reinstall the tariff tables."},
    Entry{Errc::TariffUnknownCode, "tariff.unknown_code", "Code inconnu : {0}.",
          "Vérifiez le code de l'acte (par exemple G, VG, MEG).", "Unknown code: {0}.",
          "Check the act code (for example G, VG, MEG)."},
    Entry{Errc::TariffNotInForce, "tariff.not_in_force",
          "Le code {0} n'a pas de tarif en vigueur le {1}.",
          "Vérifiez la date des soins ; ce code existe du {2} au {3}.",
          "Code {0} has no tariff in force on {1}.",
          "Check the date of care; this code exists from {2} to {3}."},
    Entry{Errc::Cip13Format, "cip13.format",
          "Code CIP illisible : 13 chiffres attendus.",
          "Scannez à nouveau la boîte ou corrigez le code saisi.",
          "Unreadable CIP code: 13 digits expected.",
          "Scan the box again or correct the code typed."},
    Entry{Errc::Cip13Prefix, "cip13.prefix",
          "Ce code n'est pas un CIP de médicament (il doit commencer par 34009).",
          "Vérifiez que vous avez scanné le code CIP de la boîte, pas un autre code-barres.",
          "This is not a medicine CIP code (it must start with 34009).",
          "Check that you scanned the box's CIP code, not another barcode."},
    Entry{Errc::Cip13CheckDigit, "cip13.check_digit",
          "La clé du code CIP ne correspond pas : clé attendue {0}, clé lue {1}.",
          "Un chiffre a probablement été mal saisi : scannez à nouveau la boîte.",
          "The CIP code check digit does not match: expected {0}, read {1}.",
          "A digit was probably mistyped: scan the box again."},
    Entry{Errc::CareLineSyntax, "care_line.syntax",
          "Ligne de soins illisible (champ {0}).",
          "Saisissez un acte (G, G:2, G:ALD) ou un médicament (CIP:code:prix:boîtes:taux).",
          "Unreadable care line (field {0}).",
          "Enter an act (G, G:2, G:ALD) or a medicine (CIP:code:price:boxes:rate)."},
    Entry{Errc::PricingEmptySheet, "pricing.empty_sheet",
          "La feuille de soins ne contient aucun acte ni médicament.",
          "Ajoutez au moins une ligne avant de calculer.",
          "The care sheet has no act and no medicine.",
          "Add at least one line before pricing."},
    Entry{Errc::PricingLineValue, "pricing.line_value",
          "Valeur incorrecte sur la ligne : {0}.",
          "Corrigez la quantité (1 à 99) ou le prix (positif).",
          "Invalid value on the line: {0}.",
          "Correct the quantity (1 to 99) or the price (positive)."},
    Entry{Errc::PricingNotBillableAlone, "pricing.not_billable_alone",
          "Le code {0} ne se facture pas sur une ligne à part : il est compris dans G, GS, VG et VGS.",
          "Supprimez cette ligne ; facturez seulement l'acte de référence.",
          "Code {0} is not billed on a line of its own: it is included in G, GS, VG and VGS.",
          "Delete this line; bill the reference act only."},
    Entry{Errc::PricingMajorationWithoutAct, "pricing.majoration_without_act",
          "La majoration {0} doit accompagner une consultation ou une visite.",
          "Ajoutez l'acte de référence (G, VG, C, V...) ou supprimez la majoration.",
          "The majoration {0} must come with a consultation or a visit.",
          "Add the reference act (G, VG, C, V...) or delete the majoration."},
    Entry{Errc::PricingMdWithoutVisit, "pricing.md_without_visit",
          "La majoration de déplacement MD ne se facture qu'avec une visite (VG, VGS ou V).",
          "Remplacez la consultation par une visite, ou supprimez MD.",
          "The travel majoration MD is billed only with a home visit (VG, VGS or V).",
          "Replace the consultation with a visit, or delete MD."},
    Entry{Errc::PricingTwoReferenceActs, "pricing.two_reference_acts",
          "Un seul acte de référence par feuille de soins : {0} s'ajoute à {1} (ligne {2}).",
          "Gardez un seul acte (G, GS, VG, VGS, C, V, APC ou TCG) ; faites une autre feuille pour un autre acte.",
          "Only one reference act per care sheet: {0} comes on top of {1} (line {2}).",
          "Keep one act (G, GS, VG, VGS, C, V, APC or TCG); make another sheet for another act."},
    Entry{Errc::PricingMegAge, "pricing.meg_age",
          "La majoration MEG ne s'applique qu'aux enfants de moins de 6 ans à la date des soins.",
          "Supprimez MEG, ou vérifiez le bénéficiaire choisi.",
          "The MEG majoration applies only to children under 6 on the date of care.",
          "Delete MEG, or check the chosen beneficiary."},
    Entry{Errc::PricingMedicineClass, "pricing.medicine_class",
          "Taux de remboursement du médicament absent ou inconnu ({0}).",
          "Indiquez le taux de la boîte : 100, 65, 30 ou 15.",
          "Medicine reimbursement rate missing or unknown ({0}).",
          "Give the box's rate: 100, 65, 30 or 15."},
    Entry{Errc::Base45Character, "base45.character",
          "Le code lu contient un caractère hors de l'alphabet Base45 (position {0}).",
          "Scannez à nouveau ; si cela se répète, vérifiez la disposition clavier réglée sur la douchette.",
          "The code read contains a character outside the Base45 alphabet (position {0}).",
          "Scan again; if it happens again, check the keyboard layout set on the scanner."},
    Entry{Errc::Base45Length, "base45.length", "Le code lu est tronqué (longueur Base45 impossible : {0}).",
          "Scannez à nouveau le code en entier.", "The code read is truncated (impossible Base45 length: {0}).",
          "Scan the whole code again."},
    Entry{Errc::Base45Value, "base45.value", "Le code lu est altéré (valeur Base45 hors limites, position {0}).",
          "Scannez à nouveau ; si cela se répète, le code présenté n'est pas valide.",
          "The code read is altered (Base45 value out of range, position {0}).",
          "Scan again; if it happens again, the code shown is not valid."},
    Entry{Errc::ZlibMalformed, "zlib.malformed", "Le contenu compressé du code est illisible ({0}).",
          "Scannez à nouveau ; si cela se répète, le code présenté n'est pas valide.",
          "The compressed content of the code is unreadable ({0}).",
          "Scan again; if it happens again, the code shown is not valid."},
    Entry{Errc::ZlibTooLarge, "zlib.too_large",
          "Le contenu du code dépasse la taille admise une fois décompressé ({0} octets au plus).",
          "Refusez ce code : il n'a pas été produit par une application reconnue.",
          "The code's content exceeds the allowed size once decompressed (at most {0} bytes).",
          "Refuse this code: it was not produced by a recognised application."},
    Entry{Errc::CborMalformed, "cbor.malformed", "Les données du jeton sont mal formées ({0}).",
          "Refusez ce jeton et demandez au patient de régénérer le code dans son application.",
          "The token data is malformed ({0}).",
          "Refuse this token and ask the patient to generate the code again in the app."},
    Entry{Errc::CborLimit, "cbor.limit", "Les données du jeton dépassent une limite de sécurité ({0}).",
          "Refusez ce jeton : il n'a pas été produit par une application reconnue.",
          "The token data exceeds a safety limit ({0}).",
          "Refuse this token: it was not produced by a recognised application."},
    Entry{Errc::CoseMalformed, "cose.malformed", "L'enveloppe signée du jeton est mal formée ({0}).",
          "Refusez ce jeton et demandez au patient de régénérer le code dans son application.",
          "The token's signed envelope is malformed ({0}).",
          "Refuse this token and ask the patient to generate the code again in the app."},
    Entry{Errc::CoseAlgNotProtected, "cose.alg_not_protected",
          "L'algorithme de signature du jeton n'est pas protégé par la signature.",
          "Refusez ce jeton : il a pu être modifié.",
          "The token's signature algorithm is not covered by the signature.",
          "Refuse this token: it may have been altered."},
    Entry{Errc::CoseAlgRefused, "cose.alg_refused", "Algorithme de signature non admis ({0}).",
          "Refusez ce jeton ; si l'émetteur est légitime, mettez à jour VitaleDesk.",
          "Signature algorithm not accepted ({0}).",
          "Refuse this token; if the issuer is legitimate, update VitaleDesk."},
    Entry{Errc::CoseUnknownKid, "cose.unknown_kid", "Le jeton est signé par une clé inconnue (identifiant {0}).",
          "Mettez à jour les certificats de confiance ; sinon refusez le jeton.",
          "The token is signed by an unknown key (identifier {0}).",
          "Update the trusted certificates; otherwise refuse the token."},
    Entry{Errc::CoseKeyMismatch, "cose.key_mismatch",
          "La clé de l'émetteur ne correspond pas à l'algorithme annoncé ({0}).",
          "Refusez ce jeton : il a pu être modifié.",
          "The issuer's key does not match the announced algorithm ({0}).",
          "Refuse this token: it may have been altered."},
    Entry{Errc::CoseSignatureMalformed, "cose.signature_malformed", "La signature du jeton est mal formée ({0}).",
          "Refusez ce jeton : il a pu être modifié.", "The token's signature is malformed ({0}).",
          "Refuse this token: it may have been altered."},
    Entry{Errc::CoseSignatureInvalid, "cose.signature_invalid",
          "La signature du jeton ne correspond pas à son contenu.",
          "Refusez ce jeton : il a été modifié ou n'a pas été émis par la clé annoncée.",
          "The token's signature does not match its content.",
          "Refuse this token: it was altered or not issued by the announced key."},
    Entry{Errc::CoseSignFailed, "cose.sign_failed", "La signature du jeton a échoué ({0}).",
          "Vérifiez la clé du simulateur ; si l'erreur persiste, contactez le support.",
          "Signing the token failed ({0}).", "Check the simulator's key; if it persists, contact support."},
    Entry{Errc::KeyUnreadable, "key.unreadable", "Clé ou certificat illisible ({0}).",
          "Vérifiez le fichier (PEM ou DER) dans le dossier des certificats de confiance.",
          "Unreadable key or certificate ({0}).",
          "Check the file (PEM or DER) in the trusted certificates folder."},
    Entry{Errc::SignerKeyNotFound, "signer.key_not_found",
          "Clé de signature introuvable ou code PIN refusé ({0}).",
          "Vérifiez la carte CPS (ou le fichier de clé) et le code PIN, puis recommencez.",
          "Signing key not found or PIN refused ({0}).",
          "Check the CPS card (or the key file) and the PIN, then try again."},
    Entry{Errc::SignerTokenUnavailable, "signer.token_unavailable",
          "Le lecteur de carte CPS ou son module PKCS#11 ne répond pas ({0}).",
          "Vérifiez que la carte CPS est insérée et que le module est installé (paramètres).",
          "The CPS card reader or its PKCS#11 module does not answer ({0}).",
          "Check that the CPS card is inserted and the module installed (settings)."},
    Entry{Errc::SignerPinCancelled, "signer.pin_cancelled", "Saisie du code PIN annulée : la FSE n'est pas signée.",
          "Signez à nouveau quand vous êtes prêt ; rien n'a été perdu.",
          "PIN entry cancelled: the care sheet is not signed.", "Sign again when ready; nothing was lost."},
    Entry{Errc::SignerFailed, "signer.failed", "La signature a échoué ({0}).",
          "Réessayez ; si l'erreur persiste, contactez le support.", "Signing failed ({0}).",
          "Try again; if it persists, contact support."},
    Entry{Errc::CertificateUnreadable, "certificate.unreadable", "Certificat illisible.",
          "Vérifiez le fichier du certificat (format PEM) dans les paramètres.", "Unreadable certificate.",
          "Check the certificate file (PEM format) in the settings."},
    Entry{Errc::CmsMalformed, "cms.malformed", "Document signé illisible ({0}).",
          "Le fichier est abîmé ou n'est pas une FSE signée : ne le transmettez pas.",
          "Unreadable signed document ({0}).", "The file is damaged or not a signed care sheet: do not send it."},
    Entry{Errc::CmsSignatureInvalid, "cms.signature_invalid",
          "La signature ne correspond pas au contenu ou au signataire attendu.",
          "Le document a été modifié après signature ou signé par un certificat non reconnu : refaites la FSE.",
          "The signature does not match the content or the expected signer.",
          "The document was changed after signing or signed by an unknown certificate: make the care sheet again."},
    Entry{Errc::FseInvalid, "fse.invalid", "FSE incomplète ou incohérente : {0}.",
          "Corrigez ce point dans la feuille de soins avant de la signer.",
          "Care sheet incomplete or inconsistent: {0}.", "Correct this in the care sheet before signing it."},
    Entry{Errc::FseMalformed, "fse.malformed", "Contenu de FSE illisible ({0}).",
          "Le fichier n'est pas une FSE VitaleDesk de version connue.", "Unreadable care-sheet content ({0}).",
          "The file is not a VitaleDesk care sheet of a known version."},
    Entry{Errc::FseStore, "fse.store", "Le registre des FSE ne peut pas être écrit ({0}).",
          "Vérifiez l'espace disque et les droits du dossier de données ; aucune FSE n'a été numérotée.",
          "The care-sheet register cannot be written ({0}).",
          "Check disk space and the data folder's permissions; no care sheet was numbered."},
};

const Entry* find(Errc code) {
  const auto it = std::find_if(kCatalog.begin(), kCatalog.end(),
                               [code](const Entry& e) { return e.code == code; });
  return it == kCatalog.end() ? nullptr : &*it;
}

std::string substitute(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        std::isdigit(static_cast<unsigned char>(pattern[i + 1]))) {
      const auto index = static_cast<std::size_t>(pattern[i + 1] - '0');
      out += index < args.size() ? args[index] : std::string("?");
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view errcId(Errc code) {
  const Entry* e = find(code);
  return e ? e->id : std::string_view("unknown");
}

bool hasCatalogEntry(Errc code) { return find(code) != nullptr; }

std::optional<Lang> parseLang(std::string_view text) {
  const std::string l = lower(text.substr(0, 2));
  if (l == "fr") return Lang::Fr;
  if (l == "en") return Lang::En;
  return std::nullopt;
}

Lang langFromLocale(std::string_view lcAll, std::string_view lcMessages, std::string_view lang) {
  for (std::string_view v : {lcAll, lcMessages, lang}) {
    if (v.empty()) continue;
    return lower(v.substr(0, 2)) == "en" ? Lang::En : Lang::Fr;
  }
  return Lang::Fr;
}

UserMessage describe(const Error& error, Lang lang) {
  const Entry* e = find(error.code);
  if (e == nullptr) {
    const Entry* internal = find(Errc::Internal);
    const std::vector<std::string> args{std::to_string(static_cast<int>(error.code))};
    return lang == Lang::Fr ? UserMessage{substitute(internal->causeFr, args),
                                          std::string(internal->actionFr)}
                            : UserMessage{substitute(internal->causeEn, args),
                                          std::string(internal->actionEn)};
  }
  if (lang == Lang::Fr) return {substitute(e->causeFr, error.args), substitute(e->actionFr, error.args)};
  return {substitute(e->causeEn, error.args), substitute(e->actionEn, error.args)};
}

std::string describeLine(const Error& error, Lang lang) {
  const UserMessage m = describe(error, lang);
  std::string line;
  if (!error.where.empty()) line = error.where + (lang == Lang::Fr ? " : " : ": ");
  return line + m.cause + " " + m.action;
}

}  // namespace vd::core
