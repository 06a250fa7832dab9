#include "core/clock.hpp"

namespace vd::core {

Date utcDate(UnixSeconds t) {
  constexpr UnixSeconds kDay = 86400;
  const UnixSeconds days = t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay);
  return Date::fromDayNumber(static_cast<std::int32_t>(days));
}

}  // namespace vd::core
