#pragma once
// One client's SSH connection to one simulated device: authentication, the shell, exec and
// netconf channels, flow control and the transport faults. Lives on one EventLoop's thread.

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "device_endpoint.hpp"
#include "event_loop.hpp"

namespace netspine::sim {

class SshConnection : public std::enable_shared_from_this<SshConnection> {
 public:
  SshConnection(EventLoop& loop, DeviceEndpoint& device, int fd);
  ~SshConnection();  // disconnects the session if still open
  SshConnection(const SshConnection&) = delete;
  SshConnection& operator=(const SshConnection&) = delete;

  // Sends the SSH identification and starts the key exchange.
  void begin();
  // Periodic housekeeping: the login grace time, channels waiting for window space.
  void tick();
  [[nodiscard]] bool ended() const;
  // Writes what every channel holds, as far as the client's windows allow. Only between polls
  // (the event loop's turn or a timer): libssh's writes poll the loop's shared context.
  void flushAll();
  // Asks the loop to call flushAll() after the current poll; what a libssh callback calls.
  void requestFlush();

  struct Channel;

 private:
  // Drops the TCP connection without an SSH goodbye, once what was written has left.
  void dropWhenFlushed(int attemptsLeft = 200);
  void drop();
  // DisconnectMidOutput: drop once `channel` has written what it holds.
  void dropAfterOutput(Channel& channel);
  void sendIssueBanner();
  bool passwordMatches(std::string_view user, std::string_view password) const;
  bool keyMatches(std::string_view user, ssh_key key) const;

  Channel* openChannel();
  void startShell(Channel& channel);
  void startExec(Channel& channel, std::string command);
  void startNetconf(Channel& channel);
  void onData(Channel& channel, std::string_view bytes);
  // Queues output on the channel; the faults that cut or slow output apply here.
  void send(Channel& channel, std::string_view bytes);
  // Writes what `channel` holds; between polls only (see flushAll).
  void flush(Channel& channel);
  void closeChannel(Channel& channel);
  // Runs `task` on the loop after the current libssh callback returned (and its reply left).
  void later(std::chrono::milliseconds delay, std::function<void(SshConnection&)> task);

  // libssh callbacks (userdata: the connection or the channel)
  static int onAuthNone(ssh_session, const char* user, void* self);
  static int onAuthPassword(ssh_session, const char* user, const char* password, void* self);
  static int onAuthPubkey(ssh_session, const char* user, ssh_key key, char state, void* self);
  static int onMessage(ssh_session, ssh_message message, void* self);
  static ssh_channel onChannelOpen(ssh_session, void* self);

  EventLoop& loop_;
  DeviceEndpoint& device_;
  int fd_;  // owned until begin() hands it to the session
  ssh_session session_ = nullptr;
  ssh_bind ownedBind_ = nullptr;
  bool inEvent_ = false;
  bool dropped_ = false;
  bool bannerSent_ = false;
  bool authenticated_ = false;
  std::string kbdintUser_;
  EventLoop::Clock::time_point connectedAt_;
  ssh_server_callbacks_struct serverCallbacks_{};
  std::vector<std::unique_ptr<Channel>> channels_;
  bool waitingForWindow_ = false;
  bool flushRequested_ = false;  // in the loop's flush queue
  // Inside flush(): a libssh write may poll and run this connection's own callbacks, which
  // must then only append output, never write it (it would go out twice) nor move it.
  bool flushing_ = false;
};

}  // namespace netspine::sim
