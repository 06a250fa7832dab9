#include "ui/patient_panel.hpp"

#include <wx/intl.h>

#include <algorithm>
#include <wx/settings.h>

namespace vd::ui {

// Non-ASCII punctuation from UTF-8 (a narrow literal would go through the C locale).
const wxString kDash = wxString::FromUTF8(" \u2014 ");
const wxString kBullet = wxString::FromUTF8("\u2022 ");
namespace {

wxString u8(const std::string& s) { return wxString::FromUTF8(s); }

// "1 55 08 14 168 025 38": the NIR as it is printed on the card.
wxString spacedNir(const std::string& nir) {
  if (nir.size() != 15) return u8(nir);
  return u8(nir.substr(0, 1) + " " + nir.substr(1, 2) + " " + nir.substr(3, 2) + " " + nir.substr(5, 2) + " " +
            nir.substr(7, 3) + " " + nir.substr(10, 3) + " " + nir.substr(13, 2));
}

// YYYYMMDD → DD/MM/YYYY; a lunar date (day or month 00) is shown as it is, with the raw form.
wxString birthDate(const std::string& raw) {
  if (raw.size() != 8) return u8(raw);
  return u8(raw.substr(6, 2) + "/" + raw.substr(4, 2) + "/" + raw.substr(0, 4));
}

wxString qualiteText(const std::string& code) {
  if (code == "00") return _("insured");
  if (code == "01" || code == "02") return _("spouse");
  if (code == "06") return _("child");
  return wxString::Format(_("other (%s)"), u8(code));
}

wxString period(const app::PeriodView& p) {
  wxString text = p.to.empty() ? wxString::Format(_("from %s"), u8(p.from))
                               : wxString::Format(_("%s to %s"), u8(p.from), u8(p.to));
  if (!p.coversToday) text += " " + _("(not in force today)");
  return text;
}

wxString originText(app::CredentialOrigin o) {
  switch (o) {
    case app::CredentialOrigin::Card: return _("carte Vitale (card reader)");
    case app::CredentialOrigin::QrScanner: return _("appli carte Vitale: QR code (USB scanner)");
    case app::CredentialOrigin::QrKeyboard: return _("appli carte Vitale: QR code (keyboard scanner)");
    case app::CredentialOrigin::QrImage: return _("appli carte Vitale: QR code (image)");
    case app::CredentialOrigin::Nfc: return _("appli carte Vitale: NFC");
    case app::CredentialOrigin::QrCamera: return _("appli carte Vitale: QR code (camera)");
  }
  return {};
}

wxString exemptionText(const std::string& kind) {
  return kind == "ALD"   ? _("ALD (long-term illness)")
         : kind == "MAT" ? _("maternity")
         : kind == "C2S" ? _("C2S (free complementary cover)")
                         : u8(kind);
}

// "The insurer's answer differs from the card: ..." (the online answer is the one used).
wxString changeText(const app::RightsChange& c) {
  using Kind = app::RightsChange::Kind;
  switch (c.kind) {
    case Kind::AmoClosed: return _("AMO rights CLOSED");
    case Kind::FundChanged: return _("another fund");
    case Kind::ExemptionAdded: return wxString::Format(_("%s added"), exemptionText(c.what));
    case Kind::ExemptionRemoved: return wxString::Format(_("%s ended"), exemptionText(c.what));
    case Kind::AmcAdded: return wxString::Format(_("AMC %s added"), u8(c.what));
    case Kind::AmcRemoved: return wxString::Format(_("AMC %s ended"), u8(c.what));
    case Kind::AmcChanged: return wxString::Format(_("AMC now %s"), u8(c.what));
  }
  return {};
}

const wxColour kGreen(0x1B, 0x7F, 0x2A), kOrange(0xC2, 0x5E, 0x00), kRed(0xB0, 0x10, 0x10), kGrey(0x60, 0x60, 0x60);

}  // namespace

wxString PatientPanel::reasonText(const app::Reason& reason, core::Lang lang) {
  if (reason.error) {
    const core::UserMessage m = core::describe(*reason.error, lang);
    return u8(m.cause + " " + m.action);
  }
  return u8(reason.id);  // a refused token without a reason: its id
}

PatientPanel::PatientPanel(wxWindow* parent, core::Lang lang) : wxPanel(parent, wxID_ANY), m_lang(lang) {
  SetName("patient");
  auto* top = new wxBoxSizer(wxVERTICAL);
  m_badge = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                             wxALIGN_CENTRE_HORIZONTAL | wxST_NO_AUTORESIZE);
  m_badge->SetName("verdict-badge");
  wxFont big = m_badge->GetFont();
  big.SetPointSize(big.GetPointSize() + 6);
  big.SetWeight(wxFONTWEIGHT_BOLD);
  m_badge->SetFont(big);
  top->Add(m_badge, 0, wxEXPAND | wxALL, 6);
  m_reasons = new wxStaticText(this, wxID_ANY, wxEmptyString);
  m_reasons->SetName("reasons");
  top->Add(m_reasons, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
  m_delegation = new wxStaticText(this, wxID_ANY, wxEmptyString);
  m_delegation->SetName("delegation");
  wxFont bold = m_delegation->GetFont();
  bold.SetWeight(wxFONTWEIGHT_BOLD);
  m_delegation->SetFont(bold);
  m_delegation->SetForegroundColour(kOrange);
  top->Add(m_delegation, 0, wxEXPAND | wxALL, 8);

  m_sections = new wxBoxSizer(wxVERTICAL);
  m_identity = addField("identity");
  m_identity->SetFont(bold);
  m_ins = addField("ins");
  m_beneficiaries = new wxChoice(this, wxID_ANY);
  m_beneficiaries->SetName("beneficiary-choice");
  m_beneficiaries->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
    if (e.GetSelection() < 0) return;
    showBeneficiary(static_cast<std::size_t>(e.GetSelection()));
    if (m_onChanged) m_onChanged(static_cast<std::size_t>(e.GetSelection()));
  });
  m_rights = addField("rights");
  m_amc = addField("amc");
  top->Add(m_sections, 1, wxEXPAND);
  m_source = new wxStaticText(this, wxID_ANY, wxEmptyString);
  m_source->SetName("source");
  m_source->SetForegroundColour(kGrey);
  top->Add(m_source, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
  m_freshness = new wxStaticText(this, wxID_ANY, wxEmptyString);
  m_freshness->SetName("freshness");
  m_freshness->SetForegroundColour(kGrey);
  top->Add(m_freshness, 0, wxEXPAND | wxALL, 8);
  SetSizer(top);
  layoutSections();
  clear();
}

