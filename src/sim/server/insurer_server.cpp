// The only translation unit that includes Boost.Beast (8–17 s to compile: keep it alone).
#include "sim/server/insurer_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "billing/transport/insurer_wire.hpp"
#include "sim/server/insurer_service.hpp"

namespace vd::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr int kIoThreads = 2;

class Session;

}  // namespace

struct InsurerServer::Impl {
  // Declared first, destroyed last: pending handlers (holding sessions) die with it.
  asio::io_context ioc{kIoThreads};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};  // offline ≠ stopped
  InsurerServerOptions options;
  std::unique_ptr<InsurerService> service;
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  tcp::endpoint endpoint;          // acceptor strand (or before the threads start)
  std::atomic<std::uint16_t> boundPort{0};
  asio::steady_timer downTimer{acceptor.get_executor()};
  bool inDownPeriod = false;       // acceptor strand only
  std::atomic<bool> online{true};
  std::atomic<std::size_t> accepted{0};
  std::mutex mutex;                // rng and sessions
  std::mt19937_64 rng;
  std::vector<std::weak_ptr<Session>> sessions;
  std::vector<std::thread> threads;

  double roll() {
    std::lock_guard lock(mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }
  void registerSession(const std::shared_ptr<Session>& s);
  void closeSessions();
  core::Result<void> listen();  // acceptor strand (or before the threads start)
  void doAccept();
  void applyOnline();           // acceptor strand
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, InsurerServer::Impl& server)
      : m_stream(std::move(socket), server.tls), m_server(server), m_delay(m_stream.get_executor()) {}

  void run() {
    beast::get_lowest_layer(m_stream).expires_after(kHandshakeTimeout);
    m_stream.async_handshake(ssl::stream_base::server,
                             [self = shared_from_this()](beast::error_code ec) { self->onHandshake(ec); });
  }

  /// Closes the TCP connection at once (no TLS close_notify): "the network went away".
  void closeNow() {
    beast::error_code ignored;
    beast::get_lowest_layer(m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(m_stream).socket().close(ignored);
  }

  asio::any_io_executor executor() { return m_stream.get_executor(); }

 private:
  void onHandshake(beast::error_code ec) {
    if (ec) return closeNow();
    doRead();
  }

  void doRead() {
    if (!m_server.online) return closeNow();
    m_parser.emplace();
    m_parser->body_limit(billing::wire::kMaxRequestBytes);
    beast::get_lowest_layer(m_stream).expires_after(kIdleTimeout);
    http::async_read(m_stream, m_buffer, *m_parser,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return doShutdown();
    if (ec || !m_server.online) return closeNow();
    const auto& req = m_parser->get();
    m_response = {};
    m_response.version(req.version());
    m_response.keep_alive(req.keep_alive());
    m_response.set(http::field::server, "vitaledesk-sim");
    m_response.set(http::field::content_type, "application/json");
    bool drop = false;
    if (m_server.options.failRate > 0 && m_server.roll() < m_server.options.failRate) {
      m_response.result(http::status::service_unavailable);
      m_response.set(http::field::retry_after, "1");
      m_response.body() = billing::wire::encodeError("unavailable", "simulated outage (fail rate)");
    } else {
      ServiceRequest request{std::string(req.method_string()), std::string(req.target()),
                             std::string(req["Idempotency-Key"]), req.body()};
      ServiceResponse answer = m_server.service->handle(request);
      m_response.result(static_cast<unsigned>(answer.status));
      if (answer.retryAfter) m_response.set(http::field::retry_after, std::to_string(*answer.retryAfter));
      m_response.body() = std::move(answer.body);
      drop = m_server.options.dropMidResponse > 0 && m_server.roll() < m_server.options.dropMidResponse;
    }
    m_response.prepare_payload();
    beast::get_lowest_layer(m_stream).expires_never();
    if (m_server.options.latency.count() > 0) {
      m_delay.expires_after(m_server.options.latency);
      m_delay.async_wait([self = shared_from_this(), drop](beast::error_code) { self->doWrite(drop); });
    } else {
      doWrite(drop);
    }
  }

  void doWrite(bool drop) {
    if (!m_server.online) return closeNow();
    beast::get_lowest_layer(m_stream).expires_after(kIdleTimeout);
    if (drop) {
      // The lot is in the ledger, but only the head and half the body reach the client.
      std::ostringstream raw;
      raw << m_response;
      m_raw = raw.str();
      m_raw.resize(m_raw.size() - m_response.body().size() / 2 - 1);
      asio::async_write(m_stream, asio::buffer(m_raw),
                        [self = shared_from_this()](beast::error_code, std::size_t) { self->closeNow(); });
      return;
    }
    http::async_write(m_stream, m_response, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->closeNow();
      if (!self->m_response.keep_alive()) return self->doShutdown();
      self->doRead();
    });
  }

  void doShutdown() {
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
    m_stream.async_shutdown([self = shared_from_this()](beast::error_code) { self->closeNow(); });
  }

  beast::ssl_stream<beast::tcp_stream> m_stream;
  InsurerServer::Impl& m_server;  // outlives every handler (see Impl::ioc)
  asio::steady_timer m_delay;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  http::response<http::string_body> m_response;
  std::string m_raw;
};

}  // namespace

