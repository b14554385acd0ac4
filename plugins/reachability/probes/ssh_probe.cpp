#include "probes/ssh_probe.hpp"

#include <libssh/libssh.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netspine_ssh/handles.hpp>

#include <algorithm>
#include <cerrno>
#include <coroutine>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "probes/tcp_probe.hpp"

namespace netspine::reach {
namespace {

using plugin::ErrorCategory;

constexpr auto kCancelInterval = std::chrono::milliseconds(50);
constexpr std::string_view kOurIdentification = "SSH-2.0-netspine_probe\r\n";
constexpr std::size_t kMaxLine = 255;    // RFC 4253 4.2, CR LF included
constexpr int kMaxPreBannerLines = 50;   // a server that talks longer is not an SSH server
constexpr std::size_t kShownBytes = 80;  // of what the peer sent, in error messages

std::chrono::microseconds since(Clock::time_point start) {
  return std::max(std::chrono::microseconds(1),
                  std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
}

// `bytes` for a message: printable ASCII as is, the rest as \xHH, CR LF as \r \n, cut short.
std::string printable(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < kShownBytes; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (bytes.size() > kShownBytes) out += "…";
  return out;
}

// ---------------------------------------------------------------------------------------------
// SSH banner: one poll() loop over non-blocking sockets.

struct BannerSlot {
  int fd;
  std::size_t index;
  std::uint16_t port;
  Clock::time_point started;
  Clock::time_point deadline;
  bool connected = false;
  std::string buffer;    // the line being read
  std::string received;  // the first bytes the peer sent, for messages
  int lines = 0;         // lines before the identification
};

// What one step of reading gave: nothing decided yet, or the target's result.
struct Verdict {
  bool decided = false;
  ErrorCategory category = ErrorCategory::Ok;
  std::string error;
  std::string banner;
};

Verdict fail(ErrorCategory category, std::string error) {
  return Verdict{true, category, std::move(error), {}};
}

// Consumes the complete lines of `slot.buffer`.
Verdict scanLines(BannerSlot& slot, const std::string& where) {
  for (;;) {
    const auto newline = slot.buffer.find('\n');
    if (newline == std::string::npos) {
      if (slot.buffer.size() > kMaxLine) {
        return fail(ErrorCategory::ProtocolError,
                    where + " sent a line over 255 bytes before an SSH banner: '" +
                        printable(slot.received) + "'");
      }
      return {};
    }
    std::string line = slot.buffer.substr(0, newline);
    slot.buffer.erase(0, newline + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() + 2 > kMaxLine) {
      return fail(ErrorCategory::ProtocolError,
                  where + " sent a line over 255 bytes: '" + printable(line) + "'");
    }
    if (line.rfind("SSH-", 0) == 0) {
      if (line.rfind("SSH-2.0-", 0) == 0 || line.rfind("SSH-1.99-", 0) == 0) {
        Verdict ok{true, ErrorCategory::Ok, {}, line};
        return ok;
      }
      return fail(ErrorCategory::ProtocolError,
                  where + " speaks an unsupported SSH version: '" + printable(line) + "'");
    }
    if (slot.lines == 0 && line.rfind("HTTP/", 0) == 0) {
      return fail(ErrorCategory::ProtocolError,
                  where + " is not an SSH server (an HTTP server?): '" + printable(line) + "'");
    }
    if (++slot.lines > kMaxPreBannerLines) {
      return fail(ErrorCategory::ProtocolError,
                  where + " sent over " + std::to_string(kMaxPreBannerLines) +
                      " lines without an SSH banner: '" + printable(slot.received) + "'");
    }
  }
}

}  // namespace

std::vector<ProbeResult> sshBanner(const std::vector<ProbeTarget>& targets,
                                   const BannerOptions& options, const CancelCheck& cancelled) {
  detail::BatchResults results(targets.size());

  struct Pending {
    std::size_t index;
    detail::SocketAddress address;
    std::uint16_t port;
  };
  std::deque<Pending> queue;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::uint16_t port = targets[i].port ? targets[i].port : options.defaultPort;
    auto address = detail::parseAddress(targets[i].address, port);
    if (!address) {
      results.finish(i, ErrorCategory::PluginError, detail::badAddressMessage(targets[i].address));
    } else if (options.timeout.count() <= 0) {
      results.finish(i, ErrorCategory::PluginError,
                     "ssh banner: timeout must be positive (target " + targets[i].address + ")");
    } else {
      queue.push_back(Pending{i, *address, port});
    }
  }

