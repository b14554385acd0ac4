#include "ssh_connection.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "netconf_session.hpp"

namespace netspine::sim {

struct SshConnection::Channel {
  enum class Kind { Pending, Shell, Exec, Netconf };

  SshConnection* owner = nullptr;
  ssh_channel channel = nullptr;
  ssh_channel_callbacks_struct callbacks{};
  Kind kind = Kind::Pending;
  std::unique_ptr<CliSession> cli;
  std::unique_ptr<NetconfSession> netconf;
  std::string early;    // input that came before the shell or subsystem was started
  std::string pending;  // output not yet written; pending[0, sent) has left
  std::size_t sent = 0;
  bool trickleScheduled = false;
  bool closeWhenDrained = false;
  int exitStatus = 0;
  bool closed = false;

  [[nodiscard]] bool drained() const { return sent >= pending.size(); }
};

namespace {

using Channel = SshConnection::Channel;
constexpr std::size_t kMaxWrite = 64 * 1024;

Channel& channelOf(void* userdata) {
  return *static_cast<Channel*>(userdata);
}

}  // namespace

SshConnection::SshConnection(EventLoop& loop, DeviceEndpoint& device, int fd)
    : loop_(loop), device_(device), fd_(fd), connectedAt_(EventLoop::Clock::now()) {
  loop_.counters().openSessions++;
}

SshConnection::~SshConnection() {
  if (session_) {
    if (inEvent_) ssh_event_remove_session(loop_.event(), session_);
    if (!dropped_ && ssh_is_connected(session_)) ssh_disconnect(session_);
    ssh_free(session_);  // frees the channels and closes the socket
  }
  if (fd_ >= 0) ::close(fd_);
  if (ownedBind_) ssh_bind_free(ownedBind_);
  device_.sessions--;
  loop_.counters().openSessions--;
}

void SshConnection::later(std::chrono::milliseconds delay,
                          std::function<void(SshConnection&)> task) {
  std::weak_ptr<SshConnection> weak = shared_from_this();
  loop_.after(delay, [weak, task = std::move(task)] {
    if (auto self = weak.lock(); self && !self->dropped_) task(*self);
  });
}

void SshConnection::begin() {
  if (dropped_) return;
  session_ = ssh_new();
  bool owned = false;
  ssh_bind bind = loop_.bindFor(device_, owned);
  if (owned) ownedBind_ = bind;
  if (!session_ || ssh_bind_accept_fd(bind, session_, fd_) != SSH_OK) {
    dropped_ = true;
    loop_.markDirty();
    return;
  }
  fd_ = -1;  // the session owns the socket now
  ssh_set_blocking(session_, 0);

  serverCallbacks_.userdata = this;
  serverCallbacks_.auth_none_function = &SshConnection::onAuthNone;
  serverCallbacks_.auth_password_function = &SshConnection::onAuthPassword;
  serverCallbacks_.auth_pubkey_function = &SshConnection::onAuthPubkey;
  serverCallbacks_.channel_open_request_session_function = &SshConnection::onChannelOpen;
  ssh_callbacks_init(&serverCallbacks_);
  ssh_set_server_callbacks(session_, &serverCallbacks_);
  ssh_set_auth_methods(
      session_, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_INTERACTIVE);
  // Keyboard-interactive has no server callback: it arrives as a message.
  ssh_set_message_callback(session_, &SshConnection::onMessage, this);

  // Non-blocking: this sends the identification and KEXINIT and returns; the event loop
  // drives the rest of the key exchange.
  if (ssh_handle_key_exchange(session_) == SSH_ERROR) {
    dropped_ = true;
    loop_.markDirty();
    return;
  }
  ssh_event_add_session(loop_.event(), session_);
  inEvent_ = true;
  connectedAt_ = EventLoop::Clock::now();
}

bool SshConnection::ended() const {
  if (dropped_) return true;
  if (!session_) return false;  // waiting for a slow banner
  const int status = ssh_get_status(session_);
  return (status & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0 || !ssh_is_connected(session_);
}

void SshConnection::tick() {
  if (!session_ || dropped_) return;
  if (!authenticated_ && EventLoop::Clock::now() - connectedAt_ > loop_.loginGraceTime()) {
    ssh_disconnect(session_);
    dropped_ = true;
    return;
  }
  flushAll();
}

void SshConnection::flushAll() {
  flushRequested_ = false;
  waitingForWindow_ = false;
  // By index: a write may poll, and a channel opened meanwhile grows channels_.
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    Channel& channel = *channels_[i];
    const bool work = !channel.drained() || (channel.closeWhenDrained && !channel.closed);
    if (work && !channel.trickleScheduled) flush(channel);
  }
}

void SshConnection::requestFlush() {
  if (flushRequested_ || dropped_) return;
  flushRequested_ = true;
  loop_.requestFlush(weak_from_this());
}

void SshConnection::drop() {
  if (dropped_ || !session_) return;
  const int fd = ssh_get_fd(session_);
  // An abrupt end, as when a device reloads: no SSH_MSG_DISCONNECT, the socket just closes.
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  dropped_ = true;
  loop_.markDirty();
}

void SshConnection::dropWhenFlushed(int attemptsLeft) {
  if ((ssh_get_status(session_) & SSH_WRITE_PENDING) == 0 || attemptsLeft == 0) {
    drop();
    return;
  }
  later(std::chrono::milliseconds(10),
        [attemptsLeft](SshConnection& self) { self.dropWhenFlushed(attemptsLeft - 1); });
}

// ---- authentication

void SshConnection::sendIssueBanner() {
  if (bannerSent_) return;
  bannerSent_ = true;
  // libssh switched the socket back to blocking when it first became writable; a session must
  // never block its loop.
  if (const int fd = ssh_get_fd(session_); fd >= 0) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  const std::string text = loginBanner(device_.spec.profile);
  if (text.empty()) return;
  ssh_string banner = ssh_string_from_char(text.c_str());
  ssh_send_issue_banner(session_, banner);
  ssh_string_free(banner);
}

bool SshConnection::passwordMatches(std::string_view user, std::string_view password) const {
  const auto& profile = device_.spec.profile;
  // WrongPassword: the device's real password is not the one the inventory advertises.
  return !device_.has(Fault::WrongPassword) && user == profile.username &&
         password == profile.password;
}

bool SshConnection::keyMatches(std::string_view user, ssh_key key) const {
  const auto& line = device_.spec.profile.authorizedKey;
  if (line.empty() || user != device_.spec.profile.username) return false;
  // "TYPE BASE64 [comment]"
  const auto space = line.find(' ');
  if (space == std::string::npos) return false;
  const std::string type = line.substr(0, space);
  std::string base64 = line.substr(space + 1);
  base64 = base64.substr(0, base64.find(' '));
  ssh_key authorized = nullptr;
  if (ssh_pki_import_pubkey_base64(base64.c_str(), ssh_key_type_from_name(type.c_str()),
                                   &authorized) != SSH_OK) {
    return false;
  }
  const bool same = ssh_key_cmp(authorized, key, SSH_KEY_CMP_PUBLIC) == 0;
  ssh_key_free(authorized);
  return same;
}

int SshConnection::onAuthNone(ssh_session, const char*, void* self) {
  static_cast<SshConnection*>(self)->sendIssueBanner();
  return SSH_AUTH_DENIED;
}

int SshConnection::onAuthPassword(ssh_session, const char* user, const char* password, void* self) {
  auto& c = *static_cast<SshConnection*>(self);
  c.sendIssueBanner();
  if (!c.passwordMatches(user, password)) return SSH_AUTH_DENIED;
  c.authenticated_ = true;
  c.loop_.counters().logins++;
  return SSH_AUTH_SUCCESS;
}

int SshConnection::onAuthPubkey(ssh_session, const char* user, ssh_key key, char state,
                                void* self) {
  auto& c = *static_cast<SshConnection*>(self);
  c.sendIssueBanner();
  if (!c.keyMatches(user, key)) return SSH_AUTH_DENIED;
  // STATE_NONE asks whether the key would do; only a valid signature logs in.
  if (state == SSH_PUBLICKEY_STATE_VALID) {
    c.authenticated_ = true;
    c.loop_.counters().logins++;
    return SSH_AUTH_SUCCESS;
  }
  return state == SSH_PUBLICKEY_STATE_NONE ? SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
}

int SshConnection::onMessage(ssh_session session, ssh_message message, void* self) {
  auto& c = *static_cast<SshConnection*>(self);
  if (ssh_message_type(message) != SSH_REQUEST_AUTH ||
      ssh_message_subtype(message) != SSH_AUTH_METHOD_INTERACTIVE) {
    return 1;  // libssh answers with its default (a refusal)
  }
  c.sendIssueBanner();
  if (!ssh_message_auth_kbdint_is_response(message)) {
    const char* user = ssh_message_auth_user(message);
    c.kbdintUser_ = user ? user : "";  // the response message does not carry it
    const char* prompts[] = {"Password: "};
    char echo[] = {0};
    ssh_message_auth_interactive_request(message, "", "", 1, prompts, echo);
    return 0;
  }
  const char* answer = ssh_userauth_kbdint_getnanswers(session) == 1
                           ? ssh_userauth_kbdint_getanswer(session, 0)
                           : nullptr;
  if (answer && c.passwordMatches(c.kbdintUser_, answer)) {
    c.authenticated_ = true;
    c.loop_.counters().logins++;
    ssh_message_auth_reply_success(message, 0);
  } else {
    ssh_message_reply_default(message);
  }
  return 0;
}

// ---- channels

ssh_channel SshConnection::onChannelOpen(ssh_session, void* self) {
  auto& c = *static_cast<SshConnection*>(self);
  if (!c.authenticated_) return nullptr;
  Channel* channel = c.openChannel();
  return channel ? channel->channel : nullptr;
}

SshConnection::Channel* SshConnection::openChannel() {
  auto owned = std::make_unique<Channel>();
  Channel& ch = *owned;
  ch.owner = this;
  ch.channel = ssh_channel_new(session_);
  if (!ch.channel) return nullptr;
  auto& cb = ch.callbacks;
  cb.userdata = &ch;
  cb.channel_pty_request_function = [](ssh_session, ssh_channel, const char*, int, int, int, int,
                                       void*) { return 0; };
  cb.channel_pty_window_change_function = [](ssh_session, ssh_channel, int, int, int, int, void*) {
    return 0;
  };
  cb.channel_env_request_function = [](ssh_session, ssh_channel, const char*, const char*, void*) {
    return 0;
  };
  cb.channel_shell_request_function = [](ssh_session, ssh_channel, void* userdata) {
    auto& channel = channelOf(userdata);
    if (channel.kind != Channel::Kind::Pending) return -1;
    channel.kind = Channel::Kind::Shell;
    channel.owner->later(std::chrono::milliseconds(0),
                         [&channel](SshConnection& self) { self.startShell(channel); });
    return 0;
  };
  cb.channel_exec_request_function = [](ssh_session, ssh_channel, const char* command,
                                        void* userdata) {
    auto& channel = channelOf(userdata);
    if (channel.kind != Channel::Kind::Pending) return -1;
    channel.kind = Channel::Kind::Exec;
    channel.owner->later(std::chrono::milliseconds(0),
                         [&channel, cmd = std::string(command)](SshConnection& self) {
                           self.startExec(channel, cmd);
                         });
    return 0;
  };
  cb.channel_subsystem_request_function = [](ssh_session, ssh_channel, const char* subsystem,
                                             void* userdata) {
    auto& channel = channelOf(userdata);
    if (channel.kind != Channel::Kind::Pending || std::strcmp(subsystem, "netconf") != 0) {
      return -1;
    }
    channel.kind = Channel::Kind::Netconf;
    channel.owner->later(std::chrono::milliseconds(0),
                         [&channel](SshConnection& self) { self.startNetconf(channel); });
    return 0;
  };
  cb.channel_data_function = [](ssh_session, ssh_channel, void* data, uint32_t len, int,
                                void* userdata) {
    auto& channel = channelOf(userdata);
    channel.owner->onData(channel, std::string_view(static_cast<const char*>(data), len));
    return static_cast<int>(len);
  };
  cb.channel_eof_function = [](ssh_session, ssh_channel, void*) {};
  cb.channel_close_function = [](ssh_session, ssh_channel, void* userdata) {
    auto& channel = channelOf(userdata);
    // Answer the client's close with ours, after this callback.
    channel.owner->later(std::chrono::milliseconds(0),
                         [&channel](SshConnection& self) { self.closeChannel(channel); });
  };
  cb.channel_write_wontblock_function = [](ssh_session, ssh_channel, uint32_t, void* userdata) {
    auto& channel = channelOf(userdata);
    if (!channel.trickleScheduled) channel.owner->requestFlush();
    return 0;
  };
  ssh_callbacks_init(&cb);
  ssh_set_channel_callbacks(ch.channel, &cb);
  channels_.push_back(std::move(owned));
  return &ch;
}

void SshConnection::startShell(Channel& channel) {
  if (channel.closed) return;
  channel.cli = openShell(device_.state);
  // HangAfterLogin: the shell is open, but no prompt ever comes and input is ignored.
  if (device_.has(Fault::HangAfterLogin)) return;
  send(channel, channel.cli->start());
  // A client may type ahead (ssh -tt with piped input): its bytes wait for the shell.
  if (!channel.early.empty()) onData(channel, std::exchange(channel.early, {}));
}

void SshConnection::startExec(Channel& channel, std::string command) {
  if (channel.closed || device_.has(Fault::HangAfterLogin)) return;
  const ExecResult result = runExec(*device_.state, command);
  channel.exitStatus = result.exitStatus;
  channel.closeWhenDrained = true;
  send(channel, result.output);
}

void SshConnection::startNetconf(Channel& channel) {
  if (channel.closed || device_.has(Fault::HangAfterLogin)) return;
  channel.netconf = std::make_unique<NetconfSession>(*device_.state, loop_.nextNetconfSessionId());
  send(channel, channel.netconf->hello());
  if (!channel.early.empty()) onData(channel, std::exchange(channel.early, {}));
}

void SshConnection::onData(Channel& channel, std::string_view bytes) {
  if (channel.closed || channel.closeWhenDrained) return;
  if ((channel.kind == Channel::Kind::Shell && !channel.cli) ||
      (channel.kind == Channel::Kind::Netconf && !channel.netconf)) {
    channel.early.append(bytes);
    return;
  }
  if (channel.kind == Channel::Kind::Shell && channel.cli && !device_.has(Fault::HangAfterLogin)) {
    send(channel, channel.cli->input(bytes));
    if (channel.cli->finished()) channel.closeWhenDrained = true;
  } else if (channel.kind == Channel::Kind::Netconf && channel.netconf) {
    send(channel, channel.netconf->input(bytes));
    if (channel.netconf->finished()) channel.closeWhenDrained = true;
  }
  if (channel.closeWhenDrained) requestFlush();
}

void SshConnection::send(Channel& channel, std::string_view bytes) {
  if (channel.closed) return;
  const auto& transport = device_.spec.transport;
  if (device_.has(Fault::DisconnectMidOutput) && bytes.size() >= transport.disconnectAfter) {
    channel.pending.append(bytes.substr(0, bytes.size() / 2));
    channel.closeWhenDrained = false;
    requestFlush();
    // Whatever comes next never arrives: the connection drops once the first half has left.
    channel.closed = true;
    dropAfterOutput(channel);
    return;
  }
  if (bytes.empty() && !channel.closeWhenDrained) return;
  // Only appended here: send() may run inside a flush() of this connection (its write polled),
  // which still holds a position in `pending`.
  channel.pending.append(bytes);
  if (!channel.trickleScheduled) requestFlush();
}

void SshConnection::flush(Channel& channel) {
  if (dropped_ || !channel.channel) return;
  if (flushing_) {  // not expected (flushes run between polls), but never write re-entrantly
    requestFlush();
    return;
  }
  // libssh flushes every write by polling the context its session is in. In the loop's shared
  // ssh_event that runs the other sessions' callbacks, and fails this write with an error of
  // theirs (a client that just hung up). Out of the event for the write, the poll sees this
  // session's socket alone; what it reads is this session's own input, handled as usual.
  flushing_ = true;
  const bool detached =
      inEvent_ && session_ && ssh_event_remove_session(loop_.event(), session_) == SSH_OK;
  struct Rejoin {
    SshConnection& self;
    bool detached;
    ~Rejoin() {
      self.flushing_ = false;
      if (detached && self.session_) ssh_event_add_session(self.loop_.event(), self.session_);
    }
  } rejoin{*this, detached};
  if (channel.drained()) {
    channel.pending.clear();
    channel.sent = 0;
  } else if (channel.sent > (1u << 20) && channel.sent > channel.pending.size() / 2) {
    channel.pending.erase(0, channel.sent);  // keep a long output's memory bounded
    channel.sent = 0;
  }
  const bool trickle = device_.has(Fault::Trickle);
  while (!channel.drained()) {
    if (ssh_channel_is_closed(channel.channel)) return;
    // Never more than the client's window: the rest waits for its window adjust
    // (channel_write_wontblock), so a 20 MB output never blocks the loop.
    std::size_t n = std::min<std::size_t>(channel.pending.size() - channel.sent,
                                          ssh_channel_window_size(channel.channel));
    n = std::min(
        n, trickle ? std::max<std::size_t>(1, device_.spec.transport.trickleBytes) : kMaxWrite);
    const auto waitForWindow = [this] {
      if (!waitingForWindow_) {
        waitingForWindow_ = true;
        loop_.waitForWindow(weak_from_this());
      }
    };
    if (n == 0) {
      waitForWindow();
      return;
    }
    // libssh copies the bytes into packets first, then flushes the socket by polling it: this
    // session's callbacks run then may append to `pending` (never consume it), and `sent`
    // moves only here, once the write returned.
    const int written = ssh_channel_write(channel.channel, channel.pending.data() + channel.sent,
                                          static_cast<uint32_t>(n));
    if (written == SSH_ERROR) {
      drop();
      return;
    }
    if (written <= 0) {  // 0 or SSH_AGAIN: a key re-exchange holds writes back; retry later
      waitForWindow();
      return;
    }
    channel.sent += static_cast<std::size_t>(written);
    if (trickle && !channel.drained()) {
      channel.trickleScheduled = true;
      later(device_.spec.transport.trickleInterval, [&channel](SshConnection& self) {
        channel.trickleScheduled = false;
        self.flush(channel);
      });
      return;
    }
  }
  if (channel.closeWhenDrained && !channel.closed) {
    if (channel.kind == Channel::Kind::Exec || channel.kind == Channel::Kind::Shell) {
      ssh_channel_request_send_exit_status(channel.channel, channel.exitStatus);
    }
    closeChannel(channel);
  }
}

void SshConnection::closeChannel(Channel& channel) {
  if (channel.closed) return;
  channel.closed = true;
  ssh_channel_close(channel.channel);  // sends our EOF first if not sent yet
}

void SshConnection::dropAfterOutput(Channel& channel) {
  if (channel.drained()) {
    dropWhenFlushed();
    return;
  }
  requestFlush();
  later(std::chrono::milliseconds(10),
        [&channel](SshConnection& self) { self.dropAfterOutput(channel); });
}

}  // namespace netspine::sim
