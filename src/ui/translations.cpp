#include "ui/translations.hpp"

#include <clocale>
#include <langinfo.h>
#include <string_view>

#include <wx/intl.h>
#include <wx/translation.h>
#include <wx/uilocale.h>

#include "app/resources.hpp"

namespace vd::ui {
namespace {
core::Lang g_lang = core::Lang::Fr;
void keepUtf8Ctype() {
  if (std::string_view(nl_langinfo(CODESET)) != "UTF-8") std::setlocale(LC_CTYPE, "C.UTF-8");
}
}  // namespace

bool initTranslations(const std::string& lang) {
  g_lang = core::parseLang(lang).value_or(core::Lang::Fr);
  // _() converts its UTF-8 source literal ("Browse…", "·") with the C library's multibyte
  // conversion: under a non-UTF-8 LC_CTYPE (the "C" locale of a service or a CI job) every
  // non-ASCII string would come out empty. The desk's sources are UTF-8, so is LC_CTYPE.
  keepUtf8Ctype();
  // Installed layout first, then the build tree's compiled catalogs (a run from the build dir).
  if (const auto dir = app::resourcesDir())
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString::FromUTF8((*dir / "locale").string()));
#ifdef VD_BUILD_LOCALE_DIR
  wxFileTranslationsLoader::AddCatalogLookupPathPrefix(VD_BUILD_LOCALE_DIR);
#endif
  auto* translations = new wxTranslations;
  wxTranslations::Set(translations);  // takes ownership, deletes the previous one
  if (g_lang == core::Lang::En) {
    translations->SetLanguage(wxLANGUAGE_ENGLISH);
    return true;
  }
  translations->SetLanguage(wxLANGUAGE_FRENCH);
  translations->AddStdCatalog();  // wxWidgets' stock labels; absent is fine
  return translations->AddCatalog("vitaledesk", wxLANGUAGE_ENGLISH_US) && translations->IsLoaded("vitaledesk");
}

bool useDesktopLocale(core::Lang lang) {
  if (lang != core::Lang::Fr) return true;
  const bool ok = wxUILocale::UseDefault();  // setlocale(LC_ALL, "") underneath
  std::setlocale(LC_NUMERIC, "C");
  keepUtf8Ctype();
  return ok;
}

core::Lang currentLang() {
  return g_lang;
}

}  // namespace vd::ui
