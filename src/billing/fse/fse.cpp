#include "billing/fse/fse.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/birth_date.hpp"
#include "core/nir.hpp"

namespace vd::billing {
namespace {

using nlohmann::json;
constexpr std::size_t kMaxFseJson = 1u << 20;
constexpr std::size_t kMaxLines = 200;

json person(const FsePerson& p) {
  return {{"nir", p.nir},
          {"birth_name", p.birthName},
          {"first_name", p.firstName},
          {"birth_date", p.birthDate},
          {"birth_rank", p.birthRank}};
}

json line(const FseLine& l) {
  return {{"date", l.date.iso()},
          {"code", l.code},
          {"quantity", l.quantity},
          {"unit_cents", l.unitAmount.cents()},
          {"fee_cents", l.fee.cents()},
          {"base_cents", l.base.cents()},
          {"amo_rate_bp", l.amoRate.bp()},
          {"amo_cents", l.amo.cents()},
          {"amc_cents", l.amc.cents()},
          {"patient_cents", l.patient.cents()},
          {"pf_cents", l.participationForfaitaire.cents()},
          {"franchise_cents", l.franchise.cents()}};
}

// Reads a JSON document defensively: the first problem is kept, later reads return defaults.
class Reader {
 public:
  std::optional<std::string> problem;

