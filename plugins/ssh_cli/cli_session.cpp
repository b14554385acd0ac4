// CliSession: connect, check the host key, log in, drive the shell.
#include "cli_session.hpp"

#include <libssh/libssh.h>
#include <netspine/plugin/text.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace netspine::plugins::ssh_cli {

using namespace netspine::plugin;
using sshsupport::fingerprint;
using sshsupport::Key;
using sshsupport::keyText;
using sshsupport::parseKey;
using std::chrono::milliseconds;

void fail(ErrorCategory category, std::string message, bool sessionLost) {
  throw Failure{category, std::move(message), sessionLost};
}

std::string seconds(milliseconds ms) {
  const auto count = ms.count();
  if (count % 1000 == 0) return std::to_string(count / 1000) + " s";
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s", static_cast<double>(count) / 1000.0);
  return text;
}

// A platform's prompts compiled once and shared by every session (std::regex matching is const).
struct CompiledPrompts {
  Prompts source;  // what they were compiled from: a platform reloaded at the same address differs
  std::regex any;  // user or privileged
  std::regex anyMode;  // user, privileged or configuration mode
  std::regex config;
  std::regex user;
  std::regex privileged;
  std::regex password;
  std::regex enableDone;  // user, privileged or password: what follows an enable secret
  std::optional<std::regex> pager;
};

namespace {

// libssh 0.10.6's own default lists (kex.c): an ssh.* attribute adds to these for one device.
// libssh 0.10 has no "+name" syntax, so the union is built here.
constexpr const char* kDefaultKex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256";
constexpr const char* kDefaultHostKeys =
    "ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,"
    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
constexpr const char* kDefaultCiphers =
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,"
    "aes192-ctr,aes128-ctr";
constexpr const char* kDefaultMacs =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512";

constexpr milliseconds kReadSlice{100};             // cancellation is checked at least this often
constexpr milliseconds kLogoutWait{200};            // a polite logout is not worth more
constexpr milliseconds kQuietAfterPrompt{250};      // see Wait::PromptInLine
constexpr std::size_t kMaxPartialLine = 64 * 1024;  // a longer line is cleaned without its end

// The names of a comma-separated list, blanks trimmed, empty ones left out.
std::vector<std::string> splitNames(std::string_view list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    const auto name = trim(list.substr(start, end - start));
    if (!name.empty()) names.emplace_back(name);
    start = end + 1;
  }
  return names;
}

// The comma-separated `defaults` plus the names in `extra` not already there.
std::string withExtras(std::string_view defaults, std::string_view extra) {
  std::string out(defaults);
  for (const auto& name : splitNames(extra)) {
    if (("," + out + ",").find("," + name + ",") == std::string::npos) out += "," + name;
  }
  return out;
}

bool samePrompts(const Prompts& a, const Prompts& b) {
  return a.user == b.user && a.privileged == b.privileged && a.config == b.config &&
         a.password == b.password && a.pager == b.pager && a.pagerAnswer == b.pagerAnswer;
}

std::shared_ptr<const CompiledPrompts> promptsOf(const Platform& platform) {
  static std::mutex mutex;
  static std::map<const Platform*, std::shared_ptr<const CompiledPrompts>> cache;
  const auto& p = platform.spec().prompts;
  std::lock_guard lock(mutex);
  auto& entry = cache[&platform];
  if (!entry || !samePrompts(entry->source, p)) {
    const std::string password = p.password.empty() ? "(?!)" : p.password;
    auto compiled = std::make_shared<CompiledPrompts>();
    compiled->source = p;
    compiled->any = compilePrompt("(?:" + p.user + ")|(?:" + p.privileged + ")");
    const std::string config = p.config.empty() ? "(?!)" : p.config;
    compiled->anyMode =
        compilePrompt("(?:" + p.user + ")|(?:" + p.privileged + ")|(?:" + config + ")");
    compiled->config = compilePrompt(config);
    compiled->user = compilePrompt(p.user);
    compiled->privileged = compilePrompt(p.privileged);
    compiled->password = compilePrompt(password);
    compiled->enableDone =
        compilePrompt("(?:" + p.user + ")|(?:" + p.privileged + ")|(?:" + password + ")");
    if (!p.pager.empty()) compiled->pager = compilePrompt(p.pager);
    entry = std::move(compiled);
  }
  return entry;
}

