// libFuzzer target: care-line text (typed at the desk, sent by scanner workflows) and the
// pricing of the lines that parse, against small embedded tariff tables (no file loading).
// Input: first byte = coverage flags, second byte = date selector, then one care line per
// text line. Traps when a split does not add up to the cent.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billing/tariff/care_line.hpp"
#include "billing/tariff/pricing.hpp"

namespace {

using vd::core::DatedTable;
using vd::core::Money;

constexpr std::string_view kHeader = "key,value,unit,effective_from,effective_to,source\n";

const DatedTable& table(std::string_view rows, const char* name) {
  // Built once; leaked on purpose (lives for the whole fuzzing process).
  auto* t = new DatedTable(std::move(*DatedTable::parse(std::string(kHeader) + std::string(rows), name)));
  return *t;
}

struct Tables {
  const DatedTable& acts = table(
      "G,26.50,EUR,2023-11-01,2024-12-21,s\nG,30.00,EUR,2024-12-22,,s\nGS,26.50,EUR,2023-11-01,2024-12-21,s\n"
      "VG,30.00,EUR,2023-11-01,,s\nV,23.00,EUR,2011-01-01,,s\nC,23.00,EUR,2011-01-01,,s\nMD,10.00,EUR,2017-05-01,,s\n"
      "MEG,5.00,EUR,2017-05-01,,s\nMCG,5.00,EUR,2017-07-01,,s\nMMG,3.50,EUR,2023-11-01,2024-12-21,s\n"
      "APC,60.00,EUR,2024-12-22,,s\nTCG,25.00,EUR,2018-09-15,,s\n",
      "acts.csv");
  const DatedTable& parameters = table(
      "PF.amount,1.00,EUR,2005-01-01,2024-05-14,s\nPF.amount,2.00,EUR,2024-05-15,,s\nPF.cap_day,4,count,2007-08-01,,s\n"
      "PF.cap_year,50.00,EUR,2005-01-01,,s\nFRANCHISE.box,1.00,EUR,2024-03-31,,s\n"
      "FRANCHISE.cap_year,50.00,EUR,2008-01-01,,s\nAMO.rate_consultation,70.00,percent,2005-01-01,,s\n"
      "AMO.rate_ald,100.00,percent,2005-01-01,,s\n",
      "parameters.csv");
  const DatedTable& rates = table(
      "MED.100,100.00,percent,2005-01-01,,s\nMED.65,65.00,percent,2005-01-01,,s\nMED.30,30.00,percent,2011-05-02,,s\n"
      "MED.15,15.00,percent,2010-04-16,,s\n",
      "medicine_rates.csv");
  const DatedTable& fees = table("HD.box,1.02,EUR,2016-01-01,,s\n", "pharmacy_fees.csv");
};

/// Tiny deterministic history: the byte selects past charges.
class ByteHistory final : public vd::billing::CapHistory {
 public:
  explicit ByteHistory(std::uint8_t b) : m_b(b) {}
  Money pfChargedInYear(const std::string&, int) const override { return Money::cents((m_b & 0x0F) * 400); }
  int pfCountOnDay(const std::string&, const std::string&, vd::core::Date) const override { return m_b >> 5; }
  Money franchiseChargedInYear(const std::string&, int) const override { return Money::cents((m_b >> 4) * 350); }

 private:
  std::uint8_t m_b;
};

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vd::billing;
  static const Tables tables;
  static const PricingEngine engine(tables.acts, tables.parameters, tables.rates, tables.fees);
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  constexpr std::array<int, 4> kDays{19700, 19900, 20100, 20500};  // 2023-12 … 2026-02
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);

  CareSheet sheet{.dateOfCare = vd::core::Date::fromDayNumber(kDays[data[1] % kDays.size()])};
  sheet.practitionerId = "fuzz";
  const char* births[] = {"19800101", "20200000", "20071299", "20190115"};
  sheet.coverage.birthDate = *vd::core::BirthDate::parse(births[(data[1] >> 2) % 4]);
  sheet.coverage.c2s = flags & 1;
  sheet.coverage.ame = flags & 2;
  sheet.coverage.amcCoversTicketModerateur = flags & 4;
  sheet.coverage.tiersPayantAmo = flags & 8;
  sheet.coverage.tiersPayantAmc = flags & 16;
  if (flags & 32) sheet.coverage.maternity = DatePeriod{sheet.dateOfCare.addDays(-10), sheet.dateOfCare.addDays(10)};

  std::size_t pos = 0;
  int lineNo = 0;
  while (pos <= text.size() && lineNo < 16) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    auto parsed = parseCareLine(line, ++lineNo);
    if (parsed) {
      check(parsed->quantity >= 1 && parsed->quantity <= kMaxLineQuantity);
      if (parsed->kind == CareLineKind::Medicine) check(parsed->cip.has_value() && parsed->cip->digits().size() == 13);
      sheet.lines.push_back(std::move(*parsed));
    } else {
      check(parsed.error().where == careLineWhere(lineNo));
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }

  auto priced = engine.price(sheet, ByteHistory(flags));
  if (!priced) return 0;
  SplitAmounts sum;
  for (const PricedLine& l : priced->lines) {
    const SplitAmounts& a = l.amounts;
    check(a.amoOwes == a.amoShare - a.pfDeducted - a.franchiseDeducted);
    check(a.patientFinal == a.base - a.amoOwes - a.amcOwes);
    check(a.amoOwes >= Money() && a.amcOwes >= Money() && a.patientNow >= Money() && a.amoShare <= a.base);
    sum += a;
  }
  check(sum == priced->totals);
  return 0;
}