void InsurerServer::Impl::registerSession(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mutex);
  std::erase_if(sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
  sessions.push_back(s);
}

void InsurerServer::Impl::closeSessions() {
  std::lock_guard lock(mutex);
  for (const auto& w : sessions)
    if (auto s = w.lock()) asio::post(s->executor(), [s] { s->closeNow(); });
  sessions.clear();
}

core::Result<void> InsurerServer::Impl::listen() {
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return core::fail(core::Errc::SimServerStart, {"bind " + endpoint.address().to_string() + ":" +
                                                   std::to_string(endpoint.port()) + ": " + ec.message()});
  }
  endpoint = acceptor.local_endpoint();  // the ephemeral port, kept for reopening
  boundPort = endpoint.port();
  doAccept();
  return {};
}

void InsurerServer::Impl::doAccept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed (offline, stopping)
    ++accepted;
    if (online) {
      auto session = std::make_shared<Session>(std::move(socket), *this);
      registerSession(session);
      session->run();
    }
    doAccept();
  });
}

void InsurerServer::Impl::applyOnline() {
  const bool shouldListen = online && !inDownPeriod;
  if (shouldListen && !acceptor.is_open()) {
    (void)listen();  // the port was ours a moment ago; if taken, clients see "refused"
  } else if (!shouldListen && acceptor.is_open()) {
    beast::error_code ignored;
    acceptor.close(ignored);
  }
  if (!shouldListen) closeSessions();
}

InsurerServer::InsurerServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

InsurerServer::~InsurerServer() {
  asio::post(m_impl->acceptor.get_executor(), [impl = m_impl.get()] {
    beast::error_code ignored;
    impl->downTimer.cancel();
    impl->acceptor.close(ignored);
  });
  m_impl->closeSessions();
  m_impl->work.reset();
  m_impl->ioc.stop();
  for (auto& t : m_impl->threads) t.join();
}

core::Result<std::unique_ptr<InsurerServer>> InsurerServer::start(const InsurerServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->rng.seed(options.seed);
  auto service = InsurerService::open(options);
  if (!service) return core::fail(service.error());
  impl->service = std::move(*service);

  beast::error_code ec;
  impl->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  const auto& dir = options.tlsDir;
  impl->tls.use_certificate_chain_file((dir / "server.pem").string(), ec);
  if (!ec) impl->tls.use_private_key_file((dir / "server.key").string(), ssl::context::pem, ec);
  if (!ec) impl->tls.load_verify_file((dir / "ca.pem").string(), ec);
  if (ec) return core::fail(core::Errc::SimServerStart, {"TLS files in " + dir.string() + ": " + ec.message()});
  impl->tls.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  // With client certificates, OpenSSL refuses to resume a session ("internal error" alert)
  // unless the server names a session id context: a client reconnecting after a dropped
  // answer resumes its TLS session, and must not be turned into a permanent TLS failure.
  static constexpr unsigned char kSessionContext[] = "vitaledesk-sim-insurer";
  if (SSL_CTX_set_session_id_context(impl->tls.native_handle(), kSessionContext, sizeof kSessionContext - 1) != 1)
    return core::fail(core::Errc::SimServerStart, {"TLS session id context"});

  const auto address = asio::ip::make_address(options.bindAddress, ec);
  if (ec) return core::fail(core::Errc::SimServerStart, {"address " + options.bindAddress});
  impl->endpoint = tcp::endpoint(address, options.port);
  if (auto listening = impl->listen(); !listening) return core::fail(listening.error());
  if (options.downFor.count() > 0) {
    impl->inDownPeriod = true;
    impl->applyOnline();  // refuses connections until the timer fires
    impl->downTimer.expires_after(options.downFor);
    impl->downTimer.async_wait([p = impl.get()](beast::error_code e) {
      if (e) return;
      p->inDownPeriod = false;
      p->applyOnline();
    });
  }
  for (int i = 0; i < kIoThreads; ++i) impl->threads.emplace_back([p = impl.get()] { p->ioc.run(); });
  return std::unique_ptr<InsurerServer>(new InsurerServer(std::move(impl)));
}

std::uint16_t InsurerServer::port() const { return m_impl->boundPort; }

void InsurerServer::setOnline(bool online) {
  m_impl->online = online;
  asio::post(m_impl->acceptor.get_executor(), [impl = m_impl.get()] { impl->applyOnline(); });
}

LedgerCounts InsurerServer::counts() const { return m_impl->service->counts(); }
std::size_t InsurerServer::connectionsAccepted() const { return m_impl->accepted; }

}  // namespace vd::sim
