// libFuzzer target: the phone's answers to the NFC exchange (docs/formats/apcv-nfc.md). The
// input is a script of response APDUs, each a 2-byte big-endian length (mod 259) and bytes; a
// length of 0xFFFF means "the phone left the field". Whatever the script, the exchange ends
// with a bounded token or an error, and the token goes through the verifier with a trust store
// whose insurer the harness controls (apcv_fuzz_pki.hpp; the seeds carry tokens of that insurer
// and phone for the challenge below, so mutations reach the signatures, digest and challenge).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "apcv_fuzz_pki.hpp"
#include "core/clock.hpp"
#include "reader/apcv/nfc_session.hpp"

namespace apcv = vd::reader::apcv;

namespace {

class ScriptChannel final : public vd::reader::ApduChannel {
 public:
  explicit ScriptChannel(std::span<const std::uint8_t> script) : m_script(script) {}
  vd::core::Result<vd::reader::Response> transmit(std::span<const std::uint8_t>) override {
    if (m_script.size() < 2) return vd::core::fail(vd::core::Errc::CardMute);
    const std::size_t raw = static_cast<std::size_t>((m_script[0] << 8) | m_script[1]);
    m_script = m_script.subspan(2);
    if (raw == 0xFFFF) return vd::core::fail(vd::core::Errc::CardRemoved);
    const std::size_t n = std::min(raw % 259, m_script.size());
    auto r = vd::reader::parseResponse(m_script.first(n));
    m_script = m_script.subspan(n);
    return r;
  }

 private:
  std::span<const std::uint8_t> m_script;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ScriptChannel channel({data, size});
  const std::vector<std::uint8_t> challenge(apcv::kNfcChallengeSize, 0x42);
  auto answer = apcv::exchangeNfc(channel, challenge);
  if (!answer) return 0;
  if (answer->token.empty() || answer->token.size() > apcv::kMaxNfcToken) __builtin_trap();
  if (answer->apduCount > 2 + apcv::kMaxGetResponse) __builtin_trap();
  const vd::core::FixedClock clock(vd::fuzz::kFuzzNow);
  apcv::ReplayCache cache;
  apcv::VerifyOptions options;
  options.expectedChallenge = challenge;
  const auto cred = apcv::TokenVerifier(vd::fuzz::fuzzPki().trust, clock, cache, options).verifyCose(answer->token);
  if (cred.verdict == apcv::Verdict::Verified &&
      (!cred.claims || cred.claims->challenge != challenge || !cred.reasons.empty()))
    __builtin_trap();
  return 0;
}