  const json* field(const json& obj, const char* name) {
    if (problem) return nullptr;
    if (!obj.is_object() || !obj.contains(name)) {
      problem = std::string("missing ") + name;
      return nullptr;
    }
    return &obj.at(name);
  }
  std::string str(const json& obj, const char* name) {
    const json* v = field(obj, name);
    if (v == nullptr) return {};
    if (!v->is_string()) return bad(name), std::string();
    return v->get<std::string>();
  }
  std::int64_t integer(const json& obj, const char* name, std::int64_t lo, std::int64_t hi) {
    const json* v = field(obj, name);
    if (v == nullptr) return 0;
    if (!v->is_number_integer()) return bad(name), 0;
    const auto n = v->get<std::int64_t>();
    if (n < lo || n > hi) return bad(name), 0;
    return n;
  }
  bool boolean(const json& obj, const char* name) {
    const json* v = field(obj, name);
    if (v == nullptr) return false;
    if (!v->is_boolean()) return bad(name), false;
    return v->get<bool>();
  }
  core::Date date(const json& obj, const char* name) {
    auto d = core::Date::parseIso(str(obj, name));
    if (!d) {
      bad(name);
      return *core::Date::fromYmd(1970, 1, 1);
    }
    return *d;
  }
  core::Money money(const json& obj, const char* name) {
    return core::Money::cents(integer(obj, name, -100'000'000'00, 100'000'000'00));
  }
  FsePerson person(const json& obj) {
    FsePerson p;
    p.nir = str(obj, "nir");
    p.birthName = str(obj, "birth_name");
    p.firstName = str(obj, "first_name");
    p.birthDate = str(obj, "birth_date");
    p.birthRank = static_cast<int>(integer(obj, "birth_rank", 0, 99));
    return p;
  }
  void bad(const char* name) {
    if (!problem) problem = std::string("bad ") + name;
  }
};

bool allDigits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool isValidRpps(std::string_view rpps) {
  if (!allDigits(rpps, 11)) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 11; ++i) {
    int d = rpps[10 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

std::string toCanonicalJson(const Fse& f) {
  json lines = json::array();
  for (const auto& l : f.lines) lines.push_back(line(l));
  json amc = nullptr;
  if (f.amc) amc = {{"organisation", f.amc->organisation}, {"contract", f.amc->contract}, {"tiers_payant", f.amc->tiersPayant}};
  const json doc{
      {"format", f.format},
      {"invoice_number", f.invoiceNumber},
      {"created_on", f.createdOn.iso()},
      {"practitioner",
       {{"rpps", f.practitioner.rpps},
        {"am_number", f.practitioner.amNumber},
        {"name", f.practitioner.name},
        {"specialty", f.practitioner.specialty},
        {"sector", f.practitioner.sector},
        {"optam", f.practitioner.optam},
        {"situation", f.practitioner.situation}}},
      {"insured", person(f.insured)},
      {"beneficiary", {{"person", person(f.beneficiary.person)}, {"qualite", f.beneficiary.qualite}}},
      {"amo",
       {{"regime", f.amo.regime}, {"caisse", f.amo.caisse}, {"centre", f.amo.centre}, {"exemption", f.amo.exemption}}},
      {"amc", amc},
      {"tiers_payant_amo", f.tiersPayantAmo},
      {"lines", lines},
      {"totals",
       {{"base_cents", f.totals.base.cents()},
        {"amo_cents", f.totals.amo.cents()},
        {"amc_cents", f.totals.amc.cents()},
        {"patient_cents", f.totals.patient.cents()},
        {"pf_cents", f.totals.participationForfaitaire.cents()},
        {"franchise_cents", f.totals.franchise.cents()},
        {"amo_owes_cents", f.totals.amoOwes.cents()},
        {"patient_pays_now_cents", f.totals.patientPaysNow.cents()}}},
      {"accident",
       {{"accident", f.accident.accident}, {"date", f.accident.date ? json(f.accident.date->iso()) : json(nullptr)}}},
      {"software", f.software},
  };
  return doc.dump();  // std::map keys: sorted; no spaces: canonical
}

core::Result<Fse> fseFromJson(std::string_view text) {
  if (text.size() > kMaxFseJson) return core::fail(core::Errc::FseMalformed, {"size"});
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return core::fail(core::Errc::FseMalformed, {"JSON"});
  Reader r;
  Fse f;
  f.format = r.str(doc, "format");
  if (!r.problem && f.format != kFseFormat) return core::fail(core::Errc::FseMalformed, {"format: " + f.format.substr(0, 16)});
  f.invoiceNumber = static_cast<std::uint64_t>(r.integer(doc, "invoice_number", 0, 999'999'999));
  f.createdOn = r.date(doc, "created_on");
  if (const json* p = r.field(doc, "practitioner")) {
    f.practitioner.rpps = r.str(*p, "rpps");
    f.practitioner.amNumber = r.str(*p, "am_number");
    f.practitioner.name = r.str(*p, "name");
    f.practitioner.specialty = r.str(*p, "specialty");
    f.practitioner.sector = static_cast<int>(r.integer(*p, "sector", 0, 9));
    f.practitioner.optam = r.boolean(*p, "optam");
    f.practitioner.situation = r.str(*p, "situation");
  }
  if (const json* p = r.field(doc, "insured")) f.insured = r.person(*p);
  if (const json* b = r.field(doc, "beneficiary")) {
    if (const json* p = r.field(*b, "person")) f.beneficiary.person = r.person(*p);
    f.beneficiary.qualite = r.str(*b, "qualite");
  }
  if (const json* a = r.field(doc, "amo")) {
    f.amo.regime = r.str(*a, "regime");
    f.amo.caisse = r.str(*a, "caisse");
    f.amo.centre = r.str(*a, "centre");
    f.amo.exemption = r.str(*a, "exemption");
  }
  if (const json* a = r.field(doc, "amc"); a != nullptr && !a->is_null()) {
    f.amc = FseAmc{r.str(*a, "organisation"), r.str(*a, "contract"), r.boolean(*a, "tiers_payant")};
  }
  f.tiersPayantAmo = r.boolean(doc, "tiers_payant_amo");
  if (const json* ls = r.field(doc, "lines")) {
    if (!ls->is_array() || ls->size() > kMaxLines) {
      r.bad("lines");
    } else {
      for (const json& l : *ls) {
        FseLine x;
        x.date = r.date(l, "date");
        x.code = r.str(l, "code");
        x.quantity = static_cast<int>(r.integer(l, "quantity", 0, 999));
        x.unitAmount = r.money(l, "unit_cents");
        x.fee = r.money(l, "fee_cents");
        x.base = r.money(l, "base_cents");
        x.amoRate = core::Rate::basisPoints(static_cast<std::int32_t>(r.integer(l, "amo_rate_bp", 0, 10000)));
        x.amo = r.money(l, "amo_cents");
        x.amc = r.money(l, "amc_cents");
        x.patient = r.money(l, "patient_cents");
        x.participationForfaitaire = r.money(l, "pf_cents");
        x.franchise = r.money(l, "franchise_cents");
        f.lines.push_back(x);
      }
    }
  }
  if (const json* t = r.field(doc, "totals")) {
    f.totals.base = r.money(*t, "base_cents");
    f.totals.amo = r.money(*t, "amo_cents");
    f.totals.amc = r.money(*t, "amc_cents");
    f.totals.patient = r.money(*t, "patient_cents");
    f.totals.participationForfaitaire = r.money(*t, "pf_cents");
    f.totals.franchise = r.money(*t, "franchise_cents");
    f.totals.amoOwes = r.money(*t, "amo_owes_cents");
    f.totals.patientPaysNow = r.money(*t, "patient_pays_now_cents");
  }
  if (const json* a = r.field(doc, "accident")) {
    f.accident.accident = r.boolean(*a, "accident");
    if (const json* d = r.field(*a, "date"); d != nullptr && !d->is_null()) f.accident.date = r.date(*a, "date");
  }
  f.software = r.str(doc, "software");
  if (r.problem) return core::fail(core::Errc::FseMalformed, {*r.problem});
  return f;
}

std::vector<core::Error> validateFse(const Fse& f) {
  std::vector<core::Error> out;
  auto problem = [&out](const std::string& field) { out.push_back(core::makeError(core::Errc::FseInvalid, {field}, field)); };
  auto checkPerson = [&](const FsePerson& p, const std::string& where) {
    if (auto nir = core::Nir::parse(p.nir); !nir) {
      auto e = nir.error();
      e.where = where + ".nir";
      out.push_back(e);
    }
    if (p.birthName.empty()) problem(where + ".birth_name");
    if (p.firstName.empty()) problem(where + ".first_name");
    if (!core::BirthDate::parse(p.birthDate)) problem(where + ".birth_date");
    if (p.birthRank < 1 || p.birthRank > 9) problem(where + ".birth_rank");
  };

  if (f.format != kFseFormat) problem("format");
  if (f.invoiceNumber < 1 || f.invoiceNumber > 999'999'999) problem("invoice_number");
  const auto& pr = f.practitioner;
  if (!isValidRpps(pr.rpps)) problem("practitioner.rpps");
  if (!allDigits(pr.amNumber, 9)) problem("practitioner.am_number");
  if (pr.name.empty()) problem("practitioner.name");
  if (!allDigits(pr.specialty, 2)) problem("practitioner.specialty");
  if (pr.sector != 1 && pr.sector != 2) problem("practitioner.sector");
  if (pr.optam && pr.sector != 2) problem("practitioner.optam");
  if (pr.situation.empty()) problem("practitioner.situation");
  checkPerson(f.insured, "insured");
  checkPerson(f.beneficiary.person, "beneficiary");
  if (f.beneficiary.qualite.empty()) problem("beneficiary.qualite");
  if (!allDigits(f.amo.regime, 2)) problem("amo.regime");
  if (!allDigits(f.amo.caisse, 3)) problem("amo.caisse");
  if (!allDigits(f.amo.centre, 4)) problem("amo.centre");
  static const char* kExemptions[] = {"", "ald", "maternite", "c2s", "ame"};
  if (std::none_of(std::begin(kExemptions), std::end(kExemptions), [&](const char* e) { return f.amo.exemption == e; })) {
    problem("amo.exemption");
  }
  if (f.amc && f.amc->organisation.empty()) problem("amc.organisation");
  if (f.lines.empty()) problem("lines");

  FseTotals sum;
  for (std::size_t i = 0; i < f.lines.size(); ++i) {
    const FseLine& l = f.lines[i];
    const std::string at = "lines[" + std::to_string(i + 1) + "]";
    if (l.code.empty()) problem(at + ".code");
    if (l.quantity < 1 || l.quantity > 99) problem(at + ".quantity");
    if (l.date > f.createdOn) problem(at + ".date");
    if (l.base != l.unitAmount * l.quantity + l.fee) problem(at + ".base");
    const bool negative = l.unitAmount < core::Money() || l.amo < core::Money() || l.amc < core::Money() ||
                          l.patient < core::Money() || l.fee < core::Money() || l.participationForfaitaire < core::Money() ||
                          l.franchise < core::Money();
    if (negative || l.amo + l.amc + l.patient != l.base) problem(at + ".amounts");
    if (l.participationForfaitaire + l.franchise > l.amo) problem(at + ".deductions");
    sum.base += l.base;
    sum.amo += l.amo;
    sum.amc += l.amc;
    sum.patient += l.patient;
    sum.participationForfaitaire += l.participationForfaitaire;
    sum.franchise += l.franchise;
  }
  const auto& t = f.totals;
  if (t.base != sum.base || t.amo != sum.amo || t.amc != sum.amc || t.patient != sum.patient ||
      t.participationForfaitaire != sum.participationForfaitaire || t.franchise != sum.franchise) {
    problem("totals");
  }
  if (t.amoOwes != t.amo - t.participationForfaitaire - t.franchise) problem("totals.amo_owes");
  if (t.patientPaysNow < core::Money() || t.patientPaysNow > t.base) problem("totals.patient_pays_now");
  if (f.accident.accident && (!f.accident.date || *f.accident.date > f.createdOn)) problem("accident.date");
  if (!f.accident.accident && f.accident.date) problem("accident.date");
  if (f.software.empty()) problem("software");
  return out;
}

}  // namespace vd::billing
