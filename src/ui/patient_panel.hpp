#pragma once
/// \file
/// The patient panel: the verdict badge with its reasons (verified = green, read but not
/// verified = orange, refused = red; words, not only colours), and — only when the verdict
/// allows it — identity, INS, the beneficiary to bill, AMO rights with their dates and
/// exemptions, AMC, the delegation notice, where the credential came from and how fresh the
/// rights are. A refused credential shows no person data. UI thread only.

#include <functional>
#include <optional>
#include <vector>

#include <wx/choice.h>
#include <wx/panel.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "app/credential_view.hpp"
#include "app/desk_settings.hpp"
#include "core/messages.hpp"

namespace vd::ui {

class PatientPanel : public wxPanel {
 public:
  PatientPanel(wxWindow* parent, core::Lang lang);

  void show(const app::CredentialView& view);
  /// A read failed before any verdict (card removed mid-read…): badge "not read" with the cause.
  void showFailure(const core::Error& error);
  void clear();
  void setProfile(app::Profile profile);

  /// The chosen beneficiary (0 = insured); nullopt when nothing billable is shown.
  std::optional<std::size_t> selectedBeneficiary() const;
  void selectBeneficiary(std::size_t index);
  /// Called when the user chooses another beneficiary.
  void onBeneficiaryChanged(std::function<void(std::size_t)> callback) { m_onChanged = std::move(callback); }

  const std::optional<app::CredentialView>& current() const { return m_view; }
  wxString badgeText() const { return m_badge->GetLabel(); }
  /// Every visible text of the panel, one per line (tests: no person data when refused).
  wxString visibleText() const;

  /// The words of a verdict reason (card reason ids and token errors).
  static wxString reasonText(const app::Reason& reason, core::Lang lang);

 private:
  wxStaticText* addField(const char* name);
  int wrapWidth() const;
  void showBeneficiary(std::size_t index);
  void layoutSections();

  core::Lang m_lang;
  app::Profile m_profile = app::Profile::Gp;
  std::optional<app::CredentialView> m_view;
  wxBoxSizer* m_sections = nullptr;
  wxStaticText* m_badge = nullptr;
  wxStaticText* m_reasons = nullptr;
  wxStaticText* m_delegation = nullptr;
  wxStaticText* m_identity = nullptr;
  wxStaticText* m_ins = nullptr;
  wxChoice* m_beneficiaries = nullptr;
  wxStaticText* m_rights = nullptr;
  wxStaticText* m_amc = nullptr;
  wxStaticText* m_source = nullptr;
  wxStaticText* m_freshness = nullptr;
  std::function<void(std::size_t)> m_onChanged;
};

}  // namespace vd::ui