int PatientPanel::wrapWidth() const {
  // Long reasons wrap inside the panel (a bare wxStaticText would cut them).
  return std::max(GetClientSize().x - 20, 300);
}

wxStaticText* PatientPanel::addField(const char* name) {
  auto* t = new wxStaticText(this, wxID_ANY, wxEmptyString);
  t->SetName(name);
  return t;
}

void PatientPanel::layoutSections() {
  m_sections->Clear(false);
  std::vector<wxWindow*> order;
  switch (m_profile) {
    // The pharmacy bills AMC in tiers payant first; the GP needs the person and the ALD first;
    // reception checks the identity (INS) and the rights before anything else.
    case app::Profile::Pharmacy: order = {m_identity, m_beneficiaries, m_amc, m_rights, m_ins}; break;
    case app::Profile::Reception: order = {m_identity, m_ins, m_rights, m_amc, m_beneficiaries}; break;
    case app::Profile::Gp: order = {m_identity, m_beneficiaries, m_rights, m_amc, m_ins}; break;
  }
  for (wxWindow* w : order) m_sections->Add(w, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 8);
  Layout();
}

void PatientPanel::setProfile(app::Profile profile) {
  m_profile = profile;
  layoutSections();
}

void PatientPanel::clear() {
  m_view.reset();
  m_badge->SetLabel(_("No patient"));
  m_badge->SetBackgroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_BTNFACE));
  m_badge->SetForegroundColour(kGrey);
  m_reasons->SetLabel(_("Insert a carte Vitale or present the appli carte Vitale."));
  for (wxStaticText* t : {m_delegation, m_identity, m_ins, m_rights, m_amc, m_source, m_freshness}) t->SetLabel("");
  m_beneficiaries->Clear();
  m_beneficiaries->Hide();
  Layout();
  Refresh();
}

void PatientPanel::showFailure(const core::Error& error) {
  clear();
  m_badge->SetLabel(_("NOT READ"));
  m_badge->SetBackgroundColour(kRed);
  m_badge->SetForegroundColour(*wxWHITE);
  const core::UserMessage m = core::describe(error, m_lang);
  m_reasons->SetLabel(u8(m.cause + "\n" + m.action));
  m_reasons->Wrap(wrapWidth());
  Layout();
}

