#pragma once
// The server side of a NETCONF session on the 'netconf' SSH subsystem, as far as a reachability
// check needs: the hello, the client's hello, <close-session/>, and an <rpc-error> for any
// other rpc. No IO: bytes in, bytes out.

#include <cstdint>
#include <string>
#include <string_view>

#include "netspine/sim/device.hpp"

namespace netspine::sim {

class NetconfSession {
 public:
  NetconfSession(const DeviceState& device, std::uint32_t sessionId);

  // The server <hello>, sent as soon as the subsystem starts.
  [[nodiscard]] const std::string& hello() const { return hello_; }
  // Bytes from the client; returns the replies to every complete message among them.
  std::string input(std::string_view bytes);
  // The client asked for <close-session/> and got its <ok/>: the channel should close.
  [[nodiscard]] bool finished() const { return finished_; }

 private:
  std::string reply(std::string_view message);
  std::string frame(std::string_view xml) const;
  // The next complete message in buffer_ (framing of the negotiated base), or false.
  bool takeMessage(std::string& message);

  std::string hello_;
  std::string buffer_;
  bool helloSeen_ = false;
  bool chunked_ = false;  // base:1.1 chunked framing, once both hellos announced it
  bool finished_ = false;
};

}  // namespace netspine::sim
