#include "crypto/cbor_value.hpp"

#include <vector>

#include <gtest/gtest.h>

using vd::core::Errc;
using namespace vd::crypto::cbor;

namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(Cbor, DecodesScalarsFromRfc8949AppendixA) {
  EXPECT_EQ(decode(Bytes{0x00})->asInt(), 0);
  EXPECT_EQ(decode(Bytes{0x18, 0x64})->asInt(), 100);
  EXPECT_EQ(decode(Bytes{0x39, 0x03, 0xe7})->asInt(), -1000);
  EXPECT_EQ(decode(Bytes{0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})->asInt(), INT64_MAX);
  EXPECT_EQ(decode(Bytes{0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})->asInt(), INT64_MIN);
  EXPECT_EQ(decode(Bytes{0x44, 1, 2, 3, 4})->asBytes(), (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(decode(Bytes{0x64, 'I', 'E', 'T', 'F'})->asText(), "IETF");
  EXPECT_TRUE(decode(Bytes{0xf5})->asBool());
  EXPECT_FALSE(decode(Bytes{0xf4})->asBool());
  EXPECT_TRUE(decode(Bytes{0xf6})->isNull());
  EXPECT_EQ(decode(Bytes{0xf7})->kind(), Value::Kind::Undefined);
  EXPECT_DOUBLE_EQ(decode(Bytes{0xf9, 0x3c, 0x00})->asFloat(), 1.0);
  auto tagged = decode(Bytes{0xc1, 0x1a, 0x51, 0x4b, 0x67, 0xb0});
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->tag(), 1u);
  EXPECT_EQ(tagged->tagContent().asInt(), 1363896240);
}

TEST(Cbor, DecodesMapsWithIntAndTextKeys) {
  // {1: -7, 4: h'6b6964', "iss": "CNAM", "v": [1, {"a": true}]}
  const Bytes data{0xa4, 0x01, 0x26, 0x04, 0x43, 'k', 'i',  'd',  0x63, 'i',  's', 's', 0x64,
                   'C',  'N',  'A',  'M',  0x61, 'v', 0x82, 0x01, 0xa1, 0x61, 'a', 0xf5};
  auto v = decode(data);
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->isMap());
  EXPECT_EQ(v->find(1)->asInt(), -7);
  EXPECT_EQ(v->find(4)->asBytes(), (Bytes{'k', 'i', 'd'}));
  EXPECT_EQ(v->find("iss")->asText(), "CNAM");
  EXPECT_TRUE(v->find("v")->items().at(1).find("a")->asBool());
  EXPECT_EQ(v->find(2), nullptr);
  EXPECT_EQ(v->find("x"), nullptr);
  EXPECT_EQ(encode(*v), data);  // shortest heads, stored order: the same bytes back
}

TEST(Cbor, EncodeDecodeRoundTrip) {
  const Value v = Value::tagged(
      18, Value::array({Value::integer(-1), Value::integer(24), Value::integer(INT64_MIN), Value::integer(INT64_MAX),
                        Value::bytes(Bytes(300, 7)), Value::text("é"), Value::boolean(true), Value::null(),
                        Value::undefined(), Value::floating(1.5),
                        Value::map({{Value::integer(1), Value::array({})}, {Value::text("k"), Value::map({})}})}));
  const Bytes encoded = encode(v);
  auto back = decode(encoded);
  ASSERT_TRUE(back.ok()) << (back.ok() ? "" : back.error().args.at(0));
  EXPECT_EQ(*back, v);
  EXPECT_EQ(encode(*back), encoded);
}

TEST(Cbor, RefusesMalformedInput) {
  const std::vector<Bytes> cases = {
      {},                                 // empty
      {0x18},                             // truncated head
      {0x44, 1, 2},                       // truncated byte string
      {0x82, 0x01},                       // array missing an item
      {0xa1, 0x01},                       // map missing a value
      {0x01, 0x02},                       // trailing bytes
      {0x5f, 0x41, 0x00, 0xff},           // indefinite byte string
      {0x9f, 0x01, 0xff},                 // indefinite array
      {0xbf, 0x01, 0x02, 0xff},           // indefinite map
      {0xff},                             // lone break
      {0x1c},                             // reserved additional information
      {0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0},  // integer above INT64_MAX
      {0xa2, 0x01, 0x02, 0x01, 0x03},     // duplicate key
      {0x9a, 0xff, 0xff, 0xff, 0xff},     // 4 G items declared, none present
      {0xc1},                             // tag without content
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto r = decode(cases[i]);
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().code, Errc::CborMalformed) << i;
  }
}

TEST(Cbor, EnforcesDepthLimit) {
  Bytes deep(16, 0x81);
  deep.push_back(0x00);  // 16 nested one-element arrays: at the limit
  EXPECT_TRUE(decode(deep).ok());
  Bytes deeper(17, 0x81);
  deeper.push_back(0x00);
  auto r = decode(deeper);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::CborLimit);
  Bytes tags(40, 0xc1);  // tags count as nesting too
  tags.push_back(0x00);
  EXPECT_EQ(decode(tags).error().code, Errc::CborLimit);
  Bytes huge(100000, 0x81);  // a very deep input is refused early, not recursed into
  huge.push_back(0x00);
  EXPECT_EQ(decode(huge, Limits{.maxInputBytes = 200000}).error().code, Errc::CborLimit);
}

TEST(Cbor, EnforcesSizeAndItemLimits) {
  Bytes big{0x5a, 0x00, 0x01, 0x00, 0x00};
  big.resize(big.size() + 65536, 0);
  auto tooBig = decode(big);
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.error().code, Errc::CborLimit);
  EXPECT_TRUE(decode(big, Limits{.maxInputBytes = 70000}).ok());

  Bytes many{0x99, 0x13, 0x88};  // array of 5000 zeros
  many.resize(many.size() + 5000, 0x00);
  EXPECT_EQ(decode(many).error().code, Errc::CborLimit);
  EXPECT_TRUE(decode(many, Limits{.maxItems = 5001}).ok());
  EXPECT_EQ(decode(many, Limits{.maxItems = 5000}).error().code, Errc::CborLimit);
}

}  // namespace