void PatientPanel::show(const app::CredentialView& view) {
  clear();
  m_view = view;
  wxString reasons;
  for (const app::Reason& r : view.reasons) reasons += kBullet + reasonText(r, m_lang) + "\n";
  switch (view.verdict) {
    case app::CredentialVerdict::Verified:
      m_badge->SetLabel(_("VERIFIED"));
      m_badge->SetBackgroundColour(kGreen);
      break;
    case app::CredentialVerdict::ReadNotVerified:
      m_badge->SetLabel(_("READ, NOT VERIFIED"));
      m_badge->SetBackgroundColour(kOrange);
      reasons += _("Check the patient's identity by another means; do not bill from these data.");
      break;
    case app::CredentialVerdict::Refused:
      m_badge->SetLabel(_("REFUSED"));
      m_badge->SetBackgroundColour(kRed);
      break;
  }
  if (view.verdict == app::CredentialVerdict::Verified && !view.amoOpen) {
    // Authentic credential, but the insurer says the rights are closed: nothing to bill.
    m_badge->SetLabel(_("RIGHTS CLOSED"));
    m_badge->SetBackgroundColour(kOrange);
    reasons += kBullet + _("The insurer reports online that the AMO rights are closed: do not bill an FSE.");
  }
  wxString source = _("Source:") + " " + originText(view.origin) + (view.device.empty() ? wxString() : kDash + u8(view.device));
  if (view.origin != app::CredentialOrigin::Card) {
    // The "trust material is N days old" status of every token verdict (issue #4).
    source += "\n" + (view.trustAgeDays ? wxString::Format(_("Trust material: %d days old"), *view.trustAgeDays)
                                        : _("Trust material: date unknown"));
    if (view.trustAgeDays && *view.trustAgeDays > app::kTrustStaleDays) {
      const core::UserMessage m = core::describe(
          core::makeError(core::Errc::DeskTrustStale,
                          {std::to_string(*view.trustAgeDays), std::to_string(app::kTrustStaleDays)}),
          m_lang);
      if (!reasons.empty() && !reasons.EndsWith("\n")) reasons += "\n";
      reasons += kBullet + u8(m.cause + " " + m.action);
    }
  }
  m_badge->SetForegroundColour(*wxWHITE);
  m_reasons->SetLabel(reasons.Trim());
  m_reasons->Wrap(wrapWidth());
  m_source->SetLabel(source);
  if (view.verdict == app::CredentialVerdict::Refused || view.beneficiaries.empty()) {
    // Never show anything of a refused credential's holder.
    Layout();
    Refresh();
    return;
  }
  if (view.delegation) {
    m_delegation->SetLabel(wxString::Format(_("Presented by %s on behalf of %s until %s"),
                                            u8(view.delegation->delegate), u8(view.delegation->holder),
                                            u8(view.delegation->until)));
    m_delegation->Wrap(wrapWidth());
  }
  for (const auto& b : view.beneficiaries)
    m_beneficiaries->Append(u8(b.birthName + " " + b.firstName) + " (" + qualiteText(b.qualite) + ")");
  m_beneficiaries->Show(view.beneficiaries.size() > 1);
  m_beneficiaries->SetSelection(0);
  const wxString from = view.origin == app::CredentialOrigin::Card ? _("card") : _("token");
  wxString freshness = view.rightsOnline
                           ? wxString::Format(_("Rights refreshed online at %s"), u8(view.refreshedAt))
                           : wxString::Format(_("Offline: rights from the %s, as of %s"), from, u8(view.rightsAsOf));
  if (view.rightsOnline && !view.onlineChanges.empty()) {
    // The online answer wins: say so plainly, in red.
    wxString changes;
    for (const app::RightsChange& c : view.onlineChanges) changes += (changes.empty() ? "" : ", ") + changeText(c);
    freshness += "\n" + wxString::Format(_("The insurer's answer differs from the %s and is the one used: %s."), from,
                                         changes);
    m_freshness->SetForegroundColour(kRed);
  } else {
    m_freshness->SetForegroundColour(kGrey);
  }
  m_freshness->SetLabel(freshness);
  m_freshness->Wrap(wrapWidth());
  showBeneficiary(0);
}