// NUL and control bytes other than tab, CR, LF, backspace, bell and ESC (which terminals and
// pagers use) never appear in a configuration: the session is garbled.
bool isGarbage(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u == 0x7f) return true;
  if (u >= 0x20) return false;
  return u != '\t' && u != '\r' && u != '\n' && u != '\b' && u != '\x07' && u != '\x1b';
}

// A question whose default answer (Enter) goes on: "Destination filename [x.cfg]?",
// "[confirm]", "Exit with uncommitted changes? [yes,no] (yes)".
const std::regex& questionPrompt() {
  static const std::regex question =
      compilePrompt(R"((?:^|\n)[^\n]*(?:\[[^\]\n]*\]\?|\[confirm\]|\[yes,no\] \(yes\)) ?)");
  return question;
}

}  // namespace

CliSession::CliSession(const DeviceTarget& device, const RunContext& context, DeviceResult& result,
                       std::size_t maxOutputBytes)
    : device_(device),
      context_(context),
      result_(result),
      maxOutputBytes_(maxOutputBytes),
      deviceEnd_(Clock::now() + device.timeouts.total) {}

CliSession::~CliSession() {
  channel_.reset();
  session_.reset();
}

bool CliSession::isOpen() const {
  return channel_ && ssh_channel_is_open(channel_.get()) && !ssh_channel_is_eof(channel_.get());
}

void CliSession::extendDeadline(milliseconds fromNow) {
  deviceEnd_ = std::max(deviceEnd_, Clock::now() + fromNow);
}

// The platform, the port and the host-key policy: a bad attribute fails before any connection.
void CliSession::readAttributes() {
  platform_ = device_.platform;
  if (!platform_)
    fail(ErrorCategory::PluginError, "no platform plugin for '" + device_.platformId + "'");
  prompts_ = promptsOf(*platform_);
  port_ = device_.port;
  if (port_ == 0) {
    port_ = 22;
    if (auto it = device_.attributes.find("ssh.port"); it != device_.attributes.end()) {
      unsigned value = 0;
      const auto& text = it->second;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
        fail(ErrorCategory::PluginError, "ssh.port: '" + text + "' is not a port number");
      }
      port_ = static_cast<unsigned>(value);
    }
  }
  if (auto it = device_.attributes.find("ssh.host_key");
      it != device_.attributes.end() && !trim(it->second).empty()) {
    pinned_ = parseKey(it->second);
    if (!pinned_) fail(ErrorCategory::PluginError, "ssh.host_key: not a '<type> <base64>' key");
  }
  if (auto it = device_.attributes.find("ssh.host_key_policy"); it != device_.attributes.end()) {
    if (it->second == "strict") {
      strict_ = true;
    } else if (it->second != "tofu" && !it->second.empty()) {
      fail(ErrorCategory::PluginError,
           "ssh.host_key_policy: expected tofu or strict, not '" + it->second + "'");
    }
  }
}

void CliSession::open() {
  readAttributes();
  checkCancelled();
  connect();
  credentials_ = &login();
  openShell();
  checkCancelled();
  const Limit l = limit(device_.timeouts.command,
                        "no prompt within " + seconds(device_.timeouts.command) + " after login");
  switch (waitFor(prompts_->any, l, false, 0)) {
    case Wait::Prompt:
      break;
    case Wait::TimedOut:
      fail(ErrorCategory::Timeout, l.message);
    default:
      fail(ErrorCategory::ProtocolError, "the device closed the session after login", true);
  }
  privileged_ = endsWithPrompt(prompts_->privileged, cleanedTail(1024));
  rememberPrompt(cleanedTail(1024));
  resetBuffer();
}

