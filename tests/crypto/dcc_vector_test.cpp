// A real EU Digital COVID Certificate test vector (public test data, fictitious person):
// eu-digital-green-certificates/dgc-testdata, AT/2DCode/raw/1.json ("VALID: AT: Vaccination",
// EXPECTEDVERIFY true). It checks the whole envelope chain against an independent producer:
// Base45 → zlib → COSE_Sign1 (ES256, kid in the protected header) → CBOR claims.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/base45.hpp"
#include "crypto/cbor_value.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "crypto/zlib_codec.hpp"

using namespace vd::crypto;

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::string_view kBase45 =
    "NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B+9G4G50PHZF0AT4V22F/8X*G3M9JUPY0BX/KR96R/S09T./0LWTKD33236J3TA3M*"
    "4VV2 73-E3GG396B-43O058YIB73A*G3W19UEBY5:PI0EGSP4*2DN43U*0CEBQ/GXQFY73CIBC:G 7376BXBJBAJ "
    "UNFMJCRN0H3PQN*E33H3OA70M3FMJIJN523.K5QZ4A+2XEN QT QTHC31M3+E32R44$28A9H0D3ZCL4JMYAZ+S-A5$XKX6T2YC 35H/ITX8GL2-"
    "LH/CJTK96L6SR9MU9RFGJA6Q3QR$P2OIC0JVLA8J3ET3:H3A+2+33U "
    "SAAUOT3TPTO4UBZIC0JKQTL*QDKBO.AI9BVYTOCFOPS4IJCOT0$89NT2V457U8+9W2KQ-7LF9-DF07U$B97JJ1D7WKP/"
    "HLIJL8JF8JFHJP7NVDEBU1J*Z222E.GJ457661CFFTWM-8P2IUE7K*SSW613:9/:TT5IYQBTBU16R4I1A/9VRPJ-TS.7ZEM7MSVOCD4RG2L-"
    "TQJROXL2J:52J7F0Q10SMAP3CG3KHF0DWIH";

constexpr std::string_view kCoseHex =
    "d2844da20448d919375fc1e7b6b20126a0590133a4041a61817ca0061a60942ea001624154390103a101a4617681aa62646e01626d616d4f"
    "52472d3130303033303231356276706a313131393334393030376264746a323032312d30322d313862636f62415462636978315552"
    "4e3a555643493a30313a41543a31303830373834334639344145453045453530393346424332353442443831332342626d706c4555"
    "2f312f32302f31353238626973781b4d696e6973747279206f66204865616c74682c2041757374726961627364026274676938343035"
    "3339303036636e616da463666e74754d5553544552465241553c474f455353494e47455262666e754d7573746572667261752d47c3b6"
    "c39f696e67657263676e74684741425249454c4562676e684761627269656c656376657265312e302e3063646f626a313939382d3032"
    "2d323658405812fce67cb84c3911d78e3f61f890d0c80eb9675806aebed66aa2d0d0c91d1fc98d7bcb80bf00e181806a9502e11b0713"
    "25901bd0d2c1b6438747b8cc50f521";

constexpr std::string_view kCertificateBase64 =
    "MIIBvTCCAWOgAwIBAgIKAXk8i88OleLsuTAKBggqhkjOPQQDAjA2MRYwFAYDVQQDDA1BVCBER0MgQ1NDQSAxMQswCQYDVQQGEwJBVDEPMA0GA1UE"
    "CgwGQk1TR1BLMB4XDTIxMDUwNTEyNDEwNloXDTIzMDUwNTEyNDEwNlowPTERMA8GA1UEAwwIQVQgRFNDIDExCzAJBgNVBAYTAkFUMQ8wDQYDVQQK"
    "DAZCTVNHUEsxCjAIBgNVBAUTATEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASt1Vz1rRuW1HqObUE9MDe7RzIk1gq4XW5GTyHuHTj5cFEn2Rge"
    "37+hINfCZZcozpwQKdyaporPUP1TE7UWl0F3o1IwUDAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFO49y1ISb6cvXshLcp8UUp9VoGLQMB8GA1Ud"
    "IwQYMBaAFP7JKEOflGEvef2iMdtopsetwGGeMAoGCCqGSM49BAMCA0gAMEUCIQDG2opotWG8tJXN84ZZqT6wUBz9KF8D+z9NukYvnUEQ3QIgdBLF"
    "STSiDt0UJaDF6St2bkUQuVHW6fQbONd731/M4nc=";

Bytes fromHex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

PublicKey certificate() {
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < kCertificateBase64.size(); i += 64) {
    pem += std::string(kCertificateBase64.substr(i, 64)) + "\n";
  }
  pem += "-----END CERTIFICATE-----\n";
  auto key = PublicKey::fromPem(pem);
  EXPECT_TRUE(key.ok());
  return *key;
}

TEST(DccVector, Base45AndZlibGiveTheCoseBytes) {
  auto compressed = base45Decode(kBase45);
  ASSERT_TRUE(compressed.ok());
  auto cose = inflateIfCompressed(*compressed);
  ASSERT_TRUE(cose.ok());
  EXPECT_EQ(*cose, fromHex(kCoseHex));
}

TEST(DccVector, KidIsTheCertificateHashPrefix) {
  const PublicKey cert = certificate();
  EXPECT_EQ(toHex(cert.kid()), "d919375fc1e7b6b2");
  EXPECT_EQ(cert.type(), KeyType::EcP256);
}

TEST(DccVector, CoseSignatureVerifies) {
  const PublicKey cert = certificate();
  const CoseKeyLookup lookup = [&](std::span<const std::uint8_t> kid) -> std::optional<PublicKey> {
    if (Bytes(kid.begin(), kid.end()) == cert.kid()) return cert;
    return std::nullopt;
  };
  const CoseAlg allowed[] = {CoseAlg::ES256, CoseAlg::PS256};
  auto verified = coseSign1Verify(fromHex(kCoseHex), lookup, allowed);
  ASSERT_TRUE(verified.ok()) << static_cast<int>(verified.error().code);
  EXPECT_EQ(verified->alg, CoseAlg::ES256);
  EXPECT_TRUE(verified->kidProtected);
  // The claims: CWT map with issuer (1) "AT" and the health certificate (-260).
  auto claims = cbor::decode(verified->payload);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->find(1)->asText(), "AT");
  ASSERT_NE(claims->find(-260), nullptr);

  Bytes tampered = fromHex(kCoseHex);
  tampered[tampered.size() - 70] ^= 0x01;  // inside the payload
  EXPECT_EQ(coseSign1Verify(tampered, lookup, allowed).error().code, vd::core::Errc::CoseSignatureInvalid);
}

}  // namespace