void PatientPanel::showBeneficiary(std::size_t index) {
  if (!m_view || index >= m_view->beneficiaries.size()) return;
  const app::BeneficiaryView& b = m_view->beneficiaries[index];
  const bool verified = m_view->verdict == app::CredentialVerdict::Verified;
  wxString identity = u8(b.birthName) + " " + u8(b.firstName) + "\n" + _("Born") + " " + birthDate(b.birthDate);
  if (b.birthRank > 1) identity += " " + wxString::Format(_("(birth rank %d)"), b.birthRank);
  identity += kDash + qualiteText(b.qualite) + "\n" + _("NIR") + " " + spacedNir(b.nir);
  if (!verified) identity += "\n" + _("(read from the card, NOT verified)");
  m_identity->SetLabel(identity);
  wxString ins;
  if (!b.insOid.empty()) {
    wxString kind = b.insOid == "1.2.250.1.213.1.4.8"    ? _("INS-NIR")
                    : b.insOid == "1.2.250.1.213.1.4.9"  ? _("INS-NIA")
                    : b.insOid == "1.2.250.1.213.1.4.10" ? _("INS (test)")
                    : b.insOid == "1.2.250.1.213.1.4.11" ? _("INS (demo)")
                                                         : _("INS");
    ins = kind + ": " + u8(b.nir) + "  (OID " + u8(b.insOid) + ")";
    if (!verified) ins += kDash + _("not qualified: the card is not verified");
  }
  m_ins->SetLabel(ins);
  wxString rights = _("AMO rights:");
  if (!m_view->regime.empty())
    rights += " " + wxString::Format(_("scheme %s, fund %s, centre %s"), u8(m_view->regime), u8(m_view->caisse),
                                     u8(m_view->centre));
  if (!m_view->amoOpen)
    rights += "\n  " + kBullet + wxString::Format(_("CLOSED according to the insurer on %s"), u8(m_view->rightsAsOf));
  for (const auto& p : b.amoRights) rights += "\n  " + kBullet + period(p);
  if (b.amoRights.empty() && !m_view->rightsAsOf.empty())
    rights += "\n  " + kBullet + wxString::Format(_("as of %s"), u8(m_view->rightsAsOf));
  if (b.exemptions.empty()) rights += "\n" + _("Exemptions: none");
  for (const auto& e : b.exemptions)
    rights += "\n" + _("Exemption:") + " " + exemptionText(e.kind) + (e.period ? kDash + period(*e.period) : wxString());
  m_rights->SetLabel(rights);
  m_rights->Wrap(wrapWidth());
  if (b.amc) {
    wxString amc = _("AMC:") + " " + u8(b.amc->organisation);
    if (!b.amc->contract.empty()) amc += kDash + _("contract") + " " + u8(b.amc->contract);
    if (b.amc->tiersPayant) amc += kDash + _("tiers payant");
    if (b.amc->period) amc += kDash + period(*b.amc->period);
    m_amc->SetLabel(amc);
    m_amc->Wrap(wrapWidth());  // a long AMC line was cut at the panel's edge
  } else {
    m_amc->SetLabel(_("AMC: none"));
  }
  if (m_beneficiaries->GetSelection() != static_cast<int>(index)) m_beneficiaries->SetSelection(static_cast<int>(index));
  Layout();
  Refresh();
}

std::optional<std::size_t> PatientPanel::selectedBeneficiary() const {
  if (!m_view || m_view->verdict != app::CredentialVerdict::Verified || m_view->beneficiaries.empty())
    return std::nullopt;
  const int sel = m_beneficiaries->GetSelection();
  return sel < 0 ? 0 : static_cast<std::size_t>(sel);
}

void PatientPanel::selectBeneficiary(std::size_t index) {
  if (!m_view || index >= m_view->beneficiaries.size()) return;
  showBeneficiary(index);
  if (m_onChanged) m_onChanged(index);
}

wxString PatientPanel::visibleText() const {
  wxString all;
  for (const wxStaticText* t : {m_badge, m_reasons, m_delegation, m_identity, m_ins, m_rights, m_amc, m_source, m_freshness})
    if (t->IsShown()) all += t->GetLabel() + "\n";
  for (unsigned i = 0; i < m_beneficiaries->GetCount(); ++i) all += m_beneficiaries->GetString(i) + "\n";
  return all;
}

}  // namespace vd::ui