void CliSession::prepare() {
  const auto& spec = platform_->spec();
  for (const auto& command : spec.session.prepare) {
    const std::string output = execute(command);
    if (auto error = platform_->findError(output)) {
      log(LogLevel::Warning, "'" + command + "' failed: " + *error);
    }
  }
  if (!privileged_ && !spec.session.enable.empty()) enable(*credentials_);
}

void CliSession::log(LogLevel level, std::string message) {
  result_.log.push_back({std::chrono::system_clock::now(), level, std::move(message)});
}

CliSession::Limit CliSession::limit(milliseconds step, std::string message) const {
  const auto stepEnd = Clock::now() + step;
  if (stepEnd < deviceEnd_) return {stepEnd, std::move(message)};
  return {deviceEnd_, "device total timeout of " + seconds(device_.timeouts.total)};
}

void CliSession::checkCancelled() const {
  if (cancellable_ && context_.cancelled()) fail(ErrorCategory::Cancelled, "cancelled");
}

// Bounds libssh's next blocking calls by `l`; fails when no time is left.
void CliSession::bound(const Limit& l) {
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(l.end - Clock::now());
  if (left.count() <= 0) fail(ErrorCategory::Timeout, l.message);
  long secs = static_cast<long>(left.count() / 1'000'000);
  long usecs = static_cast<long>(left.count() % 1'000'000);
  if (secs == 0 && usecs < 1000) usecs = 1000;  // 0 would mean libssh's default
  ssh_options_set(session_.get(), SSH_OPTIONS_TIMEOUT, &secs);
  ssh_options_set(session_.get(), SSH_OPTIONS_TIMEOUT_USEC, &usecs);
}

// A new session to the device, its host key checked; nothing is sent before that check.
void CliSession::connect() {
  session_.reset(ssh_new());
  if (!session_) fail(ErrorCategory::PluginError, "cannot create an SSH session");
  ssh_session s = session_.get();
  sshsupport::setBaseOptions(s, port_);
  if (ssh_options_set(s, SSH_OPTIONS_HOST, device_.address.c_str()) != SSH_OK) {
    fail(ErrorCategory::PluginError, "'" + device_.address + "' is not an address");
  }
  const std::string user =
      device_.credentials.empty() ? std::string("netspine") : device_.credentials[0].username;
  ssh_options_set(s, SSH_OPTIONS_USER, user.c_str());
  setAlgorithms();

  const Limit l = limit(device_.timeouts.connect,
                        "connect timed out after " + seconds(device_.timeouts.connect));
  bound(l);
  const std::string where = device_.address + " port " + std::to_string(port_);
  if (ssh_connect(s) != SSH_OK) {
    const std::string error = ssh_get_error(s);
    if (expired(l) || error.find("Timeout") != std::string::npos)
      fail(ErrorCategory::Timeout, l.message);
    checkCancelled();
    if (!ssh_get_serverbanner(s)) {
      fail(ErrorCategory::Unreachable, "cannot connect to " + where + ": " + error);
    }
    fail(ErrorCategory::ProtocolError, "SSH negotiation with " + where + " failed: " + error);
  }
  checkHostKey();
  if (!connectedLogged_) {
    log(LogLevel::Info, "connected to " + where + " (" +
                            std::string(ssh_get_serverbanner(s) ? ssh_get_serverbanner(s) : "") +
                            ")");
    connectedLogged_ = true;
  }
}