  const std::size_t budget = detail::socketBudget();
  const std::size_t limit = options.maxInFlight ? std::min(options.maxInFlight, budget) : budget;
  std::vector<BannerSlot> slots;
  std::vector<pollfd> fds;
  const auto where = [&](const BannerSlot& s) {
    return detail::endpoint(targets[s.index].address, s.port);
  };

  while (results.remaining() > 0) {
    // Each turn waits at most kCancelInterval, so this runs at least that often.
    if (cancelled && cancelled()) break;

    bool starved = false;
    while (!queue.empty() && slots.size() < limit) {
      const Pending next = queue.front();
      const int fd = detail::openProbeSocket(next.address.family());
      if (fd < 0) {
        // Out of descriptors: wait for one of ours to close (never fail the target for it).
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          starved = true;
          break;
        }
        queue.pop_front();
        results.finish(next.index, ErrorCategory::PluginError,
                       "cannot open a socket for " + targets[next.index].address + ": " +
                           std::strerror(errno));
        continue;
      }
      const auto started = Clock::now();
      BannerSlot slot{fd, next.index, next.port, started, started + options.timeout};
      const int rc = connect(fd, next.address.get(), next.address.length);
      const int error = errno;
      if (rc != 0 && error != EINPROGRESS) {
        close(fd);
        if (error == EADDRNOTAVAIL || error == EAGAIN) {
          starved = true;  // out of local ports: wait for ours
          break;
        }
        queue.pop_front();
        results[next.index].attempts = 1;
        if (error == ECONNREFUSED) {
          results.finish(next.index, ErrorCategory::Unreachable,
                         "connection refused (port " + std::to_string(next.port) + ")");
        } else {
          results.finish(next.index, ErrorCategory::Unreachable,
                         "cannot connect to " + where(slot) + ": " + std::strerror(error));
        }
        continue;
      }
      queue.pop_front();
      results[next.index].attempts = 1;
      slots.push_back(std::move(slot));
    }
    if (results.remaining() == 0) break;

