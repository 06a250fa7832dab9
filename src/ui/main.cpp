#include "ui/desk_app.hpp"

wxIMPLEMENT_APP(vd::ui::DeskApp);
