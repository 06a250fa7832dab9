#include "reader/pcsc/atr.hpp"
