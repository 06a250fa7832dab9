#pragma once
/// \file
/// What the pricing engine needs to know about a beneficiary's past charges to apply the
/// caps of the participation forfaitaire (PF: per day and practitioner, per calendar year)
/// and of the franchises médicales (per calendar year).
///
/// These are LOCAL counters: the desk only knows the charges it priced itself. PF and
/// franchises charged by other practitioners, pharmacies or laboratories are invisible here;
/// the insurer applies the real caps on its side and settles the difference later. So the
/// amounts computed at the desk are an estimate that can only over-deduct, never
/// under-deduct, compared with the insurer's final computation.
///
/// `beneficiaryKey` is an opaque, pseudonymous key chosen by the caller (for example a hash
/// of the NIR and the birth rank): never a NIR or a name in clear.

#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "core/date.hpp"
#include "core/money.hpp"

namespace vd::billing {

/// Read-only view of past charges. Implementations must be safe to call from the thread
/// that prices (the pricing engine only reads).
class CapHistory {
 public:
  virtual ~CapHistory() = default;
  /// Sum of the PF already deducted for this beneficiary in calendar year `year`.
  virtual core::Money pfChargedInYear(const std::string& beneficiaryKey, int year) const = 0;
  /// Number of PF already deducted for this beneficiary on `day` for acts of `practitionerId`.
  virtual int pfCountOnDay(const std::string& beneficiaryKey, const std::string& practitionerId,
                           core::Date day) const = 0;
  /// Sum of the franchises already deducted for this beneficiary in calendar year `year`.
  virtual core::Money franchiseChargedInYear(const std::string& beneficiaryKey, int year) const = 0;
};

/// In-memory counters (tests, demo, or a cache filled from the outbox at start-up).
/// Thread-safe: every member locks one mutex.
class InMemoryCapHistory final : public CapHistory {
 public:
  core::Money pfChargedInYear(const std::string& beneficiaryKey, int year) const override;
  int pfCountOnDay(const std::string& beneficiaryKey, const std::string& practitionerId, core::Date day) const override;
  core::Money franchiseChargedInYear(const std::string& beneficiaryKey, int year) const override;

  /// Records one PF of `amount` deducted on `day` for an act of `practitionerId` (counts
  /// one participation towards the daily cap, `amount` towards the yearly cap).
  void addPf(const std::string& beneficiaryKey, const std::string& practitionerId, core::Date day, core::Money amount);
  /// Records franchises of `amount` deducted on `day`.
  void addFranchise(const std::string& beneficiaryKey, core::Date day, core::Money amount);

 private:
  mutable std::mutex m_mutex;
  std::map<std::pair<std::string, int>, core::Money> m_pfYear;
  std::map<std::tuple<std::string, std::string, std::int32_t>, int> m_pfDay;
  std::map<std::pair<std::string, int>, core::Money> m_franchiseYear;
};

}  // namespace vd::billing
