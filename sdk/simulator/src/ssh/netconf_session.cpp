#include "netconf_session.hpp"

#include <cctype>

namespace netspine::sim {
namespace {

constexpr std::string_view kEndOfMessage = "]]>]]>";
constexpr std::string_view kBase11 = "urn:ietf:params:netconf:base:1.1";

// The message-id attribute of an <rpc>, with its quotes, or empty.
std::string messageIdAttribute(std::string_view rpc) {
  const auto at = rpc.find("message-id=");
  if (at == std::string_view::npos || at + 11 >= rpc.size()) return {};
  const char quote = rpc[at + 11];
  if (quote != '"' && quote != '\'') return {};
  const auto end = rpc.find(quote, at + 12);
  if (end == std::string_view::npos) return {};
  return " " + std::string(rpc.substr(at, end - at + 1));
}

}  // namespace

NetconfSession::NetconfSession(const DeviceState& device, std::uint32_t sessionId)
    : hello_(netconfHello(device, sessionId)) {}

std::string NetconfSession::input(std::string_view bytes) {
  buffer_.append(bytes);
  std::string out;
  std::string message;
  while (!finished_ && takeMessage(message)) out += reply(message);
  return out;
}

bool NetconfSession::takeMessage(std::string& message) {
  if (!chunked_) {
    const auto end = buffer_.find(kEndOfMessage);
    if (end == std::string::npos) return false;
    message = buffer_.substr(0, end);
    buffer_.erase(0, end + kEndOfMessage.size());
    return true;
  }
  // RFC 6242 chunks: "\n#LEN\n" DATA ... "\n##\n".
  message.clear();
  std::size_t pos = 0;
  for (;;) {
    while (pos < buffer_.size() && (buffer_[pos] == '\r' || buffer_[pos] == ' ')) ++pos;
    if (pos + 3 > buffer_.size()) return false;
    if (buffer_[pos] != '\n' || buffer_[pos + 1] != '#') {
      buffer_.clear();  // not chunked framing: drop what cannot be parsed
      return false;
    }
    if (buffer_[pos + 2] == '#') {
      if (pos + 4 > buffer_.size()) return false;
      buffer_.erase(0, pos + 4);
      return true;
    }
    std::size_t digits = pos + 2;
    std::size_t length = 0;
    while (digits < buffer_.size() && std::isdigit(static_cast<unsigned char>(buffer_[digits]))) {
      length = length * 10 + static_cast<std::size_t>(buffer_[digits] - '0');
      ++digits;
    }
    if (digits >= buffer_.size()) return false;
    const std::size_t data = digits + 1;
    if (data + length > buffer_.size()) return false;
    message.append(buffer_, data, length);
    pos = data + length;
  }
}

std::string NetconfSession::reply(std::string_view message) {
  if (!helloSeen_) {
    if (message.find("<hello") == std::string_view::npos &&
        message.find(":hello") == std::string_view::npos) {
      return {};  // RFC 6241: anything before the client's hello is ignored
    }
    helloSeen_ = true;
    chunked_ = hello_.find(kBase11) != std::string::npos &&
               message.find(kBase11) != std::string_view::npos;
    return {};
  }
  const std::string id = messageIdAttribute(message);
  const std::string head =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"" +
      id + ">";
  if (message.find("close-session") != std::string_view::npos) {
    finished_ = true;
    return frame(head + "<ok/></rpc-reply>");
  }
  return frame(head +
               "<rpc-error><error-type>protocol</error-type>"
               "<error-tag>operation-not-supported</error-tag><error-severity>error</"
               "error-severity><error-message>the device simulator answers hello and "
               "close-session only</error-message></rpc-error></rpc-reply>");
}

std::string NetconfSession::frame(std::string_view xml) const {
  if (!chunked_) return std::string(xml) + "\n" + std::string(kEndOfMessage);
  return "\n#" + std::to_string(xml.size()) + "\n" + std::string(xml) + "\n##\n";
}

}  // namespace netspine::sim
