#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/secret.hpp>
#include <netspine/plugin/version.hpp>

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

namespace netspine::plugin {
namespace {

template <typename T>
std::string printed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

TEST(Secret, NeverPrintsItsValue) {
  const Secret secret("hunter2");
  EXPECT_EQ(printed(secret), "******");
  EXPECT_EQ(secret.masked(), "******");
  EXPECT_EQ(secret.reveal(), "hunter2");
  EXPECT_EQ(printed(Secret()), "");  // an empty secret shows as empty, not as a value
  const Secret copy = secret;
  EXPECT_EQ(copy, secret);
}

TEST(Secret, CredentialsPrintNameAndUserOnly) {
  Credentials c;
  c.name = "dc-admin";
  c.username = "netops";
  c.password = Secret("pa55word");
  c.enableSecret = Secret("en4ble");
  c.snmpCommunity = Secret("c0mmunity");
  c.snmpAuthPassword = Secret("authpa55");
  c.snmpPrivPassword = Secret("privpa55");
  c.privateKeyPassphrase = Secret("phrase");
  const auto text = printed(c);
  EXPECT_EQ(text, "credentials 'dc-admin' (user 'netops')");
  for (const char* secret : {"pa55word", "en4ble", "c0mmunity", "authpa55", "privpa55", "phrase"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

TEST(ErrorCategory, NamesAreStableAndRoundTrip) {
  std::set<std::string> names;
  for (auto category : kAllErrorCategories) {
    const std::string name = toString(category);
    EXPECT_EQ(parseErrorCategory(name), category) << name;
    names.insert(name);
  }
  EXPECT_EQ(names, (std::set<std::string>{"ok", "unreachable", "timeout", "auth_failed",
                                          "host_key_mismatch", "protocol_error", "command_error",
                                          "incomplete_output", "policy_skipped", "plugin_error",
                                          "cancelled"}));
  EXPECT_FALSE(parseErrorCategory("OK"));
}

TEST(SecretMode, NamesRoundTrip) {
  for (auto mode : {SecretMode::Mask, SecretMode::Keep, SecretMode::Remove}) {
    EXPECT_EQ(parseSecretMode(toString(mode)), mode);
  }
  EXPECT_FALSE(parseSecretMode("hide"));
}

TEST(AbiTag, NamesArchitectureLibraryAndStandard) {
  const std::string tag = kAbiTag;
  EXPECT_NE(tag.find("libstdc++-cxx11abi1"), std::string::npos) << tag;
  EXPECT_NE(tag.find("/cxx" + std::to_string(__cplusplus)), std::string::npos) << tag;
}

}  // namespace
}  // namespace netspine::plugin
