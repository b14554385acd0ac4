#pragma once
// One HTTP exchange over a plain loopback TCP socket, for requests an HTTP client library will not
// send: a lying or doubled Content-Length, a garbage request line, binary junk. The bytes go out
// exactly as given; then one response, if one comes back, is read. A server may close the
// connection on garbage: that is "no answer", never an error of the exchange itself.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

namespace netspine::test {

/// What came back from one raw exchange.
struct RawReply {
  bool answered = false;  // a status line and a whole header block came back
  bool timedOut = false;  // the server neither answered nor closed within the timeout
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string version;  // as the status line gives it (POCO echoes what the request said)
  std::string body;
  std::string rest;     // what came after the answer, when RawOptions::readRest
  std::string problem;  // why there is no answer: "closed", "reset", "timeout", "connect: …"
};

struct RawOptions {
  /// shutdown(SHUT_WR) once the bytes are out, so that the server sees the end of the request
  /// (a body shorter than its Content-Length ends there instead of waiting for the timeout).
  bool halfClose = true;
  /// The request is HEAD: the answer has no body whatever its Content-Length says.
  bool headRequest = false;
  std::chrono::milliseconds timeout{10000};
  /// After the answer, read on until the server closes (or the timeout) into RawReply::rest:
  /// a second answer there means the server took part of the request for another request.
  bool readRest = false;
};

namespace raw_detail {

inline std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

inline std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return std::string(text);
}

/// Parses the head of `data` (status line and headers) into `reply`; false when `data` does not
/// hold one yet. `headEnd` is where the body starts.
inline bool parseHead(const std::string& data, RawReply& reply, std::size_t& headEnd) {
  const auto end = data.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  headEnd = end + 4;
  const auto lineEnd = data.find("\r\n");
  const std::string line = data.substr(0, lineEnd);
  reply.status = 0;
  reply.headers.clear();
  // "VERSION NNN reason", whatever VERSION is: POCO puts the request's own version there, and
  // garbage in a request line can make that "FOO/1.1" or even "Host:".
  const auto space = line.find(' ');
  if (space != std::string::npos && space + 4 <= line.size() &&
      std::isdigit(static_cast<unsigned char>(line[space + 1])) &&
      std::isdigit(static_cast<unsigned char>(line[space + 2])) &&
      std::isdigit(static_cast<unsigned char>(line[space + 3])) &&
      (space + 4 == line.size() || line[space + 4] == ' ')) {
    reply.status = std::stoi(line.substr(space + 1, 3));
    reply.version = line.substr(0, space);
  }
  std::size_t at = lineEnd + 2;
  while (at < end) {
    auto next = data.find("\r\n", at);
    if (next == std::string::npos || next > end) next = end;
    const std::string header = data.substr(at, next - at);
    const auto colon = header.find(':');
    if (colon != std::string::npos)
      reply.headers[lower(trim(header.substr(0, colon)))] = trim(header.substr(colon + 1));
    at = next + 2;
  }
  return true;
}

/// A Content-Length value; -1 when it is not a plain number.
inline long long lengthOf(const std::string& text) {
  if (text.empty() || text.size() > 15) return -1;
  long long n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace raw_detail

/// Sends `bytes` on a new connection to 127.0.0.1:`port` and reads one answer (after any
/// "100 Continue"). Never throws.
inline RawReply rawExchange(int port, std::string_view bytes, const RawOptions& options = {}) {
  using Clock = std::chrono::steady_clock;
  RawReply reply;
  const auto deadline = Clock::now() + options.timeout;
  auto remainingMs = [&] {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(left < 0 ? 0 : left);
  };

  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    reply.problem = std::string("socket: ") + std::strerror(errno);
    return reply;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    reply.problem = std::string("connect: ") + std::strerror(errno);
    return reply;
  }

  // Out with the bytes; a server that closes early (a 413 before the body) stops the sending,
  // and what it answered is still read below.
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, remainingMs()) <= 0) break;
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  if (options.halfClose) ::shutdown(fd, SHUT_WR);

  std::string data;
  std::size_t headEnd = 0;
  bool eof = false;
  char chunk[16384];
  for (;;) {
    // A whole answer yet? Interim 1xx answers are skipped.
    bool head = false;
    while ((head = raw_detail::parseHead(data, reply, headEnd)) && reply.status >= 100 &&
           reply.status < 200) {
      data.erase(0, headEnd);
    }
    if (head && reply.status >= 200) {
      const auto header = reply.headers.find("content-length");
      const long long length =
          header == reply.headers.end() ? -1 : raw_detail::lengthOf(header->second);
      const bool noBody = options.headRequest || reply.status == 204 || reply.status == 304;
      if (noBody || (length >= 0 && data.size() - headEnd >= static_cast<std::size_t>(length))) {
        const std::size_t n = noBody ? 0 : static_cast<std::size_t>(length);
        reply.body = data.substr(headEnd, n);
        reply.answered = true;
        if (!options.readRest) return reply;
        reply.rest = data.substr(headEnd + n);
        while (!eof) {
          pollfd p{fd, POLLIN, 0};
          if (::poll(&p, 1, remainingMs()) <= 0) break;
          const auto got = ::recv(fd, chunk, sizeof chunk, 0);
          if (got <= 0) break;
          reply.rest.append(chunk, static_cast<std::size_t>(got));
        }
        return reply;
      }
      if (eof) {  // no (usable) Content-Length: the body runs to the end of the connection
        reply.body = data.substr(headEnd);
        reply.answered = true;
        return reply;
      }
    } else if (eof) {
      reply.problem = data.empty() ? "closed" : "closed after an incomplete answer";
      return reply;
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, remainingMs());
    if (ready == 0) {
      reply.timedOut = true;
      reply.problem = "timeout";
      return reply;
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      reply.problem = std::string("poll: ") + std::strerror(errno);
      return reply;
    }
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (!data.empty()) {
        eof = true;  // a reset after part of an answer: keep what came
        continue;
      }
      reply.problem = errno == ECONNRESET ? "reset" : std::string("recv: ") + std::strerror(errno);
      return reply;
    }
    if (n == 0) {
      eof = true;
      continue;
    }
    data.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace netspine::test
