// QR size of the ApCV token (issue 12), printed into docs/PERFORMANCE.md by bench/run.sh:
//  - VD2 (insurer-signed credential + phone-signed presentation over its digest) against the
//    VD1 layout it replaced (claims signed by the phone alone, a COSE app certificate by the
//    issuer in header -65537), VD1 rebuilt here from the same persons and keys, for three
//    holders: the kit's (one child), the delegated kit, a family of four children;
//  - each VD2 code rendered (ECC M) into a 640×480 camera frame at the sizes a desk webcam gets
//    (sharp, upright) and decoded by ZXing: the module size in pixels and whether it reads.
#include "apcv_bench.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/cbor_value.hpp"
#include "crypto/cose.hpp"
#include "reader/apcv/token.hpp"
#include "reader/image/qr_reader.hpp"
#include "sim/identity_generator.hpp"
#include "sim/phone_kit.hpp"
#include "sim/qr_png.hpp"

namespace {

namespace apcv = vd::reader::apcv;
namespace cbor = vd::crypto::cbor;
using Bytes = std::vector<std::uint8_t>;

struct Holder {
  const char* name;
  apcv::InsurerCredential credential;
  const vd::crypto::PrivateKey* phone;
};

cbor::MapEntry entry(std::string_view key, cbor::Value v) {
  return cbor::MapEntry{cbor::Value::text(std::string(key)), std::move(v)};
}
cbor::MapEntry entry(std::int64_t key, cbor::Value v) { return cbor::MapEntry{cbor::Value::integer(key), std::move(v)}; }

// The VD1 token of the same holder: the phone signed the identity and rights itself; the issuer
// only certified the app key (`{1: iss, "aid", "key", 5: nbf, 4: naf}`, header -65537).
vd::core::Result<std::string> vd1Token(const Holder& h, const apcv::DeviceClaims& device, const vd::sim::KitKeys& keys) {
  const apcv::InsurerCredential& c = h.credential;
  auto parts = cbor::decode(apcv::encodeInsurerCredential(c));  // the person and rights maps, as encoded
  if (!parts) return vd::core::fail(parts.error());
  std::vector<cbor::MapEntry> cert{entry(1, cbor::Value::text(c.issuer)), entry("aid", cbor::Value::text(c.appInstanceId)),
                                   entry("key", cbor::Value::bytes(c.publicKeyDer)),
                                   entry(5, cbor::Value::integer(c.notBefore)), entry(4, cbor::Value::integer(c.notAfter))};
  auto certCose = vd::crypto::coseSign1Sign(cbor::encode(cbor::Value::map(std::move(cert))), keys.issuer,
                                            vd::crypto::CoseAlg::ES256, keys.issuerKid);
  if (!certCose) return vd::core::fail(certCose.error());
  std::vector<cbor::MapEntry> claims{entry(1, cbor::Value::text(c.issuer)), entry(6, cbor::Value::integer(device.issuedAt)),
                                     entry(4, cbor::Value::integer(device.expiresAt)),
                                     entry(7, cbor::Value::bytes(device.tokenId)),
                                     entry("aid", cbor::Value::text(c.appInstanceId))};
  for (const char* key : {"ins", "ben", "rts"})
    if (const cbor::Value* v = parts->find(key)) claims.push_back(entry(key, *v));
  if (c.delegation)
    claims.push_back(entry("dlg", cbor::Value::map({entry("nom", cbor::Value::text(c.delegation->birthName)),
                                                    entry("prn", cbor::Value::text(c.delegation->firstNames)),
                                                    entry("til", cbor::Value::integer(c.notAfter))})));
  auto signed_ = vd::crypto::coseSign1Sign(cbor::encode(cbor::Value::map(std::move(claims))), *h.phone,
                                           vd::crypto::CoseAlg::ES256, h.phone->publicKey().kid());
  if (!signed_) return vd::core::fail(signed_.error());
  auto m = vd::crypto::parseCoseSign1(*signed_);
  if (!m) return vd::core::fail(m.error());
  const Bytes cose = cbor::encode(cbor::Value::tagged(
      vd::crypto::kCoseSign1Tag,
      cbor::Value::array({cbor::Value::bytes(m->protectedBytes),
                          cbor::Value::map({entry(apcv::kOutdatedAppCertificateHeader, cbor::Value::bytes(*certCose))}),
                          cbor::Value::bytes(m->payload), cbor::Value::bytes(m->signature)})));
  return apcv::tokenText(cose, apcv::kOutdatedPrefix);
}

// Modules of the QR code of `text` (ECC M, as the phone shows it): renderQr at 64 px draws one
// pixel per module plus the 4-module quiet zone on each side.
int qrModules(const std::string& text) {
  auto img = vd::sim::renderQr(text, 64);
  return img ? img->width - 8 : -1;
}

}  // namespace