    auto now = Clock::now();
    auto wake = now + (starved ? std::chrono::milliseconds(5) : kCancelInterval);
    fds.resize(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) {
      fds[i] = pollfd{slots[i].fd, static_cast<short>(slots[i].connected ? POLLIN : POLLOUT), 0};
      wake = std::min(wake, slots[i].deadline);
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    const int ready =
        poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait.count())));
    if (ready < 0 && errno != EINTR) {
      const std::string error = std::strerror(errno);
      for (auto& s : slots) {
        close(s.fd);
        results.finish(s.index, ErrorCategory::PluginError, "ssh banner: poll failed: " + error);
      }
      slots.clear();
      continue;
    }

    now = Clock::now();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      BannerSlot& s = slots[i];
      const short revents = ready > 0 ? fds[i].revents : 0;
      Verdict verdict;
      if (revents != 0 && !s.connected) {
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
        if (error == ECONNREFUSED) {
          verdict = fail(ErrorCategory::Unreachable,
                         "connection refused (port " + std::to_string(s.port) + ")");
        } else if (error != 0) {
          verdict = fail(ErrorCategory::Unreachable,
                         "cannot connect to " + where(s) + ": " + std::strerror(error));
        } else {
          s.connected = true;
          // Our identification is all we send; a full socket buffer just drops it.
          send(s.fd, kOurIdentification.data(), kOurIdentification.size(),
               MSG_NOSIGNAL | MSG_DONTWAIT);
        }
      } else if (revents != 0) {
        char buffer[1024];
        const ssize_t n = recv(s.fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
          const std::string_view bytes(buffer, static_cast<std::size_t>(n));
          if (s.received.size() < kShownBytes * 2) s.received.append(bytes.substr(0, kShownBytes));
          s.buffer.append(bytes);
          verdict = scanLines(s, where(s));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          const std::string how =
              n == 0 ? "closed" : std::string("failed (") + std::strerror(errno) + ")";
          verdict = fail(ErrorCategory::ProtocolError,
                         "the connection to " + where(s) + " " + how + " before an SSH banner" +
                             (s.received.empty() ? std::string(": nothing received")
                                                 : ": got '" + printable(s.received) + "'"));
        }
      }
      if (!verdict.decided && now >= s.deadline) {
        verdict =
            fail(ErrorCategory::Timeout,
                 s.connected ? "no SSH banner from " + where(s) + " within " +
                                   std::to_string(options.timeout.count()) + " ms" +
                                   (s.received.empty() ? std::string()
                                                       : " (got '" + printable(s.received) + "')")
                             : "no answer from " + where(s) + " within " +
                                   std::to_string(options.timeout.count()) + " ms");
      }
      if (!verdict.decided) {
        if (kept != i) slots[kept] = std::move(s);
        ++kept;
        continue;
      }
      close(s.fd);
      if (verdict.category == ErrorCategory::Ok) {
        results[s.index].latency = since(s.started);
        results[s.index].data["banner"] = verdict.banner;
      }
      results.finish(s.index, verdict.category, std::move(verdict.error));
    }
    slots.resize(kept);
  }

  for (auto& s : slots) close(s.fd);
  return results.take(targets);
}

// ---------------------------------------------------------------------------------------------
// NETCONF hello.
//
// Every session runs in libssh's non-blocking mode (ssh_set_blocking(s, 0): calls answer
// SSH_AGAIN / SSH_AUTH_AGAIN instead of waiting), and one poll() loop over all sessions' sockets
// (ssh_get_fd, ssh_get_poll_flags) drives them on the caller's thread. Each session is a C++20
// coroutine, so its steps (connect, host key, each login method with reconnects, channel,
// subsystem, read, write, close) read as straight-line code: where libssh says "again", the
// session suspends until its socket is ready, 50 ms pass, its deadline passes or the batch is
// cancelled.

namespace {

constexpr std::size_t kMaxHello = 1 << 20;
constexpr std::string_view kEndOfMessage = "]]>]]>";
constexpr std::string_view kClientHello =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>"
    "<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>\n]]>]]>";

using sshsupport::Channel;
using sshsupport::fingerprint;
using sshsupport::Key;
using sshsupport::keyText;
using sshsupport::parseKey;
using sshsupport::Session;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string unescapeXml(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool known = false;
    for (const auto& [entity, c] : kEntities) {
      if (text.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        known = true;
        break;
      }
    }
    if (!known) out += '&';
  }
  return out;
}

// The text of every element whose local name is `name` (any namespace prefix), in order.
std::vector<std::string> elementTexts(std::string_view xml, std::string_view name) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = xml.find('<', at)) != std::string_view::npos) {
    ++at;
    const auto end = xml.find_first_of(" \t\r\n/>", at);
    if (end == std::string_view::npos) break;
    std::string_view tag = xml.substr(at, end - at);
    if (const auto colon = tag.find(':'); colon != std::string_view::npos) {
      tag = tag.substr(colon + 1);
    }
    if (tag != name) continue;
    const auto close = xml.find('>', end);
    if (close == std::string_view::npos) break;
    if (xml[close - 1] == '/') {  // <name/>
      out.emplace_back();
      continue;
    }
    const auto stop = xml.find("</", close + 1);
    if (stop == std::string_view::npos) break;
    out.push_back(unescapeXml(trim(xml.substr(close + 1, stop - close - 1))));
    at = stop;
  }
  return out;
}

// A target's outcome, thrown from deep in a session.
struct Outcome {
  ErrorCategory category;
  std::string error;
};

