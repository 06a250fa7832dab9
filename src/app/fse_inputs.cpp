// The input files of `fse new`: the practitioner profile and the patient credential (JSON,
// docs/formats/fse.md). Apart from fse_use_case.cpp so that the parsers have a fuzz target
// (tests/fuzz/fuzz_fse_inputs.cpp) without the register, signing and pricing.
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "app/fse_use_case.hpp"
#include "core/birth_date.hpp"
#include "crypto/digest.hpp"

namespace vd::app {
namespace {

using nlohmann::json;
constexpr std::size_t kMaxInputFile = 1u << 20;

core::Result<std::string> readSmallFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {path.string(), core::errnoName(ec.value())});
  if (size > kMaxInputFile)
    return core::fail(core::Errc::FileUnreadable, {path.string(), core::frEn("plus de 1 Mio", "over 1 MiB")});
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) return core::fail(core::Errc::FileUnreadable, {path.string(), core::frEn("lecture", "read")});
  return s.str();
}

// Typed accessors that fail with FseMalformed naming the field.
struct Fields {
  std::optional<std::string> problem;
  std::string str(const json& o, const char* k, bool required = true) {
    if (o.is_object() && o.contains(k) && o.at(k).is_string()) return o.at(k).get<std::string>();
    if (required || (o.is_object() && o.contains(k))) note(k);
    return {};
  }
  bool boolean(const json& o, const char* k) {
    if (!o.is_object() || !o.contains(k)) return false;
    if (!o.at(k).is_boolean()) note(k);
    return o.at(k).is_boolean() && o.at(k).get<bool>();
  }
  int integer(const json& o, const char* k, int dflt) {
    if (!o.is_object() || !o.contains(k)) return dflt;
    if (!o.at(k).is_number_integer()) {
      note(k);
      return dflt;
    }
    return o.at(k).get<int>();
  }
  void note(const char* k) {
    if (!problem) problem = k;
  }
  billing::FsePerson person(const json& o) {
    return billing::FsePerson{str(o, "nir"), str(o, "birth_name"), str(o, "first_name"), str(o, "birth_date"),
                              integer(o, "birth_rank", 1)};
  }
};

}  // namespace

std::string beneficiaryKey(const billing::FsePerson& p) {
  // The cap counters are keyed by a hash, so that they never hold a NIR in clear.
  const auto digest =
      crypto::sha256("vd-beneficiary/1|" + p.nir + "|" + p.birthDate + "|" + std::to_string(p.birthRank));
  return crypto::toHex(std::span(digest.data(), 12));
}

core::Result<PractitionerProfile> loadPractitioner(const std::filesystem::path& file) {
  auto text = readSmallFile(file);
  if (!text) return core::fail(text.error());
  return practitionerFromJson(*text, file.parent_path());
}

core::Result<PractitionerProfile> practitionerFromJson(std::string_view text, const std::filesystem::path& baseDir) {
  if (text.size() > kMaxInputFile) return core::fail(core::Errc::FseMalformed, {"practitioner"});
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return core::fail(core::Errc::FseMalformed, {"practitioner"});
  Fields f;
  PractitionerProfile p;
  p.identity.rpps = f.str(doc, "rpps");
  p.identity.amNumber = f.str(doc, "am_number");
  p.identity.name = f.str(doc, "name");
  p.identity.specialty = f.str(doc, "specialty");
  p.identity.sector = f.integer(doc, "sector", 1);
  p.identity.optam = f.boolean(doc, "optam");
  p.identity.situation = f.str(doc, "situation");
  const json signing = doc.contains("signing") ? doc.at("signing") : json::object();
  const std::string kind = f.str(signing, "kind");
  auto resolve = [&](const std::string& rel) {
    const std::filesystem::path q(rel);
    return q.is_absolute() ? q : baseDir / q;
  };
  p.signing.certificate = resolve(f.str(signing, "certificate"));
  if (kind == "key_file") {
    p.signing.kind = SigningConfig::Kind::KeyFile;
    p.signing.keyFile = resolve(f.str(signing, "key_file"));
  } else if (kind == "pkcs11") {
    p.signing.kind = SigningConfig::Kind::Pkcs11;
    p.signing.pkcs11.modulePath = f.str(signing, "module");
    p.signing.pkcs11.keyUri = f.str(signing, "key_uri");
  } else {
    f.note("signing.kind");
  }
  if (f.problem) return core::fail(core::Errc::FseMalformed, {"practitioner." + *f.problem});
  return p;
}