int runApcvSizeBench() {
  const auto dir = std::filesystem::temp_directory_path() / ("vd-apcv-size-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::int64_t now = vd::sim::nowUnix();  // issuer certificates are valid around the real time
  if (!vd::sim::apcvInit(dir, now)) return 3;
  auto keys = vd::sim::loadKitKeys(dir);
  if (!keys) return 3;
  Holder family{"family (4 children)", vd::sim::holderCredential(keys->phone.publicKey(), vd::sim::kPhoneAppInstance, now),
                &keys->phone};
  vd::sim::IdentityGenerator gen(7);
  for (int rank = 1; rank <= 3; ++rank) {
    const vd::sim::SyntheticIdentity id = gen.next();
    family.credential.beneficiaries.push_back(apcv::Person{id.nir.value(), id.birthName, id.firstNames.front(),
                                                           id.birthDate.raw(), 1, 6, "1.2.250.1.213.1.4.10"});
  }
  const std::vector<Holder> holders{
      {"kit holder (1 child)", vd::sim::holderCredential(keys->phone.publicKey(), vd::sim::kPhoneAppInstance, now),
       &keys->phone},
      {"delegated", vd::sim::delegateCredential(keys->delegatePhone.publicKey(), now, now + 7 * 86400),
       &keys->delegatePhone},
      family};
  auto device = vd::sim::kitPresentation(now, {});
  if (!device) return 3;

  std::printf("\n### ApCV QR size: VD2 against the VD1 layout it replaced\n\n");
  std::printf("Same persons, keys (ES256) and token id; VD1 rebuilt by `bench/apcv_size_bench.cpp` (claims signed by the"
              " phone, issuer-signed app certificate). QR at ECC level M (what the phone shows); version ="
              " (modules − 17) / 4. Decode: the VD2 code drawn 200, 220 … 460 px square (quiet zone included) in a"
              " 640×480 frame (sharp, upright, bilinear scaling as `sim::cameraFrame`), read by the desk's decoder"
              " (ZXing, then zbar after a miss); success = the exact text.\n\n");
  std::printf("| holder | VD1 chars | VD2 COSE bytes | VD2 chars | VD2 / VD1 | VD1 modules (version) | VD2 modules (version) |"
              " VD2 read at 640×480 (sizes) | smallest read, px/module |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const Holder& h : holders) {
    auto credential = apcv::signCredential(h.credential, keys->issuer, keys->issuerKid);
    if (!credential) return 3;
    auto cose = apcv::presentCose(*credential, *device, *h.phone);
    auto vd2 = cose ? apcv::tokenText(*cose) : vd::core::Result<std::string>(vd::core::fail(cose.error()));
    auto vd1 = vd1Token(h, *device, *keys);
    if (!vd2 || !vd1) return 3;
    const int m1 = qrModules(*vd1), m2 = qrModules(*vd2);
    std::printf("| %s | %zu | %zu | %zu | %.2f× | %d (%d) | %d (%d) |", h.name, vd1->size(), cose->size(), vd2->size(),
                static_cast<double>(vd2->size()) / static_cast<double>(vd1->size()), m1, (m1 - 17) / 4, m2, (m2 - 17) / 4);
    int read = 0, sizes = 0;
    double smallest = 0;  // px per module of the smallest size read
    for (int side = 200; side <= 460; side += 20, ++sizes) {
      auto frame = vd::sim::cameraFrame(*vd2, side, 640, 480, {0, 0, 0, 1});
      if (!frame) return 3;
      auto r = vd::reader::image::decodeQr(vd::reader::image::Frame::of(*frame), vd::reader::image::QrEngine::ZXingThenZbar);
      if (!r || r->text != *vd2) continue;
      ++read;
      if (smallest == 0) smallest = static_cast<double>(side) / (m2 + 8);
    }
    std::printf(" %d/%d | %.2f |", read, sizes, smallest);
    std::printf("\n");
  }
  std::filesystem::remove_all(dir);
  return 0;
}
