// Include-rule fixture: zbar outside src/reader/image.
#include <zbar.h>
