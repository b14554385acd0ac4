// HTTPS: with server.tls_cert and server.tls_key the API speaks TLS only.

#include <fmt/format.h>

#include "api_fixture.hpp"

namespace netspine::test {
namespace {

TEST(ApiTls, ServesHttpsWithTheConfiguredCertificate) {
  TempFolder certs;
  const auto key = certs.path("api.key");
  const auto cert = certs.path("api.pem");
  auto made = runShell(
      fmt::format("openssl req -x509 -newkey rsa:2048 -nodes -keyout '{}' -out '{}' -days 1 "
                  "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1",
                  key, cert));
  ASSERT_EQ(made.status, 0) << made.output;
  ServeProcess serve(
      ServeOptions{.extraConfig = fmt::format("  tls_cert: {}\n  tls_key: {}\n", cert, key)});
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_NE(serve.log().find(fmt::format("listening on https://127.0.0.1:{}", serve.port())),
            std::string::npos)
      << serve.log();
  // Verified against the certificate itself: the server presents exactly it.
  auto health = runShell(
      fmt::format("curl -sS --cacert '{}' https://127.0.0.1:{}/health", cert, serve.port()));
  EXPECT_EQ(health.status, 0) << health.output;
  EXPECT_NE(health.output.find("\"status\":\"ok\""), std::string::npos) << health.output;
  auto devices =
      runShell(fmt::format("curl -sS --cacert '{}' -H 'Authorization: Bearer {}' "
                           "https://127.0.0.1:{}/api/v1/devices",
                           cert, serve.token("read"), serve.port()));
  EXPECT_NE(devices.output.find("\"count\":0"), std::string::npos) << devices.output;
  // Plain HTTP on the TLS port gets no API answer.
  auto plain = runShell(fmt::format("curl -sS -m 5 http://127.0.0.1:{}/health", serve.port()));
  EXPECT_EQ(plain.output.find("\"status\":\"ok\""), std::string::npos) << plain.output;
  EXPECT_EQ(serve.stop(), 0) << serve.log();
}

TEST(ApiTls, AnUnreadableCertificateStopsTheStartWithItsName) {
  const char* binary = std::getenv("NETSPINE_BINARY");
  ASSERT_NE(binary, nullptr);
  TempFolder dir;
  const auto config =
      dir.write("netspine.yaml", fmt::format("data_dir: {}\nserver:\n  listen: 127.0.0.1:0\n"
                                             "  tls_cert: /nonexistent/api.pem\n  tls_key: {}\n",
                                             dir.path("data"), dir.path("netspine.yaml")));
  ASSERT_EQ(runShell(fmt::format("'{}' --config '{}' migrate", binary, config)).status, 0);
  auto run =
      runShell(fmt::format("timeout 20 '{}' --config '{}' serve --workers 0", binary, config));
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.status, 124) << "still running: " << run.output;
  EXPECT_NE(run.output.find("server.tls_cert: cannot read /nonexistent/api.pem"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace netspine::test