core::Result<PatientContext> patientFromJson(std::string_view text) {
  if (text.size() > kMaxInputFile) return core::fail(core::Errc::FseMalformed, {"patient"});
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return core::fail(core::Errc::FseMalformed, {"patient"});
  Fields f;
  PatientContext p;
  p.verdict = f.str(doc, "verdict", false);
  p.insured = f.person(doc.contains("insured") ? doc.at("insured") : json());
  if (doc.contains("beneficiary")) {
    const json& b = doc.at("beneficiary");
    p.beneficiary.person = f.person(b);
    p.beneficiary.qualite = f.str(b, "qualite");
  } else {
    p.beneficiary.person = p.insured;
    p.beneficiary.qualite = "assure";
  }
  const json amo = doc.contains("amo") ? doc.at("amo") : json();
  p.amo.regime = f.str(amo, "regime");
  p.amo.caisse = f.str(amo, "caisse");
  p.amo.centre = f.str(amo, "centre");
  p.amo.exemption = f.str(amo, "exemption", false);
  billing::Coverage& c = p.coverage;
  auto birth = core::BirthDate::parse(p.beneficiary.person.birthDate);
  if (!birth) f.note("beneficiary.birth_date");
  if (birth) c.birthDate = *birth;
  c.beneficiaryKey = beneficiaryKey(p.beneficiary.person);
  c.c2s = p.amo.exemption == "c2s";
  c.ame = p.amo.exemption == "ame";
  if (p.amo.exemption == "maternite") {
    auto from = core::Date::parseIso(f.str(amo, "maternity_from"));
    auto to = core::Date::parseIso(f.str(amo, "maternity_to"));
    if (from && to) c.maternity = billing::DatePeriod{*from, *to};
    else f.note("amo.maternity_from/to");
  }
  c.tiersPayantAmo = f.boolean(doc, "tiers_payant_amo");
  if (doc.contains("amc") && !doc.at("amc").is_null()) {
    const json& a = doc.at("amc");
    p.amc = billing::FseAmc{f.str(a, "organisation"), f.str(a, "contract", false), f.boolean(a, "tiers_payant")};
    c.amcCoversTicketModerateur = f.boolean(a, "covers_ticket_moderateur");
    c.tiersPayantAmc = p.amc->tiersPayant;
  }
  if (f.problem) return core::fail(core::Errc::FseMalformed, {"patient." + *f.problem});
  return p;
}

std::string patientToJson(const PatientContext& p) {
  auto person = [](const billing::FsePerson& x) {
    return json{{"nir", x.nir},
                {"birth_name", x.birthName},
                {"first_name", x.firstName},
                {"birth_date", x.birthDate},
                {"birth_rank", x.birthRank}};
  };
  const billing::Coverage& c = p.coverage;
  json beneficiary = person(p.beneficiary.person);
  beneficiary["qualite"] = p.beneficiary.qualite;
  json amo{
      {"regime", p.amo.regime}, {"caisse", p.amo.caisse}, {"centre", p.amo.centre}, {"exemption", p.amo.exemption}};
  if (c.maternity) {
    amo["maternity_from"] = c.maternity->from.iso();
    amo["maternity_to"] = c.maternity->to.iso();
  }
  json doc{{"verdict", p.verdict},
           {"insured", person(p.insured)},
           {"beneficiary", beneficiary},
           {"amo", amo},
           {"tiers_payant_amo", c.tiersPayantAmo}};
  if (p.amc) {
    doc["amc"] = {{"organisation", p.amc->organisation},
                  {"contract", p.amc->contract},
                  {"tiers_payant", p.amc->tiersPayant},
                  {"covers_ticket_moderateur", c.amcCoversTicketModerateur}};
  }
  // A card's text is not always UTF-8: replaced, never an exception.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

core::Result<PatientContext> loadPatient(const std::filesystem::path& file) {
  auto text = readSmallFile(file);
  if (!text) return core::fail(text.error());
  return patientFromJson(*text);
}

}  // namespace vd::app
