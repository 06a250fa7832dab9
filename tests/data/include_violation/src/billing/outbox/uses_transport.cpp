// Violation on purpose: the outbox owns the LotTransport port and never includes its adapter.
#include "billing/transport/curl_transport.hpp"
