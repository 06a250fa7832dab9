#include "core/nir.hpp"

#include <cctype>
#include <cstdint>

namespace vd::core {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Checks the 13-character body and returns its numeric value with the Corsican
// substitution applied (2A → 19, 2B → 18).
Result<std::uint64_t> bodyValue(std::string_view body) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < 13; ++i) {
    const char c = body[i];
    if (i == 6 && (c == 'A' || c == 'B')) {
      if (body[5] != '2') return fail(Errc::NirCharacter, {std::to_string(i + 1)});
      // "2A" becomes "19", "2B" becomes "18": undo the '2' already added, add 1 then 9/8.
      n = (n / 10) * 10 + 1;
      n = n * 10 + (c == 'A' ? 9 : 8);
      continue;
    }
    if (!isDigit(c)) return fail(Errc::NirCharacter, {std::to_string(i + 1)});
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  const char sex = body[0];
  if (sex != '1' && sex != '2' && sex != '7' && sex != '8') {
    return fail(Errc::NirSexDigit, {std::string(1, sex)});
  }
  const int month = (body[3] - '0') * 10 + (body[4] - '0');
  const bool monthOk = (month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50;
  if (!monthOk) return fail(Errc::NirMonth, {std::string(body.substr(3, 2))});
  if (body[5] == '0' && body[6] == '0') return fail(Errc::NirDepartment, {"00"});
  return n;
}

}  // namespace

Result<int> Nir::computeKey(std::string_view body13) {
  if (body13.size() != 13) return fail(Errc::NirLength, {std::to_string(body13.size())});
  auto value = bodyValue(body13);
  if (!value) return fail(value.error());
  return static_cast<int>(97 - (*value % 97));
}

Result<Nir> Nir::parse(std::string_view text) {
  std::string s;
  s.reserve(15);
  for (const char c : text) {
    if (c == ' ') continue;
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (s.size() > 32) break;  // bound the work on hostile input
  }
  if (s.size() != 15) return fail(Errc::NirLength, {std::to_string(s.size())});
  auto expected = computeKey(std::string_view(s).substr(0, 13));
  if (!expected) return fail(expected.error());
  if (!isDigit(s[13]) || !isDigit(s[14])) {
    return fail(Errc::NirCharacter, {std::to_string(isDigit(s[13]) ? 15 : 14)});
  }
  const int read = (s[13] - '0') * 10 + (s[14] - '0');
  if (read != *expected) {
    char buf[3] = {static_cast<char>('0' + *expected / 10), static_cast<char>('0' + *expected % 10), 0};
    return fail(Errc::NirKeyMismatch, {buf, s.substr(13, 2)});
  }
  return Nir(std::move(s));
}

std::string Nir::formatted() const {
  const std::string_view v = m_value;
  std::string out;
  out.reserve(21);
  out.append(v.substr(0, 1)).append(" ").append(v.substr(1, 2)).append(" ");
  out.append(v.substr(3, 2)).append(" ").append(v.substr(5, 2)).append(" ");
  out.append(v.substr(7, 3)).append(" ").append(v.substr(10, 3)).append(" ");
  out.append(v.substr(13, 2));
  return out;
}

Nir::Kind Nir::kind() const {
  return m_value[0] == '7' || m_value[0] == '8' ? Kind::Temporary : Kind::Permanent;
}

Nir::Sex Nir::sex() const {
  return m_value[0] == '1' || m_value[0] == '7' ? Sex::Male : Sex::Female;
}

int Nir::yearTwoDigits() const { return (m_value[1] - '0') * 10 + (m_value[2] - '0'); }
int Nir::month() const { return (m_value[3] - '0') * 10 + (m_value[4] - '0'); }
int Nir::key() const { return (m_value[13] - '0') * 10 + (m_value[14] - '0'); }

}  // namespace vd::core