void CliSession::setAlgorithms() {
  const auto extra = [&](const char* name) -> std::string_view {
    auto it = device_.attributes.find(name);
    return it == device_.attributes.end() ? std::string_view() : std::string_view(it->second);
  };
  const auto set = [&](const char* attribute, const char* defaults,
                       std::initializer_list<ssh_options_e> options) {
    const auto names = extra(attribute);
    if (trim(names).empty()) return std::string();
    // libssh drops unknown names from a list silently: each is checked alone first.
    for (const auto& name : splitNames(names)) {
      if (ssh_options_set(session_.get(), *options.begin(), name.c_str()) != SSH_OK) {
        fail(ErrorCategory::PluginError,
             std::string(attribute) + ": unknown SSH algorithm '" + name + "'");
      }
    }
    const std::string list = withExtras(defaults, names);
    for (auto option : options) {
      if (ssh_options_set(session_.get(), option, list.c_str()) != SSH_OK) {
        fail(ErrorCategory::PluginError,
             std::string(attribute) + ": unknown algorithm in '" + std::string(names) + "'");
      }
    }
    return list;
  };
  set("ssh.kex", kDefaultKex, {SSH_OPTIONS_KEY_EXCHANGE});
  const std::string hostKeys = set("ssh.hostkeys", kDefaultHostKeys, {SSH_OPTIONS_HOSTKEYS});
  if (!hostKeys.empty()) {
    // A device old enough for ssh-rsa host keys takes ssh-rsa user keys as well.
    ssh_options_set(session_.get(), SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, hostKeys.c_str());
  }
  set("ssh.ciphers", kDefaultCiphers, {SSH_OPTIONS_CIPHERS_C_S, SSH_OPTIONS_CIPHERS_S_C});
  set("ssh.macs", kDefaultMacs, {SSH_OPTIONS_HMAC_C_S, SSH_OPTIONS_HMAC_S_C});
}

void CliSession::checkHostKey() {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session_.get(), &raw) != SSH_OK || !raw) {
    fail(ErrorCategory::ProtocolError, "the device offered no host key");
  }
  Key offered(raw);
  result_.data["ssh.host_key"] = keyText(offered.get());
  const ssh_key expected = pinned_ ? pinned_.get() : firstKey_.get();
  if (expected) {
    if (ssh_key_cmp(expected, offered.get(), SSH_KEY_CMP_PUBLIC) != 0) {
      fail(ErrorCategory::HostKeyMismatch, "host key mismatch: the device offered " +
                                               fingerprint(offered.get()) + ", the pinned key is " +
                                               fingerprint(expected));
    }
  } else if (strict_) {
    fail(ErrorCategory::HostKeyMismatch,
         "no pinned host key and host_key_policy is strict (the device offered " +
             fingerprint(offered.get()) + ")");
  }
  // A reconnection for the next credential set must meet the same key.
  if (!firstKey_) firstKey_ = std::move(offered);
}

// The credential set that logged in; sets are tried in order, reconnecting when the device
// closed the connection after a refusal.
const Credentials& CliSession::login() {
  if (device_.credentials.empty()) {
    fail(ErrorCategory::AuthFailed, "no credential set for the device");
  }
  std::string tried;
  for (const auto& credentials : device_.credentials) {
    checkCancelled();
    if (!ssh_is_connected(session_.get())) connect();
    tried += (tried.empty() ? "'" : ", '") + credentials.name + "'";
    const Attempt attempt = authenticate(credentials);
    if (attempt == Attempt::Accepted) {
      log(LogLevel::Info, "authenticated with credentials '" + credentials.name + "'");
      result_.data["credentials"] = credentials.name;
      return credentials;
    }
    log(LogLevel::Info, "credentials '" + credentials.name + "' refused");
  }
  fail(ErrorCategory::AuthFailed, "every credential set was refused: " + tried);
}

