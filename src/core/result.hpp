#pragma once
/// \file
/// `Result<T>`: a value or an `Error` (expected-style; std::expected is C++23). Expected
/// failures travel as values; exceptions are for programming errors only.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace vd::core {

/// Wraps an error so that `return fail(...)` converts to any `Result<T>`.
struct Failure {
  Error error;
};

inline Failure fail(Error e) { return Failure{std::move(e)}; }
inline Failure fail(Errc code, std::vector<std::string> args = {}, std::string where = {}) {
  return Failure{makeError(code, std::move(args), std::move(where))};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  Result(Failure f) : m_v(std::in_place_index<1>, std::move(f.error)) {}  // NOLINT(implicit)

  bool ok() const noexcept { return m_v.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(m_v); }
  const T& value() const& { assert(ok()); return std::get<0>(m_v); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure f) : m_error(std::move(f.error)), m_ok(false) {}  // NOLINT(implicit)

  bool ok() const noexcept { return m_ok; }
  explicit operator bool() const noexcept { return m_ok; }
  const Error& error() const { assert(!m_ok); return m_error; }

 private:
  Error m_error;
  bool m_ok = true;
};

}  // namespace vd::core
