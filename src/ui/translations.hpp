#pragma once
/// \file
/// The desk's translations. Source strings are English and plain ASCII ("...", not "…": _()
/// decodes its literal with the C library's locale, so a non-ASCII source string would be
/// empty under LANG=C before initTranslations), wrapped in _(); the French catalog
/// `resources/locale/fr/vitaledesk.po` is compiled to `vitaledesk.mo` at build time (msgfmt,
/// src/ui/CMakeLists.txt) into <build>/locale/fr/LC_MESSAGES/ and installed to
/// <prefix>/share/vitaledesk/locale/fr/LC_MESSAGES/. French is the default; English is
/// selectable (/Desk/Language). tools/update-translations.sh extracts the strings of every
/// src/ui file (xgettext -k_) and merges them into the catalog.

#include <string>

#include "core/messages.hpp"

namespace vd::ui {

/// Installs a wxTranslations for `lang` ("fr" or "en"; anything else → French) with the
/// "vitaledesk" catalog (and wxWidgets' own "wxstd" when present). Call on the UI thread
/// before creating windows. False when French was asked but the catalog was not found
/// (the desk then shows the English source strings).
bool initTranslations(const std::string& lang);

/// French UI: the desktop's locale for what wx formats itself (wxUILocale::UseDefault: the
/// date pickers show DD/MM/YYYY on a French desktop instead of the US format). The C library
/// keeps LC_NUMERIC "C" (the desk's own decimal text: prices, JSON) and a UTF-8 LC_CTYPE (as
/// initTranslations sets it; UseDefault would put back the "C" of LANG=C). English UI:
/// nothing changes. Call after initTranslations, before creating windows. False when the
/// desktop's locale is not available (wx keeps the C locale).
bool useDesktopLocale(core::Lang lang);

/// The language chosen by the last initTranslations (French before any call).
core::Lang currentLang();

}  // namespace vd::ui