CliSession::Attempt CliSession::authenticate(const Credentials& c) {
  const Limit l =
      limit(device_.timeouts.authentication,
            "authentication timed out after " + seconds(device_.timeouts.authentication));
  ssh_session s = session_.get();
  const char* user = c.username.c_str();
  // After an error: a timeout fails the device, a closed connection moves to the next set.
  const auto afterError = [&]() -> Attempt {
    if (expired(l)) fail(ErrorCategory::Timeout, l.message);
    return Attempt::Disconnected;
  };
  if (!c.password.empty()) {
    bound(l);
    int rc = ssh_userauth_password(s, user, c.password.reveal().c_str());
    if (rc == SSH_AUTH_SUCCESS) return Attempt::Accepted;
    if (rc == SSH_AUTH_ERROR) return afterError();
    checkCancelled();
    bound(l);
    rc = ssh_userauth_kbdint(s, user, nullptr);
    for (int round = 0; rc == SSH_AUTH_INFO && round < 4; ++round) {
      const int prompts = ssh_userauth_kbdint_getnprompts(s);
      for (int i = 0; i < prompts; ++i) {
        ssh_userauth_kbdint_setanswer(s, static_cast<unsigned>(i), c.password.reveal().c_str());
      }
      bound(l);
      rc = ssh_userauth_kbdint(s, user, nullptr);
    }
    if (rc == SSH_AUTH_SUCCESS) return Attempt::Accepted;
    if (rc == SSH_AUTH_ERROR) return afterError();
  }
  if (!c.privateKeyPath.empty()) {
    checkCancelled();
    ssh_key raw = nullptr;
    const char* passphrase =
        c.privateKeyPassphrase.empty() ? nullptr : c.privateKeyPassphrase.reveal().c_str();
    if (ssh_pki_import_privkey_file(c.privateKeyPath.c_str(), passphrase, nullptr, nullptr, &raw) !=
        SSH_OK) {
      log(LogLevel::Warning,
          "credentials '" + c.name + "': cannot read the private key " + c.privateKeyPath);
    } else {
      Key key(raw);
      bound(l);
      const int rc = ssh_userauth_publickey(s, user, key.get());
      if (rc == SSH_AUTH_SUCCESS) return Attempt::Accepted;
      if (rc == SSH_AUTH_ERROR) return afterError();
    }
  }
  return ssh_is_connected(s) ? Attempt::Refused : Attempt::Disconnected;
}

void CliSession::openShell() {
  checkCancelled();
  const Limit l = limit(device_.timeouts.command,
                        "no shell within " + seconds(device_.timeouts.command) + " after login");
  bound(l);
  channel_.reset(ssh_channel_new(session_.get()));
  const auto failed = [&](const char* what) {
    if (expired(l)) fail(ErrorCategory::Timeout, l.message);
    fail(ErrorCategory::ProtocolError,
         std::string("cannot ") + what + ": " + ssh_get_error(session_.get()));
  };
  if (!channel_ || ssh_channel_open_session(channel_.get()) != SSH_OK) failed("open a channel");
  if (ssh_channel_request_pty_size(channel_.get(), "vt100", 511, 24) != SSH_OK) {
    failed("request a terminal");
  }
  if (ssh_channel_request_shell(channel_.get()) != SSH_OK) failed("start a shell");
}

void CliSession::resetBuffer() {
  cleaned_.clear();
  partial_.clear();
  rawBytes_ = 0;
}

// What the terminal shows now: the cleaned lines and the cleaned partial last line.
std::string CliSession::cleanedTail(std::size_t keep) const {
  std::string view = cleaned_.size() > keep ? cleaned_.substr(cleaned_.size() - keep) : cleaned_;
  view += cleanTerminalText(partial_);
  return view;
}

// Adds received bytes: complete lines are cleaned once, the partial line waits for its end.
void CliSession::append(std::string_view bytes) {
  partial_.append(bytes);
  rawBytes_ += bytes.size();
  const auto newline = partial_.rfind('\n');
  if (newline != std::string::npos) {
    cleaned_ += cleanTerminalText(std::string_view(partial_).substr(0, newline + 1));
    partial_.erase(0, newline + 1);
  } else if (partial_.size() > kMaxPartialLine) {
    cleaned_ += cleanTerminalText(partial_);
    partial_.clear();
  }
}

void CliSession::send(const std::string& text) {
  if (ssh_channel_write(channel_.get(), text.data(), static_cast<uint32_t>(text.size())) !=
      static_cast<int>(text.size())) {
    fail(ErrorCategory::ProtocolError, "the device closed the session", true);
  }
}