// A coroutine that starts when first resumed (or awaited) and, when it ends, resumes whoever
// awaited it; an exception inside reaches the awaiter.
class Task {
 public:
  struct promise_type {
    std::coroutine_handle<> continuation = std::noop_coroutine();
    std::exception_ptr error;
    Task get_return_object() {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        return h.promise().continuation;
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { error = std::current_exception(); }
  };

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  void await_resume() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
  }

  [[nodiscard]] std::coroutine_handle<> handle() const { return handle_; }

 private:
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

// One target's NETCONF exchange as a coroutine; the batch loop resumes it when its socket is
// ready, and after kCancelInterval at most.
class NetconfProbe {
 public:
  NetconfProbe(const NetconfTarget& target, const NetconfOptions& options, const bool& stop,
               ProbeResult& result)
      : target_(target), options_(options), stop_(stop), result_(result) {
    port_ = target.target.port ? target.target.port : options.defaultPort;
    where_ = detail::endpoint(target.target.address, port_);
    deadline_ = Clock::now() + options.timeout;
  }
  NetconfProbe(const NetconfProbe&) = delete;
  NetconfProbe& operator=(const NetconfProbe&) = delete;

  // Starts the exchange; it runs until its first wait.
  void start() {
    task_.emplace(run());
    resume_ = task_->handle();
    resume();
  }
  void resume() {
    lastResumed_ = Clock::now();
    std::exchange(resume_, {}).resume();
  }
  [[nodiscard]] bool finished() const { return finished_; }

  // What the batch loop polls for this session: its socket (-1 before it has one) and events.
  [[nodiscard]] pollfd pollFor() const {
    const socket_t fd = session_ ? ssh_get_fd(session_.get()) : SSH_INVALID_SOCKET;
    if (fd == SSH_INVALID_SOCKET) return pollfd{-1, 0, 0};
    pollfd p{fd, POLLIN, 0};
    if (ssh_get_poll_flags(session_.get()) & SSH_WRITE_PENDING) p.events |= POLLOUT;
    return p;
  }
  // When the loop must resume it even if its socket stays quiet.
  [[nodiscard]] Clock::time_point wakeAt() const {
    return std::min(deadline_, lastResumed_ + kCancelInterval);
  }

 private:
  // Suspends the session until the batch loop resumes it; then fails it when the batch was
  // cancelled or its time is up.
  struct Wait {
    NetconfProbe& probe;
    const char* step;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept { probe.resume_ = h; }
    void await_resume() const { probe.checkTime(step); }
  };
  Wait wait(const char* step) { return Wait{*this, step}; }

  void checkTime(const char* step) const {
    if (!step) return;  // the caller checks for itself
    if (stop_) fail(ErrorCategory::Cancelled, "cancelled while " + std::string(step));
    if (Clock::now() >= deadline_) {
      fail(ErrorCategory::Timeout, "timed out after " + std::to_string(options_.timeout.count()) +
                                       " ms while " + step + " (" + where_ + ")");
    }
  }

  [[noreturn]] static void fail(ErrorCategory category, std::string error) {
    throw Outcome{category, std::move(error)};
  }

  Task run() {
    try {
      co_await probe();
      result_.category = ErrorCategory::Ok;
      result_.error.clear();
    } catch (const Outcome& outcome) {
      result_.category = outcome.category;
      result_.error = outcome.error;
    } catch (const std::exception& e) {
      result_.category = ErrorCategory::PluginError;
      result_.error = "netconf probe of " + where_ + " failed: " + e.what();
    }
    channel_.reset();
    session_.reset();
    finished_ = true;
  }

