#pragma once
/// \file
/// Small conversions between the UTF-8 strings of the domain and wxString, shared by the
/// panels: amounts, dates and error sentences in the desk's language.

#include <string_view>

#include <wx/datetime.h>
#include <wx/string.h>

#include "core/date.hpp"
#include "core/messages.hpp"
#include "core/money.hpp"

namespace vd::ui {

inline wxString utf8(std::string_view s) {
  return wxString::FromUTF8(s.data(), s.size());
}

/// "30,00 €" in French, "€30.00" in English.
inline wxString moneyText(core::Money m, core::Lang lang) {
  return lang == core::Lang::Fr ? utf8(m.toFrench()) : utf8("€" + m.toString());
}

/// The user sentence of an error (cause and action, with where), in the desk's language.
inline wxString errorText(const core::Error& e, core::Lang lang) {
  return utf8(core::describeLine(e, lang));
}

inline core::Date fromWxDate(const wxDateTime& d) {
  return *core::Date::fromYmd(d.GetYear(), static_cast<int>(d.GetMonth()) + 1, d.GetDay());
}

inline wxDateTime toWxDate(core::Date d) {
  return wxDateTime(static_cast<wxDateTime::wxDateTime_t>(d.day()), static_cast<wxDateTime::Month>(d.month() - 1),
                    d.year());
}

}  // namespace vd::ui