// Reads until `prompt` ends the cleaned text; answers the pager on the way.
CliSession::Wait CliSession::waitFor(const std::regex& prompt, const Limit& l, bool checkGarbage,
                                     std::size_t maxBytes, const std::regex* question) {
  std::array<char, 64 * 1024> buffer;
  // Since when the tail ends with promptLine_ (a plain pair: GCC 12 at -O2 wrongly calls an
  // optional time_point maybe-uninitialized here).
  bool promptInLine = false;
  Clock::time_point promptInLineSince{};
  for (;;) {
    const auto now = Clock::now();
    if (now >= l.end) return Wait::TimedOut;
    checkCancelled();
    const auto slice = std::min<milliseconds>(
        kReadSlice, std::chrono::duration_cast<milliseconds>(l.end - now) + milliseconds(1));
    const int n = ssh_channel_read_timeout(channel_.get(), buffer.data(),
                                           static_cast<uint32_t>(buffer.size()), 0,
                                           static_cast<int>(slice.count()));
    if (n == SSH_ERROR) return Wait::Closed;
    if (n == 0) {
      if (ssh_channel_is_eof(channel_.get()) || ssh_channel_is_closed(channel_.get())) {
        return Wait::Closed;
      }
      if (promptInLine && Clock::now() - promptInLineSince >= kQuietAfterPrompt) {
        return Wait::PromptInLine;
      }
      // Nothing useful comes on stderr with a pty; drained so that it never fills the window.
      if (ssh_channel_poll(channel_.get(), 1) > 0) {
        ssh_channel_read_nonblocking(channel_.get(), buffer.data(),
                                     static_cast<uint32_t>(buffer.size()), 1);
      }
      continue;
    }
    const std::string_view bytes(buffer.data(), static_cast<std::size_t>(n));
    if (checkGarbage && std::any_of(bytes.begin(), bytes.end(), isGarbage)) return Wait::Garbage;
    append(bytes);
    if (maxBytes > 0 && rawBytes_ > maxBytes) return Wait::TooLarge;
    const std::string tail = cleanedTail(1024);
    if (endsWithPrompt(prompt, tail)) return Wait::Prompt;
    promptInLine = false;
    if (prompts_->pager && endsWithPrompt(*prompts_->pager, tail)) {
      send(platform_->spec().prompts.pagerAnswer);
    } else if (question && endsWithPrompt(*question, tail)) {
      log(LogLevel::Info, "answered '" + std::string(trim(tail.substr(tail.rfind('\n') + 1))) +
                              "' with its default");
      // What came before the question stays the output; the question goes.
      cleaned_ += cleanTerminalText(partial_);
      partial_.clear();
      cleaned_.erase(cleaned_.rfind('\n') == std::string::npos ? 0 : cleaned_.rfind('\n') + 1);
      send("\n");
    } else if (!promptLine_.empty() && trimRight(tail).ends_with(promptLine_)) {
      promptInLine = true;
      promptInLineSince = Clock::now();
    }
  }
}

// The session's prompt as the device printed it last ("r1#"), from the cleaned text.
void CliSession::rememberPrompt(std::string_view tail) {
  const auto newline = tail.rfind('\n');
  promptLine_ =
      std::string(trim(newline == std::string_view::npos ? tail : tail.substr(newline + 1)));
}