  Task probe() {
    if (!detail::parseAddress(target_.target.address, port_)) {
      fail(ErrorCategory::PluginError, detail::badAddressMessage(target_.target.address));
    }
    if (options_.timeout.count() <= 0) {
      fail(ErrorCategory::PluginError, "netconf: timeout must be positive (target " + where_ + ")");
    }
    if (!target_.pinnedHostKey.empty()) {
      pinned_ = parseKey(target_.pinnedHostKey);
      if (!pinned_) {
        fail(ErrorCategory::PluginError,
             "pinned host key of " + where_ + " is not a '<type> <base64>' key");
      }
    }
    if (target_.logins.empty()) fail(ErrorCategory::AuthFailed, "no login for " + where_);
    started_ = Clock::now();
    deadline_ = started_ + options_.timeout;
    co_await connect(target_.logins.front().username);
    co_await login();
    co_await openNetconf();
    co_await readHello();
    co_await sendHello();
  }

  Task connect(std::string user) {
    session_.reset(ssh_new());
    if (!session_) fail(ErrorCategory::PluginError, "cannot create an SSH session");
    ssh_session s = session_.get();
    sshsupport::setBaseOptions(s, port_);
    if (ssh_options_set(s, SSH_OPTIONS_HOST, target_.target.address.c_str()) != SSH_OK) {
      fail(ErrorCategory::PluginError, detail::badAddressMessage(target_.target.address));
    }
    ssh_options_set(s, SSH_OPTIONS_USER, user.c_str());
    ssh_set_blocking(s, 0);
    for (;;) {
      const int rc = ssh_connect(s);
      if (rc == SSH_OK) break;
      if (rc == SSH_AGAIN) {
        co_await wait("connecting");
        continue;
      }
      const std::string error = ssh_get_error(s);
      if (!ssh_get_serverbanner(s)) {
        if (error.find("refused") != std::string::npos) {
          fail(ErrorCategory::Unreachable,
               "connection refused (port " + std::to_string(port_) + ")");
        }
        fail(ErrorCategory::Unreachable, "cannot connect to " + where_ + ": " + error);
      }
      fail(ErrorCategory::ProtocolError, "SSH negotiation with " + where_ + " failed: " + error);
    }
    checkHostKey();
  }

