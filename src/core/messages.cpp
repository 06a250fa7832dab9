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
