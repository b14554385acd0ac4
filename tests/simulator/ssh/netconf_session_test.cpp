// NETCONF framing and replies of the 'netconf' subsystem, without SSH.

#include "netconf_session.hpp"

#include <gtest/gtest.h>

namespace netspine::sim {
namespace {

constexpr std::string_view kClientHello10 =
    "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities><capability>"
    "urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>";

std::shared_ptr<DeviceState> device() {
  DeviceProfile profile;
  profile.name = "r1";
  profile.os = OsKind::JuniperJunos;
  return DeviceState::create(profile);
}

TEST(NetconfSession, HelloThenAnErrorForRpcsAndOkForCloseSession) {
  auto state = device();
  NetconfSession session(*state, 42);
  EXPECT_NE(session.hello().find("<session-id>42</session-id>"), std::string::npos);
  EXPECT_EQ(session.input(kClientHello10), "");
  // One rpc split over two reads, then two in one read.
  EXPECT_EQ(session.input("<rpc message-id=\"1\"><get/>"), "");
  const auto error = session.input("</rpc>]]>]]>");
  EXPECT_NE(error.find("message-id=\"1\""), std::string::npos);
  EXPECT_NE(error.find("<error-tag>operation-not-supported</error-tag>"), std::string::npos);
  EXPECT_TRUE(error.ends_with("]]>]]>"));
  const auto both = session.input(
      "<rpc message-id='2'><get/></rpc>]]>]]><rpc message-id=\"3\"><close-session/></rpc>]]>]]>");
  EXPECT_NE(both.find("message-id='2'"), std::string::npos);
  EXPECT_NE(both.find("message-id=\"3\"><ok/>"), std::string::npos);
  EXPECT_TRUE(session.finished());
}

TEST(NetconfSession, ChunkedFramingOnceBothSidesAnnounceBase11) {
  auto state = device();
  NetconfSession session(*state, 1);
  if (session.hello().find("base:1.1") == std::string::npos) {
    GTEST_SKIP() << "this device announces base:1.0 only";
  }
  session.input(
      "<hello><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability>"
      "</capabilities></hello>]]>]]>");
  const std::string rpc = "<rpc message-id=\"9\"><close-session/></rpc>";
  const auto reply =
      session.input("\n#10\n" + rpc.substr(0, 10) + "\n#" + std::to_string(rpc.size() - 10) + "\n" +
                    rpc.substr(10) + "\n##\n");
  EXPECT_TRUE(reply.starts_with("\n#"));
  EXPECT_TRUE(reply.ends_with("\n##\n"));
  EXPECT_NE(reply.find("<ok/>"), std::string::npos);
}

}  // namespace
}  // namespace netspine::sim