  // Before any credential goes out: the key must be the pinned one, and on a reconnection for
  // the next login, the one met first.
  void checkHostKey() {
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session_.get(), &raw) != SSH_OK || !raw) {
      fail(ErrorCategory::ProtocolError, where_ + " offered no host key");
    }
    Key offered(raw);
    result_.data["ssh.host_key"] = keyText(offered.get());
    const ssh_key expected = pinned_ ? pinned_.get() : firstKey_.get();
    if (expected && ssh_key_cmp(expected, offered.get(), SSH_KEY_CMP_PUBLIC) != 0) {
      fail(ErrorCategory::HostKeyMismatch, "host key mismatch at " + where_ + ": it offered " +
                                               fingerprint(offered.get()) + ", expected " +
                                               fingerprint(expected));
    }
    if (!firstKey_) firstKey_ = std::move(offered);
  }

  Task login() {
    std::string tried;
    bool first = true;
    for (const auto& login : target_.logins) {
      if (!first && !ssh_is_connected(session_.get())) co_await connect(login.username);
      first = false;
      tried += (tried.empty() ? "'" : ", '") + login.username + "'";
      co_await authenticate(login);
      if (accepted_) {
        result_.data["username"] = login.username;
        co_return;
      }
    }
    fail(ErrorCategory::AuthFailed, where_ + " refused every login: " + tried);
  }

  // Sets accepted_: password, then keyboard-interactive with the password, then the key.
  Task authenticate(const NetconfLogin& login) {
    accepted_ = false;
    ssh_session s = session_.get();
    const char* user = login.username.c_str();
    int rc = SSH_AUTH_DENIED;
    if (!login.password.empty()) {
      while ((rc = ssh_userauth_password(s, user, login.password.reveal().c_str())) ==
             SSH_AUTH_AGAIN) {
        co_await wait("logging in");
      }
      if (rc == SSH_AUTH_SUCCESS) accepted_ = true;
      if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR) co_return;
      while ((rc = ssh_userauth_kbdint(s, user, nullptr)) == SSH_AUTH_AGAIN) {
        co_await wait("logging in");
      }
      for (int round = 0; rc == SSH_AUTH_INFO && round < 4; ++round) {
        const int prompts = ssh_userauth_kbdint_getnprompts(s);
        for (int i = 0; i < prompts; ++i) {
          ssh_userauth_kbdint_setanswer(s, static_cast<unsigned>(i),
                                        login.password.reveal().c_str());
        }
        while ((rc = ssh_userauth_kbdint(s, user, nullptr)) == SSH_AUTH_AGAIN) {
          co_await wait("logging in");
        }
      }
      if (rc == SSH_AUTH_SUCCESS) accepted_ = true;
      if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR) co_return;
    }
    if (!login.privateKeyPath.empty()) {
      ssh_key raw = nullptr;
      const char* passphrase =
          login.passphrase.empty() ? nullptr : login.passphrase.reveal().c_str();
      if (ssh_pki_import_privkey_file(login.privateKeyPath.c_str(), passphrase, nullptr, nullptr,
                                      &raw) == SSH_OK) {
        Key key(raw);
        while ((rc = ssh_userauth_publickey(s, user, key.get())) == SSH_AUTH_AGAIN) {
          co_await wait("logging in");
        }
        if (rc == SSH_AUTH_SUCCESS) accepted_ = true;
      }
    }
  }

  Task openNetconf() {
    channel_.reset(ssh_channel_new(session_.get()));
    if (!channel_) fail(ErrorCategory::PluginError, "cannot create an SSH channel");
    for (;;) {
      const int rc = ssh_channel_open_session(channel_.get());
      if (rc == SSH_OK) break;
      if (rc != SSH_AGAIN) {
        fail(ErrorCategory::ProtocolError,
             "cannot open a channel to " + where_ + ": " + ssh_get_error(session_.get()));
      }
      co_await wait("opening a channel");
    }
    for (;;) {
      const int rc = ssh_channel_request_subsystem(channel_.get(), "netconf");
      if (rc == SSH_OK) break;
      if (rc != SSH_AGAIN) {
        fail(ErrorCategory::ProtocolError,
             where_ + " has no netconf subsystem: " + ssh_get_error(session_.get()));
      }
      co_await wait("starting the netconf subsystem");
    }
  }

  Task readHello() {
    std::string hello;
    std::string buffer(16384, '\0');
    for (;;) {
      const int n = ssh_channel_read_nonblocking(channel_.get(), buffer.data(),
                                                 static_cast<uint32_t>(buffer.size()), 0);
      if (n > 0) {
        hello.append(buffer.data(), static_cast<std::size_t>(n));
        if (const auto end = hello.find(kEndOfMessage); end != std::string::npos) {
          hello.resize(end);
          break;
        }
        if (hello.size() > kMaxHello) {
          fail(ErrorCategory::ProtocolError,
               "the netconf hello of " + where_ + " is over 1 MiB without ]]>]]>");
        }
        continue;
      }
      if (n < 0 || ssh_channel_is_eof(channel_.get()) || ssh_channel_is_closed(channel_.get())) {
        fail(ErrorCategory::ProtocolError,
             where_ + " closed the netconf channel before its hello ended" +
                 (hello.empty() ? std::string(": nothing received")
                                : ": got '" + printable(hello) + "'"));
      }
      co_await wait("reading the netconf hello");
    }
    result_.latency = since(started_);
    parseHello(hello);
  }

  void parseHello(const std::string& hello) {
    const auto helloAt = elementTexts(hello, "hello");
    const auto capabilities = elementTexts(hello, "capability");
    if (helloAt.empty() || capabilities.empty()) {
      fail(ErrorCategory::ProtocolError,
           where_ + " sent no netconf <hello> with capabilities: '" + printable(hello) + "'");
    }
    std::string joined;
    for (const auto& c : capabilities) {
      if (c.empty()) continue;
      if (!joined.empty()) joined += '\n';
      joined += c;
    }
    const auto sessionIds = elementTexts(hello, "session-id");
    if (sessionIds.empty() || sessionIds.front().empty() ||
        sessionIds.front().find_first_not_of("0123456789") != std::string::npos) {
      fail(ErrorCategory::ProtocolError, "the netconf hello of " + where_ +
                                             " has no valid <session-id>: '" + printable(hello) +
                                             "'");
    }
    result_.data["capabilities"] = joined;
    result_.data["session_id"] = sessionIds.front();
  }

  // Our hello, so the server sees a proper session; what was learned stands even when this
  // fails or times out.
  Task sendHello() {
    std::size_t sent = 0;
    while (sent < kClientHello.size()) {
      const int n = ssh_channel_write(channel_.get(), kClientHello.data() + sent,
                                      static_cast<uint32_t>(kClientHello.size() - sent));
      if (n < 0) co_return;
      sent += static_cast<std::size_t>(n);
      if (sent < kClientHello.size()) {
        if (stop_ || Clock::now() >= deadline_) co_return;
        co_await Wait{*this, nullptr};  // no check on resume: the loop above checks
      }
    }
    ssh_channel_send_eof(channel_.get());
    ssh_channel_close(channel_.get());
    // Hand what is queued to the kernel without waiting (the poll flags' SSH_WRITE_PENDING is
    // no reliable "still queued": it can stay set); the packets are small.
    ssh_blocking_flush(session_.get(), 0);
  }

  const NetconfTarget& target_;
  const NetconfOptions& options_;
  const bool& stop_;
  ProbeResult& result_;
  std::uint16_t port_ = 0;
  std::string where_;
  Clock::time_point started_;
  Clock::time_point deadline_;
  Clock::time_point lastResumed_;
  Key pinned_;
  Key firstKey_;
  Session session_;
  Channel channel_;
  bool accepted_ = false;
  bool finished_ = false;
  std::coroutine_handle<> resume_;
  std::optional<Task> task_;  // last: destroyed first, while the members it uses still exist
};

}  // namespace

