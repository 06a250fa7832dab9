// vitaledesk-sim phone forge: TEST-ONLY attacker. What someone who extracted the app-instance
// keys of enrolled phones (rooted phone, cloned app) can build, to show that the desk refuses
// it. Each kind starts from real material of `apcv init DIR` and changes one thing.
#include <iostream>

#include "core/messages.hpp"
#include "reader/apcv/token.hpp"
#include "sim/identity_generator.hpp"
#include "sim/phone_kit.hpp"
#include "sim/qr_png.hpp"

namespace vd::sim {
namespace {

namespace apcv = reader::apcv;
constexpr std::int64_t kDay = 86400;

void usage(std::ostream& o) {
  o << "Usage: vitaledesk-sim phone forge --kind KIND --trust-dir DIR [--png FILE]\n\n"
       "TEST ONLY: print the QR text of a forged token, made now with the material of\n"
       "'vitaledesk-sim apcv init DIR' by someone who extracted the phones' app-instance keys\n"
       "(never the insurer's key). The desk must refuse each one. Kinds:\n"
       "  other-nir           the holder's credential with another person's NIR, insurer signature\n"
       "                      kept, presented with the holder's phone key (digest recomputed)\n"
       "  other-rights        the same with C2S and an ALD exemption granted\n"
       "  long-delegation     the delegate's 7-day delegation stretched to 45 days\n"
       "  self-issued         a delegation the holder's phone signs itself for the delegate's phone\n"
       "  foreign-credential  the holder's genuine credential presented with the delegate phone's key\n"
       "--png FILE also writes the QR code as a PNG image (400 px).\n";
}

// A presentation of `credentialCose` by `phone`, digest over those exact bytes.
core::Result<std::vector<std::uint8_t>> present(std::span<const std::uint8_t> credentialCose,
                                                const crypto::PrivateKey& phone, std::int64_t now,
                                                const PhoneTokenOptions& options) {
  auto device = kitPresentation(now, options);
  if (!device) return core::fail(device.error());
  return apcv::presentCose(credentialCose, *device, phone);
}

// The genuine credential `genuine` signed by the insurer, its payload replaced by `altered`.
core::Result<std::vector<std::uint8_t>> resigned(const KitKeys& keys, const apcv::InsurerCredential& genuine,
                                                 const apcv::InsurerCredential& altered) {
  auto real = apcv::signCredential(genuine, keys.issuer, keys.issuerKid);
  if (!real) return core::fail(real.error());
  return apcv::alterCredential(*real, altered);
}

}  // namespace

const std::vector<std::string_view>& forgeKinds() {
  static const std::vector<std::string_view> kinds{"other-nir", "other-rights", "long-delegation", "self-issued",
                                                   "foreign-credential"};
  return kinds;
}

core::Result<std::vector<std::uint8_t>> forgeToken(const std::filesystem::path& dir, std::string_view kind,
                                                   std::int64_t now, const PhoneTokenOptions& options) {
  bool known = false;
  for (auto k : forgeKinds()) known = known || k == kind;
  if (!known) return core::fail(core::Errc::InvalidArgument, {"--kind " + std::string(kind)});
  auto keys = loadKitKeys(dir);
  if (!keys) return core::fail(keys.error());
  const apcv::InsurerCredential holder = holderCredential(keys->phone.publicKey(), kPhoneAppInstance, now);
  if (kind == "other-nir" || kind == "other-rights") {
    apcv::InsurerCredential altered = holder;
    if (kind == "other-nir") {
      IdentityGenerator gen(42);
      gen.next();
      gen.next();
      altered.insured.nir = gen.next().nir.value();  // a third person of the same generator
    } else {
      altered.rights.c2s = true;
      altered.rights.exemptions = {"ALD"};
    }
    auto forged = resigned(*keys, holder, altered);
    if (!forged) return core::fail(forged.error());
    return present(*forged, keys->phone, now, options);
  }
  if (kind == "long-delegation") {
    const apcv::InsurerCredential genuine = delegateCredential(keys->delegatePhone.publicKey(), now, now + 7 * kDay);
    apcv::InsurerCredential altered = genuine;
    altered.notAfter = now + 45 * kDay;
    altered.delegation->until = altered.notAfter;
    auto forged = resigned(*keys, genuine, altered);
    if (!forged) return core::fail(forged.error());
    return present(*forged, keys->delegatePhone, now, options);
  }
  if (kind == "self-issued") {
    // The holder's phone plays insurer: its own key signs a delegation to the delegate's phone.
    const apcv::InsurerCredential delegation =
        delegateCredential(keys->delegatePhone.publicKey(), now, now + 7 * kDay);
    auto self = apcv::signCredential(delegation, keys->phone, keys->phone.publicKey().kid());
    if (!self) return core::fail(self.error());
    return present(*self, keys->delegatePhone, now, options);
  }
  // foreign-credential: the holder's genuine insurer part, presented by another phone.
  auto genuine = apcv::signCredential(holder, keys->issuer, keys->issuerKid);
  if (!genuine) return core::fail(genuine.error());
  return present(*genuine, keys->delegatePhone, now, options);
}

int phoneForgeCommand(const std::vector<std::string>& args) {
  std::string kind, dir, png;
  bool ok = true;
  for (std::size_t i = 0; ok && i < args.size(); ++i) {
    if (args[i] == "--help") {
      usage(std::cout);
      return 0;
    }
    if (i + 1 >= args.size()) ok = false;
    else if (args[i] == "--kind") kind = args[++i];
    else if (args[i] == "--trust-dir") dir = args[++i];
    else if (args[i] == "--png") png = args[++i];
    else ok = false;
  }
  if (!ok || kind.empty() || dir.empty()) {
    usage(std::cerr);
    return 2;
  }
  auto cose = forgeToken(dir, kind, nowUnix());
  if (!cose) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(cose.error(), core::Lang::En) << '\n';
    return cose.error().code == core::Errc::InvalidArgument ? 2 : 3;
  }
  auto text = apcv::tokenText(*cose);
  if (!text) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(text.error(), core::Lang::En) << '\n';
    return 3;
  }
  if (!png.empty()) {
    if (auto w = writeQrPng(*text, png, 400, Degradation{}); !w) {
      std::cerr << "vitaledesk-sim: " << core::describeLine(w.error(), core::Lang::En) << '\n';
      return 3;
    }
  }
  std::cout << *text << '\n';
  return 0;
}

}  // namespace vd::sim