// Sends `command` and returns its output, echo and prompt removed.
std::string CliSession::execute(const std::string& command, Expect expect, bool sized) {
  checkCancelled();
  resetBuffer();
  const Limit l =
      limit(device_.timeouts.command,
            "no prompt within " + seconds(device_.timeouts.command) + " after '" + command + "'");
  send(command + "\n");
  const std::regex& prompt = expect == Expect::Exec ? prompts_->any : prompts_->anyMode;
  const Wait wait = waitFor(prompt, l, sized, sized ? maxOutputBytes_ : std::size_t{0},
                            expect == Expect::AnyMode ? &questionPrompt() : nullptr);
  switch (wait) {
    case Wait::Prompt:
    case Wait::PromptInLine:
      break;
    case Wait::TimedOut:
      fail(ErrorCategory::Timeout, l.message);
    case Wait::Closed:
      fail(ErrorCategory::ProtocolError, "the device closed the session during '" + command + "'",
           true);
    case Wait::TooLarge:
      fail(ErrorCategory::IncompleteOutput, "the output of '" + command + "' is over " +
                                                std::to_string(maxOutputBytes_) +
                                                " bytes (max_config_bytes)");
    case Wait::Garbage:
      fail(ErrorCategory::ProtocolError,
           "binary bytes in the output of '" + command + "' (NUL or control characters)");
  }
  std::string text = cleaned_ + cleanTerminalText(partial_);
  resetBuffer();
  if (wait == Wait::PromptInLine) {
    // The output's last line, cut short, runs into the prompt: only the prompt goes.
    text.erase(trimRight(text).size() - promptLine_.size());
    text.push_back('\n');
  } else {
    configMode_ = endsWithPrompt(prompts_->config, text);
    // The last line is the prompt; a configuration prompt may span lines ("[edit]\nuser@r1#").
    auto last = text.rfind('\n');
    rememberPrompt(text);
    if (configMode_ && last != std::string::npos) {
      const std::size_t from = text.size() > 1024 ? text.size() - 1024 : 0;
      std::smatch match;
      const std::string tail = text.substr(from);
      if (std::regex_search(tail, match, prompts_->config)) {
        const std::size_t at = from + static_cast<std::size_t>(match.position(0));
        last = text[at] == '\n' ? at : (at == 0 ? std::string::npos : text.rfind('\n', at - 1));
      }
    }
    text.erase(last == std::string::npos ? 0 : last + 1);
  }
  // The first line is the echo of the command.
  const auto first = text.find('\n');
  if (first != std::string::npos &&
      trimRight(std::string_view(text).substr(0, first)).ends_with(trim(command))) {
    text.erase(0, first + 1);
  }
  return text;
}

void CliSession::enable(const Credentials& credentials) {
  const auto& spec = platform_->spec();
  checkCancelled();
  resetBuffer();
  const Limit l =
      limit(device_.timeouts.command, "no prompt within " + seconds(device_.timeouts.command) +
                                          " after '" + spec.session.enable + "'");
  send(spec.session.enable + "\n");
  const auto expect = [&] {
    const Wait wait = waitFor(prompts_->enableDone, l, false, 0);
    if (wait == Wait::TimedOut) fail(ErrorCategory::Timeout, l.message);
    if (wait != Wait::Prompt && wait != Wait::PromptInLine) {
      fail(ErrorCategory::ProtocolError,
           "the device closed the session during '" + spec.session.enable + "'");
    }
  };
  expect();
  if (endsWithPrompt(prompts_->password, cleanedTail(1024))) {
    resetBuffer();
    send(credentials.enableSecret.reveal() + "\n");
    expect();
  }
  const std::string tail = cleanedTail(1024);
  resetBuffer();
  rememberPrompt(tail);
  if (!endsWithPrompt(prompts_->privileged, tail)) {
    fail(ErrorCategory::AuthFailed,
         "'" + spec.session.enable + "' refused with credentials '" + credentials.name + "'");
  }
  log(LogLevel::Info, "privileged mode");
}

// Leaves politely, without waiting long for the device to close.
void CliSession::logout() {
  const auto& command = platform_->spec().session.logout;
  if (!channel_ || command.empty() || !ssh_channel_is_open(channel_.get())) return;
  const std::string line = command + "\n";
  if (ssh_channel_write(channel_.get(), line.data(), static_cast<uint32_t>(line.size())) < 0) {
    return;
  }
  ssh_channel_send_eof(channel_.get());
  const auto end = std::min(Clock::now() + kLogoutWait, deviceEnd_);
  std::array<char, 4096> buffer;
  while (Clock::now() < end && !ssh_channel_is_eof(channel_.get())) {
    const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count() + 1;
    if (ssh_channel_read_timeout(channel_.get(), buffer.data(),
                                 static_cast<uint32_t>(buffer.size()), 0,
                                 static_cast<int>(left)) < 0) {
      break;
    }
  }
  ssh_channel_close(channel_.get());
}

}  // namespace netspine::plugins::ssh_cli