std::vector<ProbeResult> netconfHello(const std::vector<NetconfTarget>& targets,
                                      const NetconfOptions& options, const CancelCheck& cancelled) {
  std::vector<ProbeResult> results(targets.size());
  bool stop = false;
  const std::size_t limit = options.maxInFlight ? options.maxInFlight : 64;
  std::vector<std::unique_ptr<NetconfProbe>> active;
  std::vector<pollfd> fds;
  std::size_t next = 0;

  const auto reap = [&] { std::erase_if(active, [](const auto& p) { return p->finished(); }); };
  for (;;) {
    // Each turn waits at most kCancelInterval, so this runs at least that often.
    if (!stop && cancelled && cancelled()) stop = true;
    while (!stop && next < targets.size() && active.size() < limit) {
      results[next].attempts = 1;
      active.push_back(std::make_unique<NetconfProbe>(targets[next], options, stop, results[next]));
      ++next;
      active.back()->start();
    }
    reap();
    if (active.empty() && (stop || next >= targets.size())) break;

    auto now = Clock::now();
    auto wake = now + kCancelInterval;
    fds.resize(active.size());
    for (std::size_t i = 0; i < active.size(); ++i) {
      fds[i] = active[i]->pollFor();  // fd -1: poll() ignores it; the wake time covers it
      wake =
          std::min(wake, fds[i].fd < 0 ? now + std::chrono::milliseconds(5) : active[i]->wakeAt());
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    const int ready =
        poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait.count())));
    if (!stop && cancelled && cancelled()) stop = true;
    now = Clock::now();
    for (std::size_t i = 0; i < active.size(); ++i) {
      const bool due =
          stop || fds[i].fd < 0 || (ready > 0 && fds[i].revents != 0) || now >= active[i]->wakeAt();
      if (due) active[i]->resume();
    }
    reap();
  }
  for (std::size_t i = next; i < targets.size(); ++i) {
    results[i].category = ErrorCategory::Cancelled;
    results[i].error = "cancelled before " + targets[i].target.address + " was tried";
  }
  return results;
}

}  // namespace netspine::reach
